// Tests of gradient_as_product (core/autograd.hpp): a backward function hands a weight's gradient
// to the engine as a^T @ b; a leaf gets the sum of all its products in one GEMM at the end of
// the pass, anything else gets its product at once. Each result is compared with the same
// model written with matmul, whose gradients come the ordinary way.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/anomaly.hpp"
#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/gradcheck.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "tests/check_close.hpp"

using namespace glimpse;
using glimpse::testing::check_close;

namespace {

// y [R, M] = x [R, N] @ w^T, w [M, N]: dx = g @ w; dw = g^T @ x, handed over as a product.
Tensor times_weight(const Tensor& x, const Tensor& w) {
    const Tensor y = matmul(x.detach(), w.detach().t());
    return record("times_weight", {x, w}, y, [x, w](const Tensor& g) {
        gradient_as_product(1, g, x.detach());
        return std::vector<Tensor>{matmul(g, w.detach()), Tensor()};
    });
}

// Three steps of a small recurrence through one weight, as a decoder uses its cell's: the
// product op, or plain matmul for the reference.
Tensor three_steps(const Tensor& w, const Tensor& x, bool with_products) {
    Tensor h = x;  // [R, N], and w is [N, N]
    for (int step = 0; step < 3; ++step) {
        h = tanh(with_products ? times_weight(h, w) : matmul(h, w.t()));
    }
    return sum(h * h);
}

std::vector<double> weight_gradient(const Tensor& w_value, const Tensor& x, bool with_products) {
    const Tensor w = w_value.clone().requires_grad_();
    three_steps(w, x, with_products).backward();
    return w.grad().to_vector();
}

}  // namespace

TEST_CASE("gradient_as_product: a leaf used at three steps gets the sum of their products") {
    manual_seed(21);
    const Tensor w = randn({4, 4}, DType::Float64) * 0.5;
    const Tensor x = randn({5, 4}, DType::Float64);
    const std::vector<double> want = weight_gradient(w, x, false);
    check_close(weight_gradient(w, x, true), want);
    SUBCASE("and adds them to a gradient from an earlier backward") {
        const Tensor leaf = w.clone().requires_grad_();
        three_steps(leaf, x, true).backward();
        three_steps(leaf, x, true).backward();
        std::vector<double> twice = want;
        for (double& v : twice) v *= 2;
        check_close(leaf.grad().to_vector(), twice);
    }
    SUBCASE("and makes a new gradient when the old one is shared, leaving the shared one alone") {
        const Tensor leaf = w.clone().requires_grad_();
        three_steps(leaf, x, true).backward();
        const Tensor held = leaf.grad();
        three_steps(leaf, x, true).backward();
        check_close(held.to_vector(), want);
    }
    SUBCASE("and the same with anomaly mode on, which multiplies each product at once") {
        const DetectAnomalyGuard anomaly;
        check_close(weight_gradient(w, x, true), want);
    }
}

TEST_CASE("gradient_as_product: an input computed by an op gets its product at once") {
    manual_seed(22);
    const Tensor w_value = randn({3, 3}, DType::Float64);
    const Tensor x = randn({2, 3}, DType::Float64);
    auto gradient = [&](bool with_products) {
        const Tensor w = w_value.clone().requires_grad_();
        three_steps(w * 2.0, x, with_products).backward();  // w * 2.0 is not a leaf
        return w.grad().to_vector();
    };
    check_close(gradient(true), gradient(false));
}

TEST_CASE("gradient_as_product: gradcheck of an op whose weight gradient is a product") {
    manual_seed(23);
    const Tensor w = (randn({3, 4}, DType::Float64) * 0.5).requires_grad_();
    const Tensor x = randn({2, 4}, DType::Float64).requires_grad_();
    const GradcheckResult result = gradcheck(
        [](const std::vector<Tensor>& in) {
            const Tensor once = tanh(times_weight(in[0], in[1]));  // [2, 3]
            return times_weight(once, in[1].narrow(1, 0, 3));      // the weight met twice
        },
        {x, w});
    INFO(result.summary());
    CHECK(result.passed);
}

TEST_CASE("gradient_as_product: misuse is an error that names it") {
    const Tensor a = ones({2, 3});
    const Tensor b = ones({2, 4});
    CHECK_THROWS_WITH_AS(gradient_as_product(0, a, b),
                         "gradient_as_product: called outside a backward function (only a "
                         "backward that backward() is running may hand its gradient over as a "
                         "product)",
                         Error);
    auto backward_with = [](const Tensor& pa, const Tensor& pb) {
        const Tensor w = ones({3, 4}).requires_grad_();
        const Tensor y = record("bad_product", {w}, ones({1}), [pa, pb](const Tensor&) {
            gradient_as_product(0, pa, pb);
            return std::vector<Tensor>{Tensor()};
        });
        y.backward();
    };
    CHECK_THROWS_WITH_AS(backward_with(a, ones({3, 4})),
                         "gradient_as_product: input 0 wants a^T @ b with a [R, M] and b [R, N] "
                         "of one floating dtype, got a [2, 3] float32 and b [3, 4] float32",
                         Error);
    CHECK_THROWS_WITH_AS(backward_with(a, ones({2, 5})),
                         "backward of 'bad_product': gradient_as_product for input 0 makes [3, 5] "
                         "float32, the input is [3, 4] float32",
                         Error);
}
