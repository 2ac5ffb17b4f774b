// Tests of core/ops_view.cpp.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/ops.hpp"

using namespace glimpse;

TEST_CASE("view: expand keeps an extent for -1 and broadcasts extents of 1") {
    const Tensor x = tensor({1, 2, 3}, {1, 3});
    CHECK(expand(x, {2, -1}).shape() == Shape{2, 3});
    CHECK(expand(x, {2, 2, 3}).to_vector() ==
          std::vector<double>{1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3});
}

TEST_CASE("view: expand to a negative extent is an error, not a tensor of negative size") {
    CHECK_THROWS_WITH_AS(expand(tensor({1, 2, 3}, {3}), {-1, 3}),
                         "expand: [3] float32 cannot expand to [-1, 3] (extent -1 at dim 0)",
                         Error);
    CHECK_THROWS_WITH_AS(expand(tensor({1}, {1}), {-5}),
                         "expand: [1] float32 cannot expand to [-5] (extent -5 at dim 0)", Error);
}
