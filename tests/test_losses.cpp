// nn losses: nll_loss and mse_loss by hand and by gradcheck, cross_entropy through nn::, errors.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "nn/losses.hpp"
#include "tests/golden_nn.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;

namespace {

nn::Reduction reduction_of(const golden::Case& golden) {
    const std::string& word = golden.word("reduction");
    if (word == "sum") return nn::Reduction::Sum;
    return word == "none" ? nn::Reduction::None : nn::Reduction::Mean;
}

golden::Outputs run_cross_entropy(const golden::Case& golden, golden::Inputs& in) {
    const nn::CrossEntropyOptions options{.ignore_index = golden.integer("ignore_index"),
                                          .reduction = reduction_of(golden),
                                          .label_smoothing = golden.number("label_smoothing")};
    return {{"out", nn::cross_entropy(in["logits"], in["target"], options)}};
}

golden::Outputs run_nll_loss(const golden::Case& golden, golden::Inputs& in) {
    const nn::NllLossOptions options{.ignore_index = golden.integer("ignore_index"),
                                     .reduction = reduction_of(golden)};
    return {{"out", nn::nll_loss(in["log_probs"], in["target"], options)}};
}

golden::Outputs run_mse_loss(const golden::Case& golden, golden::Inputs& in) {
    return {{"out", nn::mse_loss(in["input"], in["target"], reduction_of(golden))}};
}

}  // namespace

TEST_CASE("losses: PyTorch's values and gradients for every reduction and option (golden)") {
    golden::check_nn_cases_every_way({{"cross_entropy", run_cross_entropy},
                                      {"nll_loss", run_nll_loss},
                                      {"mse_loss", run_mse_loss}});
}

TEST_CASE("nll_loss: picks -log p of each target; ignore_index and every reduction") {
    const Tensor log_probs = tensor({-0.5, -1.0, -2.0, -3.0, -0.25, -4.0}, {2, 3});
    const Tensor target = tensor({2, 1}, {2}, DType::Int64);
    CHECK(nn::nll_loss(log_probs, target).item() == doctest::Approx(1.125));
    nn::NllLossOptions options;
    options.reduction = nn::Reduction::Sum;
    CHECK(nn::nll_loss(log_probs, target, options).item() == 2.25);
    options.reduction = nn::Reduction::None;
    CHECK(nn::nll_loss(log_probs, target, options).to_vector() == std::vector<double>{2, 0.25});
    options.ignore_index = 1;
    CHECK(nn::nll_loss(log_probs, target, options).to_vector() == std::vector<double>{2, 0});
    options.reduction = nn::Reduction::Mean;
    CHECK(nn::nll_loss(log_probs, target, options).item() == 2);  // the mean of one target
    CHECK(nn::nll_loss(log_probs.select(0, 1), scalar_tensor(0, DType::Int64)).item() == 3);
}

TEST_CASE("nll_loss: an ignored row with -inf log-probabilities gives 0, not NaN") {
    const double inf = std::numeric_limits<double>::infinity();
    const Tensor log_probs = tensor({-inf, -inf, -0.5, -1.0}, {2, 2}).requires_grad_();
    const Tensor target = tensor({-100, 0}, {2}, DType::Int64);
    const Tensor loss = nn::nll_loss(log_probs, target);
    CHECK(loss.item() == 0.5);
    loss.backward();
    CHECK(log_probs.grad().to_vector() == std::vector<double>{0, 0, -1, 0});
    nn::NllLossOptions all_ignored;
    all_ignored.ignore_index = 0;
    CHECK(std::isnan(nn::nll_loss(log_probs.detach().narrow(0, 1, 1),
                                  tensor({0}, {1}, DType::Int64), all_ignored)
                         .item()));
}

TEST_CASE("mse_loss: mean, sum and none of the squared differences") {
    const Tensor input = tensor({1, 2, 3, 4}, {2, 2});
    const Tensor target = tensor({0, 2, 5, 3}, {2, 2});
    CHECK(nn::mse_loss(input, target).item() == 1.5);
    CHECK(nn::mse_loss(input, target, nn::Reduction::Sum).item() == 6);
    CHECK(nn::mse_loss(input, target, nn::Reduction::None).to_vector() ==
          std::vector<double>{1, 0, 4, 1});
}

TEST_CASE("cross_entropy: nn::cross_entropy is core's fused loss, with its options") {
    const Tensor logits = tensor({1, 2, 3, 0, 0, 0}, {2, 3});
    const Tensor target = tensor({2, -100}, {2}, DType::Int64);
    nn::CrossEntropyOptions options;
    options.reduction = nn::Reduction::Sum;
    CHECK(nn::cross_entropy(logits, target, options).item() ==
          doctest::Approx(std::log(std::exp(1) + std::exp(2) + std::exp(3)) - 3));
}

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: nll_loss and mse_loss") {
        using testing::Args;
        testing::Inputs inputs(73);
        const Tensor target = tensor({2, 0, -100, 3, 2}, {5}, DType::Int64);
        const std::pair<nn::Reduction, const char*> reductions[] = {{nn::Reduction::Mean, "mean"},
                                                                    {nn::Reduction::Sum, "sum"},
                                                                    {nn::Reduction::None, "none"}};
        for (const auto& [reduction, name] : reductions) {
            nn::NllLossOptions options;
            options.reduction = reduction;
            testing::check_gradient(
                fmt::format("nll_loss [5, 4] with an ignored target, reduction {}", name),
                [&](const Args& in) { return nn::nll_loss(in[0], target, options); },
                {inputs.uniform({5, 4}, -3, -0.1)});
            testing::check_gradient(
                fmt::format("mse_loss [3, 4] w.r.t. input and target, reduction {}", name),
                [&](const Args& in) { return nn::mse_loss(in[0], in[1], reduction); },
                {inputs.uniform({3, 4}), inputs.uniform({4, 3}).t()});
        }
    }
}

TEST_CASE("losses: errors name the loss and the shapes") {
    CHECK_THROWS_WITH_AS(nn::nll_loss(zeros({2, 3}), tensor({0, 3}, {2}, DType::Int64)),
                         "nll_loss: target 3 at position 1 is out of range for 3 classes "
                         "(expected 0..2 or ignore_index -100)",
                         Error);
    CHECK_THROWS_WITH_AS(nn::nll_loss(zeros({2, 3}), zeros({3}, DType::Int64)),
                         "nll_loss: target [3] int64 does not fit log_probs [2, 3] float32 "
                         "(expected target [2])",
                         Error);
    CHECK_THROWS_WITH_AS(nn::nll_loss(zeros({2, 3, 4}), zeros({2}, DType::Int64)),
                         doctest::Contains("must be [N, C] or [C]"), Error);
    CHECK_THROWS_AS(nn::nll_loss(zeros({2, 3}), zeros({2})), Error);
    CHECK_THROWS_WITH_AS(
        nn::mse_loss(zeros({2, 3}), zeros({3})),
        "mse_loss: input [2, 3] float32 and target [3] float32 must have one shape", Error);
    CHECK_THROWS_AS(nn::mse_loss(zeros({2}), zeros({2}, DType::Float64)), Error);
}
