// Tests of core/ops_select.cpp: comparisons, where and masked_fill, forward and backward, on
// broadcast and non-contiguous inputs, and every error.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"

using namespace glimpse;

namespace {

Tensor mask(const std::vector<double>& values, const Shape& shape) {
    return tensor(values, shape, DType::Bool);
}

}  // namespace

TEST_CASE("select: comparisons give bool tensors over the broadcast shape") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor b = tensor({2, 2, 5}, {3});
    const Tensor lt_ab = lt(a, b);
    CHECK(lt_ab.dtype() == DType::Bool);
    CHECK(lt_ab.shape() == Shape{2, 3});
    CHECK(lt_ab.to_vector() == std::vector<double>{1, 0, 1, 0, 0, 0});
    CHECK(le(a, b).to_vector() == std::vector<double>{1, 1, 1, 0, 0, 0});
    CHECK(gt(a, b).to_vector() == std::vector<double>{0, 0, 0, 1, 1, 1});
    CHECK(ge(a, b).to_vector() == std::vector<double>{0, 1, 0, 1, 1, 1});
    CHECK(eq(a, b).to_vector() == std::vector<double>{0, 1, 0, 0, 0, 0});
    CHECK(ne(a, b).to_vector() == std::vector<double>{1, 0, 1, 1, 1, 1});
}

TEST_CASE("select: comparisons read views and work on int64, bool and NaN as PyTorch does") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, DType::Int64);
    // a.t() is [[1, 4], [2, 5], [3, 6]]; compare it with a column broadcast along the rows.
    const Tensor column = tensor({2, 5, 3}, {3, 1}, DType::Int64);
    CHECK(eq(a.t(), column).to_vector() == std::vector<double>{0, 0, 0, 1, 1, 0});
    CHECK(gt(mask({1, 0}, {2}), mask({0, 0}, {2})).to_vector() == std::vector<double>{1, 0});
    const Tensor nan = tensor({NAN, 1}, {2}, DType::Float64);
    CHECK(eq(nan, nan).to_vector() == std::vector<double>{0, 1});
    CHECK(ne(nan, nan).to_vector() == std::vector<double>{1, 0});
}

TEST_CASE("select: comparisons record no gradient") {
    const Tensor x = tensor({1, 2}, {2}).requires_grad_();
    CHECK_FALSE(gt(x, scalar_tensor(1.5)).requires_grad());
}

TEST_CASE("select: where picks from a or b, broadcasting all three") {
    const Tensor condition = mask({1, 0, 0, 1}, {2, 2});
    const Tensor a = tensor({10, 20}, {2});     // broadcast along the rows
    const Tensor b = tensor({-1, -2}, {2, 1});  // broadcast along the columns
    CHECK(where(condition, a, b).to_vector() == std::vector<double>{10, -1, -2, 20});
    const Tensor row_condition = mask({1, 0, 1}, {3});
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {3, 2});
    CHECK(where(row_condition, x.t(), zeros({2, 3})).to_vector() ==
          std::vector<double>{1, 0, 5, 2, 0, 6});
    CHECK(where(row_condition, tensor({1, 2, 3}, {3}, DType::Int64), zeros({3}, DType::Int64))
              .to_vector() == std::vector<double>{1, 0, 3});
}

TEST_CASE("select: where sends the gradient to the side that was picked") {
    const Tensor condition = mask({1, 0, 1, 0}, {2, 2});
    const Tensor a = tensor({1, 2, 3, 4}, {2, 2}, DType::Float64).requires_grad_();
    const Tensor b = tensor({5}, {1}, DType::Float64).requires_grad_();  // broadcast scalar
    const Tensor weights = tensor({1, 10, 100, 1000}, {2, 2}, DType::Float64);
    sum(where(condition, a, b) * weights).backward();
    // d/da = weights where true; d/db = sum of the weights where false.
    CHECK(a.grad().to_vector() == std::vector<double>{1, 0, 100, 0});
    CHECK(b.grad().shape() == Shape{1});
    CHECK(b.grad().to_vector() == std::vector<double>{1010});
}

