// sum_to: how backward undoes broadcasting.
//
// When an op broadcasts an input (a bias [H] added to every row of a batch [B, H]), each input
// element is used several times, so its gradient is the sum of the gradients of all its uses.
// sum_to(g, shape) is that sum: it adds g up over the dims broadcasting added (leading dims) or
// stretched (dims of extent 1), leaving exactly `shape`. The engine applies it to every input's
// gradient, so no op has to.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/ops.hpp"

using namespace glimpse;

namespace {

// [[1, 2, 3], [4, 5, 6]]
Tensor two_by_three() {
    return tensor({1, 2, 3, 4, 5, 6}, {2, 3}, DType::Float64);
}

}  // namespace

TEST_CASE("sum_to [2, 3] -> [3]: a leading dim was added, sum over it (the columns)") {
    const Tensor out = sum_to(two_by_three(), {3});
    CHECK(out.shape() == Shape{3});
    CHECK(out.to_vector() == std::vector<double>{5, 7, 9});
}

TEST_CASE("sum_to [2, 3] -> [2, 1]: the last dim was stretched from 1, sum along it (the rows)") {
    const Tensor out = sum_to(two_by_three(), {2, 1});
    CHECK(out.shape() == Shape{2, 1});
    CHECK(out.to_vector() == std::vector<double>{6, 15});
}

TEST_CASE("sum_to [4, 2, 3] -> [1, 3]: one dim added and one stretched") {
    const Tensor x = arange(0.0, 24.0, 1.0, DType::Float64).view({4, 2, 3});
    const Tensor out = sum_to(x, {1, 3});
    CHECK(out.shape() == Shape{1, 3});
    // Column c adds up 0+c, 3+c, 6+c, ..., 21+c: 8 terms summing to 84 + 8c.
    CHECK(out.to_vector() == std::vector<double>{84, 92, 100});
}

TEST_CASE("sum_to [2, 3] -> []: a 0-d target takes the sum of everything") {
    const Tensor out = sum_to(two_by_three(), {});
    CHECK(out.shape() == Shape{});
    CHECK(out.item() == 21);
}

TEST_CASE("sum_to to its own shape is the identity") {
    const Tensor x = two_by_three();
    CHECK(sum_to(x, {2, 3}).to_vector() == x.to_vector());
}

TEST_CASE("sum_to refuses a shape that [2, 3] is not a broadcast of") {
    CHECK_THROWS_WITH_AS(sum_to(two_by_three(), {2}), doctest::Contains("does not reduce to [2]"),
                         Error);
    CHECK_THROWS_WITH_AS(sum_to(two_by_three(), {4, 3}), doctest::Contains("not a broadcast"),
                         Error);
    CHECK_THROWS_AS(sum_to(two_by_three(), {1, 2, 3, 1}), Error);
}

TEST_CASE("the gradient of a bias [H] broadcast over a batch [B, H] is the sum over the batch") {
    const Tensor x = tensor({1, 2, 3, 4, 5, 6, 7, 8}, {4, 2}, DType::Float64);
    const Tensor bias = tensor({0.5, -0.5}, {2}, DType::Float64).requires_grad_();
    const Tensor upstream = tensor({1, -1, 2, -2, 3, -3, 4, -4}, {4, 2}, DType::Float64);
    (x + bias).backward(upstream);
    CHECK(bias.grad().shape() == Shape{2});
    CHECK(bias.grad().to_vector() == sum(upstream, {0}).to_vector());
    CHECK(bias.grad().to_vector() == std::vector<double>{10, -10});
}

TEST_CASE("sum over any dims, of a contiguous tensor or a view, adds every element once") {
    // Adjacent reduced dims of a contiguous tensor take a fast path (column sums); others, and
    // views, walk their strides. Both must give the sum written out element by element.
    const Tensor x = arange(0.0, 24.0, 1.0, DType::Float64).view({2, 3, 4});
    const Tensor view = x.transpose(0, 2);  // [4, 3, 2], not contiguous
    for (const Tensor& t : {x, view}) {
        const std::vector<double> values = t.to_vector();
        const Shape& s = t.shape();
        for (const std::vector<int64_t>& dims :
             std::vector<std::vector<int64_t>>{{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}}) {
            INFO("shape ", shape_str(s), ", dims ", dims.size(), " from ", dims[0]);
            Shape kept = s;
            for (const int64_t d : dims) kept[d] = 1;
            std::vector<double> expected(numel(kept), 0.0);
            for (int64_t i = 0; i < numel(s); ++i) {
                const Shape at = unravel(i, s);
                int64_t slot = 0;
                for (std::size_t d = 0; d < s.size(); ++d) {
                    slot = slot * kept[d] + (kept[d] == 1 ? 0 : at[d]);
                }
                expected[slot] += values[i];
            }
            CHECK(sum(t, dims, true).to_vector() == expected);
        }
    }
}
