#pragma once
// The catalogue of bad inputs (tests/test_bad_inputs_*.cpp): each case is a call through the
// public API that must throw glimpse::Error with exactly the expected message. A case fails when
// the call returns, throws another type (std::bad_alloc, std::out_of_range...) or says something
// else; the failure names the case.

#include <functional>
#include <string>
#include <vector>

namespace glimpse::testing {

struct BadInput {
    std::string name;            // what is wrong with the input, for the failure message
    std::function<void()> call;  // the call that must be refused
    std::string expected;        // glimpse::Error's whole message
};

// Runs every case of the table, each in its own doctest context. Where the messages name files
// in a temporary folder, `dir` is that folder: it is written "{dir}" in the expected messages.
void check_bad_inputs(const std::vector<BadInput>& table, const std::string& dir = "");

}  // namespace glimpse::testing