TEST_CASE("select: masked_fill puts the value where the mask holds") {
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor row_mask = mask({0, 1, 1}, {3});
    CHECK(masked_fill(x, row_mask, 0).to_vector() == std::vector<double>{1, 0, 0, 4, 0, 0});
    // A narrowed view: columns 1..2 of x, i.e. [[2, 3], [5, 6]], masked by a column.
    const Tensor column_mask = mask({1, 0}, {2, 1});
    CHECK(masked_fill(x.narrow(1, 1, 2), column_mask, 9).to_vector() ==
          std::vector<double>{9, 9, 5, 6});
    // The mask may broadcast x, as in PyTorch's out-of-place masked_fill.
    CHECK(masked_fill(tensor({1, 2}, {2}), mask({1, 0, 0, 0}, {2, 2}), 7).shape() == Shape{2, 2});
    // Integer tensors: replacing padding tokens by an ignore_index.
    const Tensor tokens = tensor({4, 0, 0}, {3}, DType::Int64);
    CHECK(masked_fill(tokens, eq(tokens, zeros({1}, DType::Int64)), -100).to_vector() ==
          std::vector<double>{4, -100, -100});
}

TEST_CASE("select: masked_fill with -infinity, as attention masks do") {
    const double inf = std::numeric_limits<double>::infinity();
    const Tensor scores = tensor({0.5, 1.5, 2.5}, {3});
    const std::vector<double> filled = masked_fill(scores, mask({0, 0, 1}, {3}), -inf).to_vector();
    CHECK(filled[0] == 0.5);
    CHECK(filled[1] == 1.5);
    CHECK(filled[2] == -inf);
}

TEST_CASE("select: masked_fill's gradient is zero at the filled positions") {
    const Tensor x = tensor({1, 2, 3, 4}, {2, 2}, DType::Float64).requires_grad_();
    const Tensor weights = tensor({1, 2, 3, 4}, {2, 2}, DType::Float64);
    sum(masked_fill(x, mask({1, 0}, {2}), -1e9) * weights).backward();
    CHECK(x.grad().to_vector() == std::vector<double>{0, 2, 0, 4});
}

TEST_CASE("select: errors name the op, the inputs and what was expected") {
    const Tensor f = tensor({1, 2}, {2});
    const Tensor d = tensor({1, 2}, {2}, DType::Float64);
    CHECK_THROWS_WITH_AS(
        eq(f, d), "eq: dtypes differ: [2] float32 and [2] float64 (convert one with .to())", Error);
    CHECK_THROWS_WITH_AS(lt(f, zeros({3})), "lt: shapes [2] and [3] do not broadcast", Error);
    CHECK_THROWS_WITH_AS(gt(f, Tensor()), "gt: got an undefined tensor", Error);
    CHECK_THROWS_WITH_AS(where(f, f, f), "where: condition must be bool, got [2] float32", Error);
    CHECK_THROWS_WITH_AS(where(mask({1, 0}, {2}), f, d), doctest::Contains("where: dtypes differ"),
                         Error);
    CHECK_THROWS_WITH_AS(
        where(mask({1, 0, 1}, {3}), f, f),
        "where: shapes do not broadcast: condition [3] bool, [2] float32 and [2] float32", Error);
    CHECK_THROWS_WITH_AS(masked_fill(f, f, 0), "masked_fill: mask must be bool, got [2] float32",
                         Error);
    CHECK_THROWS_WITH_AS(masked_fill(f, mask({1, 0, 1}, {3}), 0),
                         "masked_fill: shapes [2] and [3] do not broadcast", Error);
    CHECK_THROWS_WITH_AS(masked_fill(Tensor(), mask({1}, {1}), 0),
                         "masked_fill: got an undefined tensor", Error);
    const Tensor ints = tensor({1, 2}, {2}, DType::Int64);
    CHECK_THROWS_WITH_AS(masked_fill(ints, mask({1, 0}, {2}), 0.5),
                         "masked_fill: value 0.5 does not fit in [2] int64", Error);
    CHECK_THROWS_WITH_AS(masked_fill(ints, mask({1, 0}, {2}), -INFINITY),
                         "masked_fill: value -inf does not fit in [2] int64", Error);
    CHECK_THROWS_WITH_AS(masked_fill(mask({1, 0}, {2}), mask({1, 0}, {2}), 2),
                         "masked_fill: value 2 does not fit in [2] bool", Error);
}
