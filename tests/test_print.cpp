// Tensors print like PyTorch's repr: exact strings for small cases of every dtype and layout.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "core/ops.hpp"
#include "core/print.hpp"

using namespace glimpse;

TEST_CASE("print: a float32 matrix made by an op, aligned on the decimal point") {
    const Tensor a = tensor({0.1, -1.2, 3, 4}, {2, 2}).requires_grad_();
    CHECK(fmt::format("{}", a * 1.0) ==
          "tensor([[ 0.1000, -1.2000],\n"
          "        [ 3.0000,  4.0000]], dtype=float32, shape=[2, 2], grad_fn=<mul>)");
}

TEST_CASE("print: a leaf that requires grad says so") {
    CHECK(fmt::format("{}", tensor({1, 2}, {2}).requires_grad_()) ==
          "tensor([1.0000, 2.0000], dtype=float32, shape=[2], requires_grad=True)");
}

TEST_CASE("print: a 0-d tensor reads as a number") {
    CHECK(fmt::format("{}", scalar_tensor(3.5)) == "tensor(3.5000)");
    CHECK(fmt::format("{}", scalar_tensor(3.5, DType::Float64)) == "tensor(3.5000, dtype=float64)");
    const Tensor x = tensor({1, 2}, {2}).requires_grad_();
    CHECK(fmt::format("{}", mean(x)) == "tensor(1.5000, grad_fn=<div>)");
}

TEST_CASE("print: int64 and bool, right-aligned") {
    CHECK(fmt::format("{}", tensor({1, 20, -300}, {3}, DType::Int64)) ==
          "tensor([   1,   20, -300], dtype=int64, shape=[3])");
    CHECK(fmt::format("{}", tensor({1, 0, 1}, {3}, DType::Bool)) ==
          "tensor([ True, False,  True], dtype=bool, shape=[3])");
}

TEST_CASE("print: a 3-D tensor leaves a blank line between its matrices") {
    CHECK(fmt::format("{}", arange(12).view({2, 2, 3})) ==
          "tensor([[[ 0,  1,  2],\n"
          "         [ 3,  4,  5]],\n"
          "\n"
          "        [[ 6,  7,  8],\n"
          "         [ 9, 10, 11]]], dtype=int64, shape=[2, 2, 3])");
}

TEST_CASE("print: a view prints its logical order") {
    CHECK(fmt::format("{}", tensor({1, 2, 3, 4, 5, 6}, {2, 3}, DType::Int64).t()) ==
          "tensor([[1, 4],\n"
          "        [2, 5],\n"
          "        [3, 6]], dtype=int64, shape=[3, 2])");
}

TEST_CASE("print: magnitudes far apart switch to scientific notation") {
    CHECK(fmt::format("{}", tensor({1e-5, 1.0}, {2}, DType::Float64)) ==
          "tensor([1.0000e-05, 1.0000e+00], dtype=float64, shape=[2])");
    CHECK(fmt::format("{}", tensor({2e8}, {1}, DType::Float64)) ==
          "tensor([2.0000e+08], dtype=float64, shape=[1])");
}

TEST_CASE("print: nan and inf") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(fmt::format("{}", tensor({std::nan(""), inf, -1}, {3}, DType::Float64)) ==
          "tensor([    nan,     inf, -1.0000], dtype=float64, shape=[3])");
}

TEST_CASE("print: a long row wraps at 80 columns") {
    CHECK(fmt::format("{}", arange(0.0, 10.0)) ==
          "tensor([0.0000, 1.0000, 2.0000, 3.0000, 4.0000, 5.0000, 6.0000, 7.0000, 8.0000,\n"
          "        9.0000], dtype=float32, shape=[10])");
}

TEST_CASE("print: beyond 1000 elements only the edges are shown") {
    CHECK(fmt::format("{}", arange(2000)) ==
          "tensor([   0,    1,    2,  ..., 1997, 1998, 1999], dtype=int64, shape=[2000])");
    CHECK(fmt::format("{}", arange(2000).view({40, 50})) ==
          "tensor([[   0,    1,    2,  ...,   47,   48,   49],\n"
          "        [  50,   51,   52,  ...,   97,   98,   99],\n"
          "        [ 100,  101,  102,  ...,  147,  148,  149],\n"
          "        ...,\n"
          "        [1850, 1851, 1852,  ..., 1897, 1898, 1899],\n"
          "        [1900, 1901, 1902,  ..., 1947, 1948, 1949],\n"
          "        [1950, 1951, 1952,  ..., 1997, 1998, 1999]], dtype=int64, shape=[40, 50])");
}

TEST_CASE("print: empty and undefined tensors") {
    CHECK(fmt::format("{}", zeros({0, 3})) == "tensor([], dtype=float32, shape=[0, 3])");
    CHECK(fmt::format("{}", Tensor()) == "tensor(undefined)");
}

TEST_CASE("print: streams and fmt agree, and fmt's width spec applies to the whole text") {
    const Tensor x = scalar_tensor(2.0);
    std::ostringstream out;
    out << x;
    CHECK(out.str() == "tensor(2.0000)");
    CHECK(to_string(x) == "tensor(2.0000)");
    CHECK(fmt::format("[{:>16}]", x) == "[  tensor(2.0000)]");
}
