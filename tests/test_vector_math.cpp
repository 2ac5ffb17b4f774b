// nn/vector_math.hpp: the vectorisable float sigmoid and tanh of the fused kernels stay within a
// few units in the last place of the C library's, saturate cleanly and pass NaN through; dot
// adds up every element, whatever the length.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "nn/vector_math.hpp"

namespace vm = glimpse::nn::vector_math;

namespace {

// |approx - exact| in units of float's precision at the exact value (its spacing near 1).
double ulps(float approx, double exact) {
    const double spacing = std::ldexp(1.0, std::ilogb(std::max(std::abs(exact), 1e-30)) - 23);
    return std::abs(approx - exact) / spacing;
}

}  // namespace

TEST_CASE("vector_math: float exp, sigmoid and tanh within 4 ulps of the C library") {
    double worst_exp = 0, worst_sigmoid = 0, worst_tanh = 0;
    for (double v = -20; v <= 20; v += 1.0 / 1024 + 1e-7) {
        const float x = static_cast<float>(v);
        const double xd = x;
        worst_exp = std::max(worst_exp, ulps(vm::exp(x), std::exp(xd)));
        worst_sigmoid = std::max(worst_sigmoid, ulps(vm::sigmoid(x), 1 / (1 + std::exp(-xd))));
        worst_tanh = std::max(worst_tanh, ulps(vm::tanh(x), std::tanh(xd)));
    }
    CHECK(worst_exp <= 4);
    CHECK(worst_sigmoid <= 4);
    CHECK(worst_tanh <= 4);
    // Near zero tanh(x) ~ x: no cancellation (the polynomial branch).
    CHECK(ulps(vm::tanh(1e-5f), std::tanh(1e-5)) <= 1);
}

TEST_CASE("vector_math: saturation, infinities and NaN") {
    const float inf = std::numeric_limits<float>::infinity();
    CHECK(vm::sigmoid(100.0f) == 1.0f);
    CHECK(vm::sigmoid(inf) == 1.0f);
    CHECK(vm::sigmoid(-inf) < 1e-37f);
    CHECK(vm::tanh(50.0f) == 1.0f);
    CHECK(vm::tanh(-inf) == -1.0f);
    CHECK(std::isfinite(vm::exp(1000.0f)));
    CHECK(std::isnan(vm::sigmoid(std::nanf(""))));
    CHECK(std::isnan(vm::tanh(std::nanf(""))));
}

TEST_CASE("vector_math: double keeps the C library's functions") {
    CHECK(vm::tanh(0.3) == std::tanh(0.3));
    CHECK(vm::sigmoid(0.3) == 1.0 / (1.0 + std::exp(-0.3)));
}

TEST_CASE("vector_math: dot of every length, whole vectors and a remainder, float and double") {
    // Small integers: every partial sum is exact, so any order of adding gives the same total.
    std::vector<float> xf, yf;
    std::vector<double> xd, yd;
    for (int i = 0; i < 40; ++i) {
        xf.push_back(static_cast<float>(i % 7 - 3));
        yf.push_back(static_cast<float>(i % 5 + 1));
        xd.push_back(xf.back());
        yd.push_back(yf.back());
    }
    double expected = 0;
    for (int64_t n = 0; n <= 40; ++n) {
        INFO("n = ", n);
        CHECK(vm::dot(xf.data(), yf.data(), n) == static_cast<float>(expected));
        CHECK(vm::dot(xd.data(), yd.data(), n) == expected);
        if (n < 40) expected += xd[n] * yd[n];
    }
}
