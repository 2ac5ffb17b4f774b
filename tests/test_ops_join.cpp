// Tests of core/ops_join.cpp: cat, stack, split, chunk and index_select, forward on contiguous and
// non-contiguous inputs, backward by hand, and every error.

#include <doctest/doctest.h>

#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"

using namespace glimpse;

namespace {

std::vector<double> values(const Tensor& x) {
    return x.to_vector();
}

}  // namespace

TEST_CASE("join: cat along each dim, with transposed, narrowed and expanded inputs") {
    const Tensor a = tensor({1, 2, 3, 4}, {2, 2});
    const Tensor b = tensor({5, 6}, {1, 2});
    CHECK(values(cat({a, b}, 0)) == std::vector<double>{1, 2, 3, 4, 5, 6});
    CHECK(cat({a, b}, 0).shape() == Shape{3, 2});
    // a.t() = [[1, 3], [2, 4]]; b.expand = [[5, 6], [5, 6]]; a narrowed = [[2], [4]].
    const Tensor joined = cat({a.t(), b.expand({2, 2}), a.narrow(1, 1, 1)}, -1);
    CHECK(joined.shape() == Shape{2, 5});
    CHECK(values(joined) == std::vector<double>{1, 3, 5, 6, 2, 2, 4, 5, 6, 4});
    const Tensor ints = cat({arange(2), arange(3)}, 0);
    CHECK(ints.dtype() == DType::Int64);
    CHECK(values(ints) == std::vector<double>{0, 1, 0, 1, 2});
    CHECK(values(cat({a}, 1)) == values(a));
    CHECK(cat({zeros({2, 0}), a}, 1).shape() == Shape{2, 2});
}

TEST_CASE("join: cat gives each input its slice of the gradient") {
    const Tensor a = tensor({1, 2, 3, 4}, {2, 2}, DType::Float64).requires_grad_();
    const Tensor b = tensor({5, 6}, {2, 1}, DType::Float64).requires_grad_();
    const Tensor weights = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, DType::Float64);
    sum(cat({a, b}, 1) * weights).backward();
    CHECK(values(a.grad()) == std::vector<double>{1, 2, 4, 5});
    CHECK(values(b.grad()) == std::vector<double>{3, 6});
    // The same tensor twice gets both slices added.
    const Tensor c = tensor({1, 2}, {2}, DType::Float64).requires_grad_();
    sum(cat({c, c}, 0) * tensor({1, 2, 3, 4}, {4}, DType::Float64)).backward();
    CHECK(values(c.grad()) == std::vector<double>{4, 6});
}

TEST_CASE("join: stack adds a new dim at any position") {
    const Tensor a = tensor({1, 2, 3}, {3});
    const Tensor b = tensor({4, 5, 6}, {3});
    CHECK(stack({a, b}, 0).shape() == Shape{2, 3});
    CHECK(values(stack({a, b}, 0)) == std::vector<double>{1, 2, 3, 4, 5, 6});
    CHECK(stack({a, b}, 1).shape() == Shape{3, 2});
    CHECK(values(stack({a, b}, -1)) == std::vector<double>{1, 4, 2, 5, 3, 6});
    const Tensor m = tensor({1, 2, 3, 4}, {2, 2});
    CHECK(values(stack({m.t(), m}, 1)) == std::vector<double>{1, 3, 1, 2, 2, 4, 3, 4});
    CHECK(stack({scalar_tensor(1), scalar_tensor(2)}, 0).shape() == Shape{2});
}

TEST_CASE("join: stack's gradient is each input's slice") {
    const Tensor a = tensor({1, 2}, {2}, DType::Float64).requires_grad_();
    const Tensor b = tensor({3, 4}, {2}, DType::Float64).requires_grad_();
    sum(stack({a, b}, 1) * tensor({1, 2, 3, 4}, {2, 2}, DType::Float64)).backward();
    CHECK(values(a.grad()) == std::vector<double>{1, 3});
    CHECK(values(b.grad()) == std::vector<double>{2, 4});
}

