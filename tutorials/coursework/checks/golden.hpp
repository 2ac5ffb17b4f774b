#pragma once
// The checkers' golden values: tests/golden/coursework.txt, written by PyTorch
// (tests/golden/make_golden_coursework.py) and read with the tests' golden reader.

#include <string>

#include "tests/golden_reader.hpp"

namespace coursework::check {

// The case of that name in tests/golden/coursework.txt (loaded once).
const glimpse::golden::Case& golden_case(const std::string& name);

}  // namespace coursework::check
