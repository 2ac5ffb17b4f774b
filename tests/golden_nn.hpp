#pragma once
// The golden cases of nn/ (tests/golden/nn_layers.txt, written by tests/golden/make_golden_nn.py),
// shared by the nn test files: each checks the cases of its own runners.

#include <map>
#include <string>
#include <vector>

#include "tests/golden_check.hpp"

namespace glimpse::golden {

const std::vector<Case>& nn_cases();

// Checks each case of nn_layers.txt whose runner is in `runners` (see check_case), and that every
// runner has at least one case.
void check_nn_cases(const std::map<std::string, Runner>& runners, const RunOptions& options = {});

// The same three times: in float64, in float64 with every input a non-contiguous view, and in
// float32 (within float32 tolerance of PyTorch's float64 values).
void check_nn_cases_every_way(const std::map<std::string, Runner>& runners);

}  // namespace glimpse::golden
