#include "nn/checkpoint.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/ops.hpp"

namespace glimpse::nn {

namespace {

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
    write_file_atomically(path, serialize_safetensors(tensors, metadata), "checkpoint " + path);
}

TensorFile load_file(const std::string& path) {
    return parse_safetensors(read_file(path, "checkpoint " + path), "checkpoint " + path);
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
