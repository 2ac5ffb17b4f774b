#include "tests/child_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace glimpse::testing {

ChildProcess::ChildProcess(
    const std::function<int(const std::function<void(const std::string&)>&)>& body) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("ChildProcess: pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("ChildProcess: fork failed");
    if (pid_ == 0) {
        ::close(fds[0]);
        const auto send = [fd = fds[1]](const std::string& line) {
            const std::string bytes = line + "\n";
            (void)!::write(fd, bytes.data(), bytes.size());
        };
        int status = 70;
        try {
            status = body(send);
        } catch (...) {
            send("the child threw");
        }
        ::_exit(status);  // no atexit handlers, no doctest report, no sanitizer leak check
    }
    ::close(fds[1]);
    from_child_ = fds[0];
}

ChildProcess::~ChildProcess() {
    if (!reaped_) kill();
    ::close(from_child_);
}

std::string ChildProcess::read_line() {
    std::string line;
    char c;
    while (true) {
        const ssize_t got = ::read(from_child_, &c, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0 || c == '\n') return line;
        line += c;
    }
}

void ChildProcess::kill() {
    if (reaped_) return;
    ::kill(pid_, SIGKILL);
    wait();
}

int ChildProcess::wait() {
    if (!reaped_) {
        while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
        }
        reaped_ = true;
    }
    if (WIFSIGNALED(status_)) return -WTERMSIG(status_);
    return WEXITSTATUS(status_);
}

}  // namespace glimpse::testing
