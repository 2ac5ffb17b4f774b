#include <doctest/doctest.h>

#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

using namespace glimpse;

TEST_CASE("autograd: chain rule through mul, add and tanh matches the hand derivative") {
    Tensor x = tensor({0.5, -1.0}, {2}, DType::Float64).requires_grad_();
    Tensor w = tensor({2.0, 3.0}, {2}, DType::Float64).requires_grad_();
    Tensor y = sum(tanh(x * w + 1.0));
    y.backward();
    // dy/dx = w (1 - tanh(xw + 1)^2), dy/dw = x (1 - tanh(xw + 1)^2)
    const std::vector<double> gx = x.grad().to_vector();
    const std::vector<double> gw = w.grad().to_vector();
    for (int i = 0; i < 2; ++i) {
        const double xi = x.to_vector()[i], wi = w.to_vector()[i];
        const double d = 1 - std::tanh(xi * wi + 1) * std::tanh(xi * wi + 1);
        CHECK(gx[i] == doctest::Approx(wi * d).epsilon(1e-12));
        CHECK(gw[i] == doctest::Approx(xi * d).epsilon(1e-12));
    }
}

TEST_CASE("autograd: gradients accumulate until zeroed") {
    Tensor x = tensor({1.0, 2.0}, {2}).requires_grad_();
    sum(x * 3.0).backward();
    sum(x * 3.0).backward();
    CHECK(x.grad().to_vector() == std::vector<double>{6.0, 6.0});
    x.zero_grad();
    CHECK_FALSE(x.grad().defined());
}

TEST_CASE("autograd: sums of gradients never write into a tensor someone else holds") {
    Tensor x = tensor({1.0, 2.0}, {2}).requires_grad_();
    const Tensor y = x * 1.0;
    // y has four readers: its gradient is summed three times; add's backward hands the same
    // gradient to both of its inputs, so the first two terms share one buffer
    sum((y + y) * 2.0 + y * y).backward();
    CHECK(x.grad().to_vector() == std::vector<double>{6.0, 8.0});  // 4 + 2y
    const Tensor held = x.grad();
    sum(x * 3.0).backward();  // accumulates into .grad while the user holds the old one
    CHECK(held.to_vector() == std::vector<double>{6.0, 8.0});
    CHECK(x.grad().to_vector() == std::vector<double>{9.0, 11.0});
    sum(x * 3.0).backward();  // .grad now held by nobody else: summed in its own buffer
    CHECK(x.grad().to_vector() == std::vector<double>{12.0, 14.0});
    CHECK(held.to_vector() == std::vector<double>{6.0, 8.0});
}

TEST_CASE("autograd: a leaf keeps a gradient nothing else holds as its .grad, without a copy") {
    const Tensor x = tensor({1.0, 2.0}, {2}, DType::Float64).requires_grad_();
    const double* made = nullptr;  // where the backward wrote the gradient it returned
    const Tensor y = record("fresh_gradient", {x}, x.detach() * 2.0, [&made](const Tensor& g) {
        const Tensor grad = g * 2.0;
        made = grad.data<double>();
        return std::vector<Tensor>{grad};
    });
    sum(y).backward();
    CHECK(x.grad().to_vector() == std::vector<double>{2.0, 2.0});
    CHECK(x.grad().data<double>() == made);
}

TEST_CASE("autograd: contiguous and transposed gradients sum into one buffer") {
    Tensor w = tensor({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
    const Tensor a = tensor({1, 0, 2, 0, 3, 0}, {2, 3});
    const Tensor b = tensor({1, 1, 2, 2, 3, 3}, {3, 2});
    // w * a sends w a contiguous gradient (a), (w^T * b)^T a transposed view (b^T)
    sum(w * a + (w.t() * b).t()).backward();
    CHECK(w.grad().to_vector() == std::vector<double>{2, 2, 5, 1, 5, 3});
    sum(w * a).backward();  // added in place into .grad, which nothing else holds
    CHECK(w.grad().to_vector() == std::vector<double>{3, 2, 7, 1, 8, 3});
}

TEST_CASE("autograd: a 10,000-step recurrence runs backward and frees without recursion") {
    Tensor w = tensor({0.999}, {1}, DType::Float64).requires_grad_();
    Tensor h = tensor({1.0}, {1}, DType::Float64);
    for (int t = 0; t < 10000; ++t) h = tanh(h * w + 0.01);
    sum(h).backward();
    CHECK(w.grad().defined());
    CHECK(std::isfinite(w.grad().item()));
}

TEST_CASE("autograd: errors name what was wrong") {
    Tensor x = tensor({1.0, 2.0}, {2}).requires_grad_();
    Tensor y = x * 2.0;
    CHECK_THROWS_WITH_AS(y.backward(), doctest::Contains("must hold one element"), Error);
    Tensor loss = sum(y);
    loss.backward();
    CHECK_THROWS_WITH_AS(loss.backward(), doctest::Contains("already freed"), Error);
    CHECK_THROWS_WITH_AS(sum(tensor({1.0}, {1})).backward(),
                         doctest::Contains("does not require grad"), Error);
}