TEST_CASE("join: split makes views, the last one possibly short") {
    const Tensor x = arange(0, 10, 1, DType::Float32).view({5, 2});
    const std::vector<Tensor> parts = split(x, 2, 0);
    REQUIRE(parts.size() == 3);
    CHECK(parts[0].shape() == Shape{2, 2});
    CHECK(parts[2].shape() == Shape{1, 2});
    CHECK(values(parts[1]) == std::vector<double>{4, 5, 6, 7});
    CHECK(parts[1].data<float>() == x.data<float>() + 4);  // a view: no copy
    const std::vector<Tensor> columns = split(x.t(), 1, 0);
    REQUIRE(columns.size() == 2);
    CHECK(values(columns[1]) == std::vector<double>{1, 3, 5, 7, 9});
    CHECK(split(x, 7, 0).size() == 1);
    CHECK(split(zeros({0, 2}), 0, 0).size() == 1);
}

TEST_CASE("join: chunk follows PyTorch, including fewer pieces than asked") {
    const Tensor x = arange(0, 5, 1, DType::Float32);
    const std::vector<Tensor> four = chunk(x, 4, 0);  // ceil(5 / 4) = 2: pieces 2, 2, 1
    REQUIRE(four.size() == 3);
    CHECK(values(four[2]) == std::vector<double>{4});
    const std::vector<Tensor> gates = chunk(arange(0, 12, 1, DType::Float32).view({2, 6}), 3, 1);
    REQUIRE(gates.size() == 3);
    CHECK(values(gates[1]) == std::vector<double>{2, 3, 8, 9});
    const std::vector<Tensor> empties = chunk(zeros({0}), 3, 0);
    CHECK(empties.size() == 3);
    CHECK(empties[2].numel() == 0);
}

TEST_CASE("join: a split piece's gradient is zero outside the piece") {
    const Tensor x = tensor({1, 2, 3, 4, 5}, {5}, DType::Float64).requires_grad_();
    const std::vector<Tensor> parts = chunk(x, 2, 0);  // [1, 2, 3] and [4, 5]
    sum(parts[1] * tensor({10, 20}, {2}, DType::Float64)).backward();
    CHECK(values(x.grad()) == std::vector<double>{0, 0, 0, 10, 20});
}

TEST_CASE("join: index_select picks rows along any dim, from views, with views as index") {
    const Tensor table = tensor({0, 1, 10, 11, 20, 21, 30, 31}, {4, 2});  // 4 words, 2 features
    const Tensor ids = tensor({2, 0, 2}, {3}, DType::Int64);
    const Tensor rows = index_select(table, 0, ids);
    CHECK(rows.shape() == Shape{3, 2});
    CHECK(values(rows) == std::vector<double>{20, 21, 0, 1, 20, 21});
    CHECK(values(index_select(table, 1, tensor({1}, {1}, DType::Int64))) ==
          std::vector<double>{1, 11, 21, 31});
    // table.t() is [2, 4]: picking columns of it is picking rows of table.
    CHECK(values(index_select(table.t(), -1, ids)) == std::vector<double>{20, 0, 20, 21, 1, 21});
    // A strided index: every other element of [3, 9, 1, 9].
    const Tensor strided = tensor({3, 9, 1, 9}, {2, 2}, DType::Int64).select(1, 0);
    CHECK(values(index_select(table, 0, strided)) == std::vector<double>{30, 31, 10, 11});
    CHECK(index_select(table, 0, zeros({0}, DType::Int64)).shape() == Shape{0, 2});
    CHECK(values(index_select(arange(5), 0, ids)) == std::vector<double>{2, 0, 2});
}

TEST_CASE("join: index_select adds the gradients of repeated indices") {
    const Tensor table = zeros({4, 2}, DType::Float64).requires_grad_();
    const Tensor ids = tensor({2, 0, 2}, {3}, DType::Int64);
    const Tensor weights = tensor({1, 2, 3, 4, 5, 6}, {3, 2}, DType::Float64);
    sum(index_select(table, 0, ids) * weights).backward();
    CHECK(values(table.grad()) == std::vector<double>{3, 4, 0, 0, 6, 8, 0, 0});
}

