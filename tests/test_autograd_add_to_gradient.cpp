// Tests of add_to_gradient (core/autograd.hpp): a backward function adds its gradient for an
// input straight into the sum the engine holds for it, when there is one it may change in place.
// Each gradient is compared with the same computation written with plain ops, and the tests
// count how often the in-place path was taken, so that neither path goes unchecked.

#include <doctest/doctest.h>

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

int added_in_place = 0;  // calls of add_to_gradient that added into a sum

// y = c * x for float64 x: a custom op whose backward adds c * g into x's gradient when it can.
Tensor scale(const Tensor& x, double c) {
    const Tensor y = x.detach() * c;
    return record("scale", {x}, y, [c](const Tensor& g) {
        const Tensor contiguous = g.contiguous();
        const bool added = add_to_gradient(0, [&](const Tensor& sum) {
            double* out = sum.data<double>();
            const double* in = contiguous.data<double>();
            for (int64_t i = 0; i < sum.numel(); ++i) out[i] += c * in[i];
        });
        added_in_place += added;
        return std::vector<Tensor>{added ? Tensor() : g * c};
    });
}

// x read by three ops, as the encoder states are by every decoder step: the custom op, or plain
// multiplication for the reference.
Tensor read_three_times(const Tensor& x, bool custom) {
    Tensor total = zeros(x.shape(), DType::Float64);
    for (const double c : {2.0, -3.0, 0.5}) {
        total = total + tanh(custom ? scale(x, c) : x * c);
    }
    return sum(total * total);
}

}  // namespace

TEST_CASE("add_to_gradient: a computed input read three times gets the sum, two of them in place") {
    manual_seed(31);
    const Tensor w = randn({3, 4}, DType::Float64).requires_grad_();
    auto gradient = [&](bool custom) {
        w.zero_grad();
        read_three_times(w * 1.5, custom).backward();  // w * 1.5: an input computed by an op
        return w.grad().to_vector();
    };
    const std::vector<double> want = gradient(false);
    added_in_place = 0;
    check_close(gradient(true), want);
    // The first gradient to arrive becomes the sum; the next two are added into it.
    CHECK(added_in_place == 2);
}

TEST_CASE("add_to_gradient: a leaf's .grad is added to in place unless the user holds it") {
    manual_seed(32);
    const Tensor x = randn({2, 5}, DType::Float64).requires_grad_();
    read_three_times(x, false).backward();
    const std::vector<double> once = x.grad().to_vector();
    x.zero_grad();

    added_in_place = 0;
    read_three_times(x, true).backward();
    check_close(x.grad().to_vector(), once);
    CHECK(added_in_place == 2);

    SUBCASE("a second backward adds to the first one's .grad") {
        read_three_times(x, true).backward();
        std::vector<double> twice = once;
        for (double& v : twice) v *= 2;
        check_close(x.grad().to_vector(), twice);
        CHECK(added_in_place == 5);  // the .grad from the first pass is added to as well
    }
    SUBCASE("a .grad the user holds is left as it was") {
        const Tensor held = x.grad();
        const std::vector<double> before = held.to_vector();
        read_three_times(x, true).backward();
        CHECK(held.to_vector() == before);
        std::vector<double> twice = once;
        for (double& v : twice) v *= 2;
        check_close(x.grad().to_vector(), twice);
    }
}

TEST_CASE("add_to_gradient: anomaly mode checks every gradient, so none is added in place") {
    manual_seed(33);
    const Tensor x = randn({4}, DType::Float64).requires_grad_();
    read_three_times(x, false).backward();
    const std::vector<double> want = x.grad().to_vector();
    x.zero_grad();
    const DetectAnomalyGuard anomaly;
    added_in_place = 0;
    read_three_times(x, true).backward();
    check_close(x.grad().to_vector(), want);
    CHECK(added_in_place == 0);
}

TEST_CASE("add_to_gradient: gradcheck through an op that adds in place") {
    manual_seed(34);
    const Tensor x = randn({3, 3}, DType::Float64).requires_grad_();
    const GradcheckResult result = gradcheck(
        [](const std::vector<Tensor>& in) { return read_three_times(in[0] * 1.0, true); }, {x});
    INFO(result.summary());
    CHECK(result.passed);
}

TEST_CASE("add_to_gradient: misuse is an error that says what was wrong") {
    CHECK_THROWS_WITH_AS(add_to_gradient(0, [](const Tensor&) {}),
                         "add_to_gradient: called outside a backward function (only a backward "
                         "that backward() is running may add to its inputs' gradients)",
                         Error);
    const Tensor x = ones({2}, DType::Float64).requires_grad_();
    const Tensor y = record("two_inputs_claimed", {x}, x.detach() * 2.0, [](const Tensor& g) {
        add_to_gradient(1, [](const Tensor&) {});
        return std::vector<Tensor>{g * 2.0};
    });
    CHECK_THROWS_WITH_AS(sum(y).backward(),
                         "backward of 'two_inputs_claimed': add_to_gradient for input 1, but the "
                         "op has 1 inputs",
                         Error);
}
