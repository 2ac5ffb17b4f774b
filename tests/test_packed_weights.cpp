// Tests of core/packed_weights: a weight is packed once per WeightPacking scope, packed again
// when it changes in place, and never outside a scope; and the products through the packed
// copies equal the plain GEMM's.

#include <doctest/doctest.h>

#include <vector>

#include "core/ops.hpp"
#include "core/packed_weights.hpp"
#include "core/random.hpp"

using namespace glimpse;

namespace {

// x [m, k] @ op(w) through the packed copy, as a vector.
std::vector<float> multiply_packed(const Tensor& x, const kernels::PackedMatrix<float>& packed) {
    std::vector<float> out(static_cast<std::size_t>(x.size(0) * packed.cols()));
    kernels::gemm<float>(false, x.size(0), x.data<float>(), x.size(1), packed, out.data(),
                         packed.cols(), false);
    return out;
}

void check_close(const std::vector<float>& got, const std::vector<double>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-5));
    }
}

}  // namespace

TEST_CASE("packed_weight: none outside a scope") {
    const Tensor w = ones({3, 4});
    CHECK(packed_weight<float>(w, true) == nullptr);
    {
        const WeightPacking packing;
        CHECK(packed_weight<float>(w, true) != nullptr);
    }
    CHECK(packed_weight<float>(w, true) == nullptr);
}

TEST_CASE("packed_weight: one copy per weight and layout while the scope lives") {
    manual_seed(31);
    const Tensor w = randn({6, 5});  // [n, k] for x @ w^T; [k, n] for x @ w
    const Tensor x = randn({4, 5});
    const Tensor g = randn({4, 6});
    const WeightPacking packing;
    const kernels::PackedMatrix<float>* transposed = packed_weight<float>(w, true);
    const kernels::PackedMatrix<float>* plain = packed_weight<float>(w, false);
    REQUIRE(transposed != nullptr);
    REQUIRE(plain != nullptr);
    CHECK(transposed != plain);
    CHECK(packed_weight<float>(w, true) == transposed);
    CHECK(packed_weight<float>(w.detach(), true) == transposed);  // same data, another handle
    CHECK(transposed->rows() == 5);
    CHECK(transposed->cols() == 6);
    check_close(multiply_packed(x, *transposed), matmul(x, w.t()).to_vector());
    check_close(multiply_packed(g, *plain), matmul(g, w).to_vector());
    SUBCASE("a nested scope shares the outer one's copies") {
        const WeightPacking inner;
        CHECK(packed_weight<float>(w, true) == transposed);
    }
}

TEST_CASE("packed_weight: a weight changed in place is packed again") {
    manual_seed(32);
    const Tensor w = randn({6, 5});
    const Tensor x = randn({4, 5});
    const WeightPacking packing;
    check_close(multiply_packed(x, *packed_weight<float>(w, true)), matmul(x, w.t()).to_vector());
    copy_(w, w * 2.0);  // in place: bumps the version, so the old copy would give half the product
    check_close(multiply_packed(x, *packed_weight<float>(w, true)), matmul(x, w.t()).to_vector());
}

TEST_CASE("packed_weight: a view that is not contiguous is left to the plain GEMM") {
    const WeightPacking packing;
    const Tensor w = ones({4, 6});
    CHECK(packed_weight<float>(w.t(), true) == nullptr);
    CHECK(packed_weight<float>(ones({2, 3, 4}), true) == nullptr);
}
