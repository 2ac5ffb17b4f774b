#include "tests/golden_nn.hpp"

#include <doctest/doctest.h>

namespace glimpse::golden {

const std::vector<Case>& nn_cases() {
    static const std::vector<Case> cases = load_golden(golden_path("nn_layers.txt"));
    return cases;
}

void check_nn_cases(const std::map<std::string, Runner>& runners, const RunOptions& options) {
    std::map<std::string, int> counts;
    for (const Case& golden : nn_cases()) {
        const auto found = runners.find(golden.runner());
        if (found == runners.end()) continue;
        ++counts[golden.runner()];
        check_case(golden, found->second, options);
    }
    for (const auto& [runner, run] : runners) {
        CHECK_MESSAGE(counts[runner] > 0, "no golden case in nn_layers.txt runs " << runner);
    }
}

void check_nn_cases_every_way(const std::map<std::string, Runner>& runners) {
    check_nn_cases(runners);
    check_nn_cases(runners, {DType::Float64, true, kFloat64Tolerance});
    check_nn_cases(runners, {DType::Float32, false, kFloat32Tolerance});
}

}  // namespace glimpse::golden
