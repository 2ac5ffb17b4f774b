#include "core/file_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace glimpse {

namespace {

std::string system_error(std::string_view who, const std::string& what) {
    return fmt::format("{}: {}: {}", who, what, std::strerror(errno));
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
// effort: the file itself is complete and in place already.
void sync_directory(const std::string& path) {
    const std::string directory = std::filesystem::path(path).parent_path().string();
    const int fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes, std::string_view who) {
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(system_error(who, "cannot create " + temporary));
    std::string failure;  // what went wrong first, with the system's reason
    if (!write_all(fd, bytes) || ::fsync(fd) != 0) {
        failure = system_error(who, "cannot write " + temporary);
    }
    if (::close(fd) != 0 && failure.empty()) {
        failure = system_error(who, "cannot close " + temporary);
    }
    if (failure.empty() && ::rename(temporary.c_str(), path.c_str()) != 0) {
        failure = system_error(who, "cannot rename " + temporary + " over it");
    }
    if (!failure.empty()) {
        ::unlink(temporary.c_str());
        throw Error(failure);
    }
    sync_directory(path);
}

std::string read_file(const std::string& path, std::string_view who) {
    // A directory opens as a stream that reads nothing: it would pass for an empty file.
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored)) {
        throw Error(fmt::format("{}: cannot read: it is a directory, not a file", who));
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) throw Error(system_error(who, "cannot open"));
    std::ostringstream bytes;
    bytes << file.rdbuf();
    if (file.bad()) throw Error(system_error(who, "cannot read"));
    return std::move(bytes).str();
}

}  // namespace glimpse
