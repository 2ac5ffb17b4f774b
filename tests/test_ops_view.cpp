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

TEST_CASE("view: copy_ into views, whole blocks, rows or element by element, converting dtypes") {
    const Tensor dst = zeros({2, 5});
    // Rows contiguous on both sides: columns 1..3 of dst from a [2, 3] float64 (converted).
    copy_(dst.narrow(1, 1, 3), tensor({1, 2, 3, 4, 5, 6}, {2, 3}, DType::Float64));
    CHECK(dst.to_vector() == std::vector<double>{0, 1, 2, 3, 0, 0, 4, 5, 6, 0});
    // A row broadcast down the rows, then a column (stride 5): element by element.
    copy_(dst.narrow(1, 3, 2), tensor({7, 8}, {2}));
    copy_(dst.select(1, 0), tensor({9, 9}, {2}, DType::Int64));
    CHECK(dst.to_vector() == std::vector<double>{9, 1, 2, 7, 8, 9, 4, 5, 7, 8});
    const Tensor whole = empty({2, 5}, DType::Float64);
    copy_(whole, dst);  // both contiguous: one block
    CHECK(whole.to_vector() == dst.to_vector());
}
