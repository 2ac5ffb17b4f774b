#pragma once
// Runs a function in a forked child process and reports how it ended: what the fault tests
// (tests/test_faults.cpp) need to kill a save halfway or to fill a disk without touching the
// test process. The child writes its report to a pipe; it must not use doctest.

#include <sys/types.h>

#include <functional>
#include <string>

namespace glimpse::testing {

class ChildProcess {
  public:
    // Forks; the child runs `body` with a function that sends a line to the parent, then exits
    // with the status `body` returns (or 70 if it throws).
    explicit ChildProcess(
        const std::function<int(const std::function<void(const std::string&)>& send)>& body);
    ~ChildProcess();  // kills and reaps the child if it is still running: none is left behind
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    std::string read_line();  // the next line the child sent; empty at its end
    void kill();              // SIGKILL, then wait for it
    int wait();               // its exit status, or -signal when a signal ended it

  private:
    pid_t pid_ = -1;
    int from_child_ = -1;
    int status_ = 0;
    bool reaped_ = false;
};

}  // namespace glimpse::testing
