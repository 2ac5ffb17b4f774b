#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/module.hpp"

using namespace glimpse;

namespace {

// Two tiny modules, one inside the other, to check dotted names and recursion.
struct Inner : nn::Module {
    Inner() : nn::Module("Inner") { weight = register_parameter("weight", zeros({2, 3})); }
    Tensor weight;
};

struct Outer : nn::Module {
    Outer() : nn::Module("Outer") {
        bias = register_parameter("bias", zeros({3}));
        inner = register_module("inner", std::make_shared<Inner>());
    }
    Tensor bias;
    std::shared_ptr<Inner> inner;
};

}  // namespace

TEST_CASE("Module: dotted parameter names, counts, zero_grad, freezing and train/eval") {
    Outer model;
    const auto named = model.named_parameters();
    REQUIRE(named.size() == 2);
    CHECK(named[0].first == "bias");
    CHECK(named[1].first == "inner.weight");
    CHECK(model.parameter_count() == 9);
    CHECK(named[1].second.impl() == model.inner->weight.impl());  // the same tensor, not a copy

    sum(model.inner->weight * 2.0).backward();
    CHECK(model.inner->weight.grad().defined());
    model.zero_grad();
    CHECK_FALSE(model.inner->weight.grad().defined());

    model.inner->requires_grad_(false);
    CHECK_FALSE(model.inner->weight.requires_grad());
    CHECK(model.bias.requires_grad());
    CHECK(model.summary().find("(frozen)") != std::string::npos);

    model.eval();
    CHECK_FALSE(model.inner->is_training());
    model.train();
    CHECK(model.inner->is_training());
}

TEST_CASE("Module: registering a parameter name twice is an error") {
    struct Twice : nn::Module {
        Twice() : nn::Module("Twice") {
            register_parameter("w", zeros({1}));
            register_parameter("w", zeros({1}));
        }
    };
    CHECK_THROWS_WITH_AS(Twice(), doctest::Contains("parameter 'w' is registered twice"), Error);
}
