#include "nn/checkpoint.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::nn {

namespace {

std::string system_error(const std::string& what, const std::string& path) {
    return fmt::format("checkpoint {}: {}: {}", path, what, std::strerror(errno));
}

// Writes all of `bytes` to the open file, retrying short writes.
bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

// Flushes the directory holding `path`, so that a rename in it survives a power cut too. Best
// effort: the checkpoint itself is complete and in place already.
void sync_directory(const std::string& path) {
    const std::string directory = std::filesystem::path(path).parent_path().string();
    const int fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

// <path>.tmp, written and flushed to the disk, then renamed over <path>: rename replaces a file
// in one step, so <path> is always either the old checkpoint or the complete new one.
void write_atomically(const std::string& path, std::string_view bytes) {
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(system_error("cannot create " + temporary, path));
    std::string failure;  // what went wrong first, with the system's reason
    if (!write_all(fd, bytes) || ::fsync(fd) != 0) {
        failure = system_error("cannot write " + temporary, path);
    }
    if (::close(fd) != 0 && failure.empty()) {
        failure = system_error("cannot close " + temporary, path);
    }
    if (failure.empty() && ::rename(temporary.c_str(), path.c_str()) != 0) {
        failure = system_error("cannot rename " + temporary + " over it", path);
    }
    if (!failure.empty()) {
        ::unlink(temporary.c_str());
        throw Error(failure);
    }
    sync_directory(path);
}

std::string read_all(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw Error(system_error("cannot open", path));
    std::ostringstream bytes;
    bytes << file.rdbuf();
    if (file.bad()) throw Error(system_error("cannot read", path));
    return std::move(bytes).str();
}

// "w (file [3, 5] float64, module [3, 4] float32)": a tensor that does not fit its parameter.
std::string mismatch(const std::string& name, const Tensor& stored, const Tensor& param) {
    return fmt::format("{} (file {} {}, module {} {})", name, shape_str(stored.shape()),
                       dtype_name(stored.dtype()), shape_str(param.shape()),
                       dtype_name(param.dtype()));
}

// "; 2 unexpected: a, b", or nothing when there are none.
std::string list(const char* what, const std::vector<std::string>& names) {
    return names.empty() ? ""
                         : fmt::format("; {} {}: {}", names.size(), what, fmt::join(names, ", "));
}

}  // namespace

void save_file(const std::vector<NamedTensor>& tensors, const std::string& path,
               const Metadata& metadata) {
    write_atomically(path, serialize_safetensors(tensors, metadata));
}

TensorFile load_file(const std::string& path) {
    return parse_safetensors(read_all(path), "checkpoint " + path);
}

void save_model(const Module& module, const std::string& path, const Metadata& metadata) {
    save_file(module.named_parameters(), path, metadata);
}

LoadReport load_model(Module& module, const std::string& path, bool strict) {
    const TensorFile file = load_file(path);
    std::map<std::string, Tensor> unclaimed(file.tensors.begin(), file.tensors.end());
    LoadReport report;
    std::vector<std::string> details;               // each mismatch with its shapes and dtypes
    std::vector<std::pair<Tensor, Tensor>> copies;  // (parameter, value), once all is checked
    for (const auto& [name, param] : module.named_parameters()) {
        const auto found = unclaimed.find(name);
        if (found == unclaimed.end()) {
            report.missing.push_back(name);
            continue;
        }
        const Tensor value = found->second;
        unclaimed.erase(found);
        if (value.shape() != param.shape() || value.dtype() != param.dtype()) {
            report.mismatched.push_back(name);
            details.push_back(mismatch(name, value, param));
            continue;
        }
        copies.emplace_back(param, value);
        report.loaded.push_back(name);
    }
    for (const auto& [name, tensor] : file.tensors) {
        if (unclaimed.count(name)) report.unexpected.push_back(name);
    }
    if (strict && !report.complete()) {
        throw Error(fmt::format("checkpoint {}: does not fit the {} (nothing was loaded){}{}{}",
                                path, module.type_name(), list("missing", report.missing),
                                list("unexpected", report.unexpected),
                                list("mismatched", details)));
    }
    NoGradGuard no_grad;
    for (const auto& [param, value] : copies) copy_(param, value);
    return report;
}

}  // namespace glimpse::nn
