#pragma once
// Element-by-element comparison of two gradients, each entry within doctest's default Approx.

#include <doctest/doctest.h>

#include <vector>

namespace glimpse::testing {

inline void check_close(const std::vector<double>& got, const std::vector<double>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        CAPTURE(i);
        CHECK(got[i] == doctest::Approx(want[i]));
    }
}

}  // namespace glimpse::testing
