// nn/init: each helper fills the tensor it is given in place, from the right distribution.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/init.hpp"

using namespace glimpse;

namespace {

double mean_of(const Tensor& x) {
    return mean(x).item();
}

double std_of(const Tensor& x) {
    const Tensor centred = x - mean(x);
    return std::sqrt(mean(centred * centred).item());
}

}  // namespace

TEST_CASE("init: uniform_ fills in place within [low, high), the same for the same seed") {
    Tensor w = zeros({100, 50});
    const TensorImpl* before = w.impl();
    Generator generator(7);
    nn::uniform_(w, -0.5, 0.25, generator);
    CHECK(w.impl() == before);  // the same handle: modules keep holding it
    const std::vector<double> v = w.to_vector();
    CHECK(*std::min_element(v.begin(), v.end()) >= -0.5);
    CHECK(*std::max_element(v.begin(), v.end()) < 0.25);
    CHECK(mean_of(w) == doctest::Approx(-0.125).epsilon(0.01));

    Tensor again = zeros({100, 50});
    Generator same_seed(7);
    nn::uniform_(again, -0.5, 0.25, same_seed);
    CHECK(again.to_vector() == v);
}

TEST_CASE("init: normal_ has the asked mean and standard deviation; float64 stays float64") {
    Tensor w = zeros({200, 100}, DType::Float64);
    nn::normal_(w, 2.0, 0.5);
    CHECK(w.dtype() == DType::Float64);
    CHECK(mean_of(w) == doctest::Approx(2.0).epsilon(0.01));
    CHECK(std_of(w) == doctest::Approx(0.5).epsilon(0.02));
}

TEST_CASE("init: constant_ and zeros_ write through views into the parameter's storage") {
    Tensor w = ones({3, 4}).requires_grad_();
    nn::zeros_(w.select(0, 1));  // one row of a parameter, through a view
    nn::constant_(w.narrow(1, 3, 1), 7.0);
    CHECK(w.to_vector() == std::vector<double>{1, 1, 1, 7, 0, 0, 0, 7, 1, 1, 1, 7});
    CHECK(w.is_leaf());  // nothing was recorded
}

TEST_CASE("init: kaiming_uniform_ with a = sqrt(5) is U(+-1/sqrt(fan_in)), nn.Linear's default") {
    Tensor w = zeros({64, 25});
    CHECK(nn::fan_in(w) == 25);
    CHECK(nn::fan_in(zeros({8, 3, 5})) == 15);
    nn::kaiming_uniform_(w, std::sqrt(5.0));
    const std::vector<double> v = w.to_vector();
    const double bound = 1.0 / 5.0;
    CHECK(*std::min_element(v.begin(), v.end()) >= -bound);
    CHECK(*std::max_element(v.begin(), v.end()) < bound);
    CHECK(*std::max_element(v.begin(), v.end()) > 0.9 * bound);  // the whole range is used
    CHECK(nn::kaiming_uniform_(zeros({4, 0})).numel() == 0);     // nothing to fill, no 1/0
}

TEST_CASE("init: errors name the helper and the tensor") {
    CHECK_THROWS_WITH_AS(nn::uniform_(zeros({2}, DType::Int64), 0, 1),
                         doctest::Contains("uniform_"), Error);
    CHECK_THROWS_WITH_AS(nn::fan_in(zeros({5})),
                         "fan_in: needs a weight with at least 2 dims, got [5] float32", Error);
    CHECK_THROWS_AS(nn::zeros_(Tensor()), Error);
}