TEST_CASE("join: errors name the op, the inputs and what was expected") {
    const Tensor a = zeros({2, 3});
    CHECK_THROWS_WITH_AS(cat({}, 0), "cat: expected at least one tensor, got none", Error);
    CHECK_THROWS_WITH_AS(cat({a, Tensor()}, 0), "cat: got an undefined tensor", Error);
    CHECK_THROWS_WITH_AS(
        cat({a, zeros({2, 3}, DType::Float64)}, 0),
        "cat: dtypes differ: tensor 1 is [2, 3] float64 but tensor 0 is [2, 3] float32", Error);
    CHECK_THROWS_WITH_AS(cat({a, zeros({2, 4}), zeros({3, 3})}, 1),
                         "cat: tensor 2 is [3, 3] float32 but tensor 0 is [2, 3] float32: shapes "
                         "must match except along dim 1",
                         Error);
    CHECK_THROWS_WITH_AS(cat({a, zeros({3})}, 0),
                         doctest::Contains("tensor 1 is [3] float32 but tensor 0 is [2, 3]"),
                         Error);
    CHECK_THROWS_WITH_AS(cat({scalar_tensor(1)}, 0),
                         "cat: tensor 0 is [] float32: a 0-d tensor cannot be concatenated (use "
                         "stack)",
                         Error);
    CHECK_THROWS_WITH_AS(cat({a}, 2), doctest::Contains("cat: dim 2 is out of range"), Error);
    CHECK_THROWS_WITH_AS(stack({}, 0), "stack: expected at least one tensor, got none", Error);
    CHECK_THROWS_WITH_AS(
        stack({a, zeros({3, 2})}, 0),
        "stack: tensor 1 is [3, 2] float32 but tensor 0 is [2, 3] float32: shapes must be equal",
        Error);
    CHECK_THROWS_WITH_AS(stack({a, a}, 3), doctest::Contains("stack: dim 3 is out of range"),
                         Error);
    CHECK_THROWS_WITH_AS(split(scalar_tensor(1), 1, 0),
                         "split: cannot split a 0-d tensor ([] float32)", Error);
    CHECK_THROWS_WITH_AS(split(a, 0, 1),
                         "split: split_size must be positive, got 0 for dim 1 of [2, 3] float32",
                         Error);
    CHECK_THROWS_WITH_AS(split(a, -1, 0), doctest::Contains("got -1"), Error);
    CHECK_THROWS_WITH_AS(chunk(a, 0, 0), "chunk: chunks must be positive, got 0 for [2, 3] float32",
                         Error);
    CHECK_THROWS_WITH_AS(chunk(scalar_tensor(1), 2, 0),
                         "chunk: cannot chunk a 0-d tensor ([] float32)", Error);

    const Tensor table = zeros({5, 3});
    CHECK_THROWS_WITH_AS(index_select(table, 0, tensor({1, 7, 2}, {3}, DType::Int64)),
                         "index_select: index[1] = 7 is out of range for dim 0 of [5, 3] float32 "
                         "(size 5)",
                         Error);
    CHECK_THROWS_WITH_AS(index_select(table, 1, tensor({-1}, {1}, DType::Int64)),
                         "index_select: index[0] = -1 is out of range for dim 1 of [5, 3] float32 "
                         "(size 3)",
                         Error);
    CHECK_THROWS_WITH_AS(index_select(table, 0, tensor({1}, {1})),
                         "index_select: index must be int64, got [1] float32", Error);
    CHECK_THROWS_WITH_AS(index_select(table, 0, zeros({2, 2}, DType::Int64)),
                         "index_select: index must be 1-D [K], got [2, 2] int64 (indexing [5, 3] "
                         "float32)",
                         Error);
    CHECK_THROWS_WITH_AS(index_select(scalar_tensor(1), 0, zeros({1}, DType::Int64)),
                         "index_select: cannot index a 0-d tensor ([] float32)", Error);
    CHECK_THROWS_WITH_AS(index_select(table, 2, zeros({1}, DType::Int64)),
                         doctest::Contains("index_select: dim 2 is out of range"), Error);
}
