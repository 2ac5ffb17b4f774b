// nn::Linear and nn::linear: construction and PyTorch's initialisation, forward shapes, the
// gradients (gradcheck w.r.t. the input and every parameter), errors.

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "nn/linear.hpp"
#include "tests/golden_nn.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;

namespace {

double largest_magnitude(const Tensor& x) {
    double largest = 0;
    for (double v : x.to_vector()) largest = std::max(largest, std::abs(v));
    return largest;
}

golden::Outputs run_linear(const golden::Case& golden, golden::Inputs& in) {
    const Tensor bias = golden.has("bias") ? in["bias"] : Tensor();
    return {{"out", nn::linear(in["x"], in["weight"], bias)}};
}

}  // namespace

TEST_CASE("Linear: parameters named and shaped as PyTorch's, initialised in +-1/sqrt(in)") {
    manual_seed(1);
    nn::Linear layer(16, 8);
    const auto named = layer.named_parameters();
    REQUIRE(named.size() == 2);
    CHECK(named[0].first == "weight");
    CHECK(named[1].first == "bias");
    CHECK(layer.weight.shape() == Shape{8, 16});
    CHECK(layer.bias.shape() == Shape{8});
    CHECK(layer.weight.dtype() == DType::Float32);
    CHECK(layer.weight.requires_grad());
    CHECK(largest_magnitude(layer.weight) <= 0.25);  // 1/sqrt(16)
    CHECK(largest_magnitude(layer.weight) > 0.2);
    CHECK(largest_magnitude(layer.bias) <= 0.25);
    CHECK(layer.summary().find("Linear(in_features=16, out_features=8, bias=true)") !=
          std::string::npos);

    nn::Linear no_bias(3, 2, false, DType::Float64);
    CHECK(no_bias.named_parameters().size() == 1);
    CHECK_FALSE(no_bias.bias.defined());
    CHECK(no_bias.weight.dtype() == DType::Float64);
}

TEST_CASE("Linear: the same seed gives the same initial weights") {
    manual_seed(5);
    nn::Linear a(4, 3);
    manual_seed(5);
    nn::Linear b(4, 3);
    CHECK(a.weight.to_vector() == b.weight.to_vector());
    CHECK(a.bias.to_vector() == b.bias.to_vector());
}

TEST_CASE("Linear: forward is x W^T + b on [in], [B, in] and [B, S, in]") {
    nn::Linear layer(2, 3);
    copy_(layer.weight, tensor({1, 2, 3, 4, 5, 6}, {3, 2}));
    copy_(layer.bias, tensor({0.5, -0.5, 1}, {3}));
    const Tensor x = tensor({1, -1, 2, 0.5}, {2, 2});  // [B, in]
    CHECK(layer.forward(x).to_vector() == std::vector<double>{-0.5, -1.5, 0, 3.5, 7.5, 14});
    CHECK(layer.forward(x.select(0, 0)).shape() == Shape{3});          // [in] -> [out]
    CHECK(layer.forward(zeros({4, 5, 2})).shape() == Shape{4, 5, 3});  // [B, S, out]
    CHECK(layer.forward(zeros({4, 5, 2})).select(1, 2).to_vector() ==
          std::vector<double>{0.5, -0.5, 1, 0.5, -0.5, 1, 0.5, -0.5, 1, 0.5, -0.5, 1});
}

TEST_CASE("Linear: backward fills the weight's and the bias's gradients") {
    nn::Linear layer(2, 3);
    const Tensor x = tensor({1, -1, 2, 0.5}, {2, 2});
    sum(layer.forward(x)).backward();
    // d sum(y) / dW[o, i] = sum over the batch of x[b, i]; d sum(y) / db[o] = batch size.
    CHECK(layer.weight.grad().to_vector() == std::vector<double>{3, -0.5, 3, -0.5, 3, -0.5});
    CHECK(layer.bias.grad().to_vector() == std::vector<double>{2, 2, 2});
}

TEST_CASE("Linear: PyTorch's values and gradients for x, weight and bias (golden)") {
    golden::check_nn_cases_every_way({{"linear", run_linear}});
}

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: Linear w.r.t. its input, weight and bias") {
        using testing::Args;
        testing::Inputs inputs(71);
        nn::Linear layer(3, 4, true, DType::Float64);
        const auto with_bias = [](const Args& in) { return nn::linear(in[0], in[1], in[2]); };
        const auto without_bias = [](const Args& in) { return nn::linear(in[0], in[1]); };
        const auto module = [&layer](const Args& in) { return layer.forward(in[0]); };
        testing::check_gradient("Linear [5, 3] -> [5, 4]", with_bias,
                                {inputs.uniform({5, 3}), layer.weight, layer.bias});
        testing::check_gradient("Linear [2, 3, 3] -> [2, 3, 4]", with_bias,
                                {inputs.uniform({2, 3, 3}), layer.weight, layer.bias});
        testing::check_gradient("Linear [3] -> [4]", with_bias,
                                {inputs.uniform({3}), layer.weight, layer.bias});
        testing::check_gradient("Linear transposed input [5, 3]", with_bias,
                                {inputs.uniform({3, 5}).t(), layer.weight, layer.bias});
        testing::check_gradient("Linear without bias", without_bias,
                                {inputs.uniform({5, 3}), layer.weight});
        testing::check_gradient("Linear module forward w.r.t. x", module,
                                {inputs.uniform({2, 5, 3})});
    }
}

TEST_CASE("Linear: errors name the shapes") {
    nn::Linear layer(4, 3);
    CHECK_THROWS_WITH_AS(layer.forward(zeros({2, 5})),
                         "linear: input [2, 5] float32 must end in 4 features, the in of weight "
                         "[3, 4] float32",
                         Error);
    CHECK_THROWS_WITH_AS(layer.forward(scalar_tensor(1)), doctest::Contains("must end in 4"),
                         Error);
    CHECK_THROWS_AS(layer.forward(zeros({2, 4}, DType::Int64)), Error);
    CHECK_THROWS_WITH_AS(nn::linear(zeros({2, 4}), zeros({3, 4}), zeros({4})),
                         "linear: bias [4] float32 must be [3], the out of weight [3, 4] float32",
                         Error);
    CHECK_THROWS_WITH_AS(nn::linear(zeros({2, 4}), zeros({4})),
                         "linear: weight must be [out, in], got [4] float32", Error);
    CHECK_THROWS_WITH_AS(nn::Linear(-1, 3), "Linear: sizes must not be negative, got in=-1, out=3",
                         Error);
}
