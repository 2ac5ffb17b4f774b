// nn::Dropout: drops and rescales in training mode, passes through in evaluation mode.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "nn/dropout.hpp"

using namespace glimpse;

TEST_CASE("Dropout: train() drops with probability p and scales by 1/(1-p); eval() is identity") {
    manual_seed(11);
    nn::Dropout drop(0.25);
    const Tensor x = ones({100, 100});
    const std::vector<double> trained = drop.forward(x).to_vector();
    int64_t kept = 0;
    for (double v : trained) {
        CHECK((v == 0 || v == doctest::Approx(1 / 0.75)));
        kept += v != 0;
    }
    CHECK(kept / 10000.0 == doctest::Approx(0.75).epsilon(0.03));

    drop.eval();
    CHECK(drop.forward(x).impl() == x.impl());  // the input itself, untouched
    drop.train();
    CHECK(drop.forward(x).to_vector() != x.to_vector());
    CHECK(drop.summary() == "Dropout(p=0.25)\ntotal parameters: 0\n");
}

TEST_CASE("Dropout: the gradient is masked and scaled like the values") {
    manual_seed(12);
    nn::Dropout drop(0.5);
    const Tensor x = ones({50}).requires_grad_();
    const Tensor y = drop.forward(x);
    y.sum().backward();
    CHECK(x.grad().to_vector() == y.to_vector());  // x is ones: each gradient equals its output
}

TEST_CASE("Dropout: p outside [0, 1) is an error when the module is made") {
    CHECK_THROWS_WITH_AS(nn::Dropout(1.0), "Dropout: p must be in [0, 1), got 1", Error);
    CHECK_THROWS_AS(nn::Dropout(-0.1), Error);
}
