// Tests of gradcheck itself: it must catch a wrong backward and point at the wrong entry, refuse
// inputs it cannot measure, and honour its options.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/gradcheck.hpp"
#include "core/ops.hpp"
#include "tests/parameter_gradcheck.hpp"

using namespace glimpse;

namespace {

using Args = std::vector<Tensor>;

// x^3 with a backward scaled by `factor`: right when factor is 1.
Tensor cube(const Tensor& x, double factor) {
    Tensor y;
    {
        NoGradGuard no_grad;
        y = x * x * x;
    }
    return record("cube", {x}, y, [x, factor](const Tensor& g) {
        return std::vector<Tensor>{g * (3.0 * factor) * x * x};
    });
}

// a * b whose gradient for b is doubled at [2, 0] only: one wrong entry to find.
Tensor mul_wrong_at_2_0(const Tensor& a, const Tensor& b) {
    Tensor y;
    {
        NoGradGuard no_grad;
        y = a * b;
    }
    return record("mul_wrong_at_2_0", {a, b}, y, [a, b](const Tensor& g) {
        Tensor scale = ones(b.shape(), DType::Float64);
        scale.data<double>()[2 * b.size(1)] = 2.0;
        return std::vector<Tensor>{g * b, g * a * scale};
    });
}

Tensor values(const std::vector<double>& v, const Shape& shape) {
    return tensor(v, shape, DType::Float64);
}

GradcheckResult check_cube(double factor, const GradcheckOptions& options = {}) {
    const Tensor x = values({0.5, -1.5, 2.0, 1.0}, {4}).requires_grad_();
    return gradcheck([factor](const Args& in) { return cube(in[0], factor); }, {x}, options);
}

}  // namespace

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: a correct backward passes, a wrong one fails") {
        const GradcheckResult good = check_cube(1.0);
        CHECK(good.passed);
        CHECK(good.max_abs_error < 1e-8);

        const GradcheckResult bad = check_cube(2.0 / 3.0);  // 2x^2 instead of 3x^2
        CHECK_FALSE(bad.passed);
        CHECK(bad.analytic == doctest::Approx(bad.numeric * 2.0 / 3.0));
        CHECK(bad.max_rel_error == doctest::Approx(1.0 / 3.0));
        CHECK(bad.summary().rfind("FAIL: ", 0) == 0);
    }

    TEST_CASE("gradcheck: a NaN gradient fails and shows in the summary") {
        const GradcheckResult r = check_cube(std::numeric_limits<double>::quiet_NaN());
        CHECK_FALSE(r.passed);
        CHECK(std::isnan(r.max_abs_error));
        CHECK(r.summary().find("analytic nan vs numeric") != std::string::npos);
    }

    TEST_CASE("gradcheck: the worst entry names the input and the element that is wrong") {
        const Tensor a = values({0.5, -1.0, 1.5, 2.0, -0.5, 1.0}, {3, 2}).requires_grad_();
        const Tensor b = values({1.0, 2.0, -1.0, 0.5, 1.5, -2.0}, {3, 2}).requires_grad_();
        const GradcheckResult r =
            gradcheck([](const Args& in) { return mul_wrong_at_2_0(in[0], in[1]); }, {a, b});
        CHECK_FALSE(r.passed);
        CHECK(r.input == 1);
        CHECK(r.index == Shape{2, 0});
        CHECK(r.analytic == doctest::Approx(2 * r.numeric));
        CHECK(r.summary().find("worst: input 1 at [2, 0]") != std::string::npos);
    }

    TEST_CASE("gradcheck: summary() reads as one line") {
        GradcheckResult r;
        r.passed = false;
        r.max_abs_error = 0.0312;
        r.max_rel_error = 1.0;
        r.input = 1;
        r.index = {2, 0};
        r.analytic = 0.25;
        r.numeric = 0.5;
        CHECK(
            r.summary() ==
            "FAIL: max abs error 3.1e-02, max rel 1.0e+00; worst: input 1 at [2, 0], analytic 0.25 "
            "vs numeric 0.5");
        r.passed = true;
        CHECK(r.summary() == "PASS: max abs error 3.1e-02, max rel 1.0e+00");
    }

    TEST_CASE("gradcheck: a cut in the graph (detach) is caught") {
        const Tensor x = values({0.5, 1.5}, {2}).requires_grad_();
        const GradcheckResult r =
            gradcheck([](const Args& in) { return in[0] * in[0].detach(); }, {x});
        CHECK_FALSE(r.passed);  // analytic x, numeric 2x
    }

    TEST_CASE("gradcheck: refuses inputs it cannot measure, saying what to do") {
        const auto identity = [](const Args& in) { return in[0] * 1.0; };
        CHECK_THROWS_WITH_AS(gradcheck(identity, {tensor({1.0, 2.0}, {2}).requires_grad_()}),
                             doctest::Contains(".to(DType::Float64)"), Error);
        const Tensor row = values({1.0, 2.0, 3.0}, {1, 3}).requires_grad_();
        CHECK_THROWS_WITH_AS(gradcheck(identity, {row.expand({4, 3})}),
                             doctest::Contains("expand it inside f"), Error);
        CHECK_THROWS_WITH_AS(gradcheck(identity, {values({1.0}, {1})}),
                             doctest::Contains("no input requires grad"), Error);
        CHECK_THROWS_WITH_AS(gradcheck([](const Args& in) { return in[0].to(DType::Float32); },
                                       {values({1.0}, {1}).requires_grad_()}),
                             doctest::Contains("compute in float64"), Error);
        NoGradGuard no_grad;
        CHECK_THROWS_WITH_AS(gradcheck(identity, {values({1.0}, {1}).requires_grad_()}),
                             doctest::Contains("NoGradGuard"), Error);
    }

    TEST_CASE("gradcheck: views as inputs work, and the caller's tensors are left alone") {
        const Tensor base =
            values({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {3, 4}).requires_grad_();
        const Tensor view = base.t().narrow(0, 1, 2);  // [2, 3], neither contiguous nor at offset 0
        const GradcheckResult r =
            gradcheck([](const Args& in) { return tanh(in[0] / 10.0) * in[1]; },
                      {view, values({0.5, -1, 2}, {3})});
        CHECK(r.passed);
        CHECK(base.to_vector() ==
              values({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {12}).to_vector());
        CHECK_FALSE(base.grad().defined());
    }

    TEST_CASE(
        "gradcheck: inputs f does not use get zero gradients; int and bool inputs are constants") {
        const Tensor x = values({0.5, 1.5}, {2}).requires_grad_();
        const Tensor unused = values({3.0}, {1}).requires_grad_();
        const Tensor scale = tensor({2, 3}, {2}, DType::Int64);
        const GradcheckResult r = gradcheck(
            [](const Args& in) { return in[0] * in[2].to(DType::Float64); }, {x, unused, scale});
        CHECK(r.passed);
    }

    TEST_CASE("gradcheck: options are honoured") {
        SUBCASE("seed picks the upstream gradient, the same one on every call") {
            const GradcheckResult first = check_cube(2.0, {.seed = 7});
            CHECK(check_cube(2.0, {.seed = 7}).numeric == first.numeric);
            CHECK(check_cube(2.0, {.seed = 8}).numeric != first.numeric);
        }
        SUBCASE("rtol and atol set how close is close enough") {
            CHECK_FALSE(check_cube(1.01).passed);  // 1% off
            CHECK(check_cube(1.01, {.rtol = 0.02}).passed);
            CHECK(check_cube(1.01, {.atol = 1.0}).passed);
        }
        SUBCASE("eps: a large step measures the curvature too") {
            const Tensor x = values({0.5, 1.0, 1.5}, {3}).requires_grad_();
            const auto f = [](const Args& in) { return exp(in[0]); };
            CHECK(gradcheck(f, {x}).passed);
            CHECK_FALSE(gradcheck(f, {x}, {.eps = 0.1}).passed);
        }
    }

    TEST_CASE(
        "gradcheck: a parameter the function reads itself is checked only through "
        "through_parameters") {
        // f reads `weight` itself, as a module reads its parameters; its backward for the weight
        // is doubled.
        const Tensor weight = values({0.5, -1.5, 2.0}, {3}).requires_grad_();
        const Tensor x = values({1.0, 2.0, -0.5}, {3}).requires_grad_();
        const testing::Function f = [weight](const Args& in) {
            return mul_wrong_at_2_0(in[0].reshape({3, 1}), weight.reshape({3, 1}));
        };
        // Passed straight to gradcheck, the weight is a private copy that f never reads: zero
        // against zero, so the wrong gradient goes unseen.
        CHECK(gradcheck([&f](const Args& in) { return f({in[0]}); }, {x, weight}).passed);
        const GradcheckResult through =
            gradcheck(testing::through_parameters(f, {weight}), {x, weight});
        CHECK_FALSE(through.passed);
        CHECK(through.input == 1);
        CHECK(through.index == Shape{2});
        // With a right backward the same check passes, and the input's gradient is checked too.
        const testing::Function right = [weight](const Args& in) { return in[0] * weight; };
        CHECK(gradcheck(testing::through_parameters(right, {weight}), {x, weight}).passed);
    }
}
