// The coursework checker: `check a2` runs assignment a2's tests against the student's code linked
// into this binary; `make check` runs it once per assignment (a crash stays within one).
//   check <aN> [--jsonl FILE]   run one assignment, append its results to FILE as JSON lines
//   check <aN> --list           the assignment's test names, one a line, without running them
//   check --assignments         the assignment ids, one a line
// Exit status: 0 when every test passed, 1 otherwise, 2 on a usage error.

#include <fmt/core.h>

#include <string>
#include <string_view>
#include <vector>

#include "tutorials/coursework/checks/checker.hpp"

using namespace coursework::check;

namespace {

std::vector<Assignment (*)()> all_assignments() {
    return {a1_softplus,         a2_mgu_cell,       a3_mgu_fused,
            a4_cosine_attention, a5_top_p_sampling, a6_reverse_end_to_end};
}

int usage() {
    fmt::print(stderr,
               "usage: check <a1..a6> [--jsonl FILE] | check <aN> --list | "
               "check --assignments\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string_view id = argv[1];
    if (id == "--assignments") {
        for (const auto make : all_assignments()) fmt::print("{}\n", make().id);
        return 0;
    }
    bool list = false;
    std::string jsonl;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--list") {
            list = true;
        } else if (arg == "--jsonl" && i + 1 < argc) {
            jsonl = argv[++i];
        } else {
            return usage();
        }
    }
    for (const auto make : all_assignments()) {
        const Assignment assignment = make();
        if (assignment.id != id) continue;
        if (list) {
            for (const Test& test : assignment.tests) fmt::print("{}\n", test.name);
            return 0;
        }
        const int passed = run(assignment, jsonl);
        return passed == static_cast<int>(assignment.tests.size()) ? 0 : 1;
    }
    fmt::print(stderr, "check: no assignment '{}'\n", id);
    return usage();
}
