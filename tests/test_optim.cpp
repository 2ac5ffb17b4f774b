// nn optimizers and clip_grad_norm: PyTorch's steps (golden), which parameters a step touches and
// how (in place, skipping frozen ones), training a layer, errors.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "nn/linear.hpp"
#include "nn/losses.hpp"
#include "nn/optim.hpp"
#include "tests/golden_nn.hpp"

using namespace glimpse;

namespace {

using MakeOptimizer =
    std::function<std::unique_ptr<nn::Optimizer>(const golden::Case&, std::vector<Tensor>)>;

// Five steps over the parameters w and b from the case's gradients gw<k> and gb<k> (a missing
// one: no gradient at step k); outputs w<k> and b<k>, the values after step k.
golden::Runner steps(MakeOptimizer make) {
    return [make](const golden::Case& golden, golden::Inputs& in) {
        const std::vector<std::pair<std::string, Tensor>> params = {
            {"w", in["w"].requires_grad_()}, {"b", in["b"].requires_grad_()}};
        const std::unique_ptr<nn::Optimizer> optimizer =
            make(golden, {params[0].second, params[1].second});
        golden::Outputs outputs;
        for (int k = 1; k <= 5; ++k) {
            for (const auto& [name, param] : params) {
                const std::string grad = fmt::format("g{}{}", name, k);
                param.set_grad(golden.has(grad) ? in[grad] : Tensor());
            }
            optimizer->step();
            for (const auto& [name, param] : params) {
                outputs.emplace_back(fmt::format("{}{}", name, k), param.detach().clone());
            }
        }
        return outputs;
    };
}

std::unique_ptr<nn::Optimizer> make_sgd(const golden::Case& golden, std::vector<Tensor> params) {
    const nn::SGDOptions options{.lr = golden.number("lr"),
                                 .momentum = golden.number("momentum"),
                                 .dampening = golden.number("dampening"),
                                 .weight_decay = golden.number("weight_decay"),
                                 .nesterov = golden.flag("nesterov")};
    return std::make_unique<nn::SGD>(std::move(params), options);
}

template <typename Optimizer, typename Options>
std::unique_ptr<nn::Optimizer> make_adam(const golden::Case& golden, std::vector<Tensor> params) {
    const Options options{.lr = golden.number("lr"),
                          .betas = {golden.number("beta1"), golden.number("beta2")},
                          .eps = golden.number("eps"),
                          .weight_decay = golden.number("weight_decay")};
    return std::make_unique<Optimizer>(std::move(params), options);
}

golden::Outputs run_clip_grad_norm(const golden::Case& golden, golden::Inputs& in) {
    const Tensor w = in["w"].requires_grad_(), b = in["b"].requires_grad_();
    w.set_grad(in["gw"]);
    b.set_grad(in["gb"]);
    const double total = nn::clip_grad_norm({w, b}, golden.number("max_norm"));
    return {{"total_norm", scalar_tensor(total, DType::Float64)},
            {"clipped_gw", w.grad()},
            {"clipped_gb", b.grad()}};
}

const std::map<std::string, golden::Runner>& runners() {
    static const std::map<std::string, golden::Runner> table = {
        {"sgd", steps(make_sgd)},
        {"adam", steps(make_adam<nn::Adam, nn::AdamOptions>)},
        {"adamw", steps(make_adam<nn::AdamW, nn::AdamWOptions>)},
        {"clip_grad_norm", run_clip_grad_norm},
    };
    return table;
}

}  // namespace

TEST_CASE("optim: SGD, Adam, AdamW and clip_grad_norm take PyTorch's steps (golden)") {
    golden::check_nn_cases(runners());
    golden::check_nn_cases(runners(), {DType::Float32, false, golden::kFloat32Tolerance});
}

TEST_CASE("optim: a step updates the parameters in place and skips frozen or gradless ones") {
    const Tensor used = ones({2}).requires_grad_();
    const Tensor unused = ones({2}).requires_grad_();
    const Tensor frozen = ones({2});
    const TensorImpl* storage_before = used.impl();
    frozen.set_grad(ones({2}));  // a gradient left over from before it was frozen
    nn::SGD sgd({used, unused, frozen}, {.lr = 0.5, .momentum = 0.9});
    used.set_grad(tensor({1, -2}, {2}));
    sgd.step();
    CHECK(used.to_vector() == std::vector<double>{0.5, 2});
    CHECK(used.impl() == storage_before);
    CHECK(unused.to_vector() == std::vector<double>{1, 1});
    CHECK(frozen.to_vector() == std::vector<double>{1, 1});
    sgd.zero_grad();
    CHECK_FALSE(used.grad().defined());
    CHECK_FALSE(frozen.grad().defined());
}

TEST_CASE("optim: a frozen submodule keeps its weights while the rest trains") {
    manual_seed(2);
    nn::Linear first(3, 3), second(3, 1);
    first.requires_grad_(false);
    const std::vector<double> frozen_before = first.weight.to_vector();
    std::vector<Tensor> params = first.parameters();
    for (const Tensor& p : second.parameters()) params.push_back(p);
    nn::Adam adam(params, {.lr = 0.1});
    const Tensor x = randn({8, 3});
    sum(second.forward(first.forward(x))).backward();
    adam.step();
    CHECK(first.weight.to_vector() == frozen_before);
    CHECK(second.weight.grad().defined());
}

TEST_CASE("optim: Adam fits a linear regression; the learning rate can be read and set") {
    manual_seed(4);
    nn::Linear layer(2, 1);
    const Tensor x = randn({64, 2});
    const Tensor y = matmul(x, tensor({2, -3}, {2, 1})) + 0.5;  // [64, 1]
    nn::Adam adam(layer.parameters(), {.lr = 0.1});
    double first_loss = 0, loss_value = 0;
    for (int step = 0; step < 300; ++step) {
        adam.zero_grad();
        const Tensor loss = nn::mse_loss(layer.forward(x), y);
        loss.backward();
        adam.step();
        loss_value = loss.item();
        if (step == 0) first_loss = loss_value;
    }
    CHECK(loss_value < 1e-4 * first_loss);
    CHECK(layer.weight.to_vector()[0] == doctest::Approx(2).epsilon(0.01));
    CHECK(layer.bias.item() == doctest::Approx(0.5).epsilon(0.01));
    adam.set_lr(0.25);
    CHECK(adam.lr() == 0.25);
}

TEST_CASE("clip_grad_norm: leaves gradients below the norm alone and skips missing ones") {
    const Tensor a = zeros({2}).requires_grad_(), b = zeros({1}).requires_grad_();
    const Tensor none = zeros({3}).requires_grad_();
    a.set_grad(tensor({3, 0}, {2}));
    b.set_grad(tensor({4}, {1}));
    CHECK(nn::clip_grad_norm({a, b, none}, 10) == 5);
    CHECK(a.grad().to_vector() == std::vector<double>{3, 0});
    const Tensor grad_before = a.grad();
    CHECK(nn::clip_grad_norm({a, b, none}, 1) == 5);
    CHECK(grad_before.to_vector()[0] == doctest::Approx(0.6));  // scaled in place
    CHECK(b.grad().to_vector()[0] == doctest::Approx(0.8));
    CHECK_FALSE(none.grad().defined());
    CHECK(nn::clip_grad_norm({none}, 1) == 0);
}

TEST_CASE("optim: bad options and parameters are errors that name the optimizer") {
    const Tensor p = zeros({2, 3}).requires_grad_();
    CHECK_THROWS_WITH_AS(nn::SGD({}), "SGD: got an empty parameter list", Error);
    CHECK_THROWS_WITH_AS(nn::SGD({p}, {.lr = -1}), "SGD: lr must be >= 0, got -1", Error);
    CHECK_THROWS_WITH_AS(nn::SGD({p}, {.nesterov = true}),
                         "SGD: nesterov needs momentum > 0 and dampening 0", Error);
    CHECK_THROWS_WITH_AS(nn::Adam({p}, {.betas = {0.9, 1.0}}),
                         "Adam: betas must be in [0, 1), got (0.9, 1)", Error);
    CHECK_THROWS_WITH_AS(nn::AdamW({p}, {.weight_decay = -0.1}),
                         "AdamW: weight_decay must be >= 0, got -0.1", Error);
    CHECK_THROWS_WITH_AS(nn::Adam({p.t()}),
                         "Adam: parameter 0 must be a contiguous floating tensor, got [3, 2] "
                         "float32",
                         Error);
    CHECK_THROWS_WITH_AS(nn::Adam({p, Tensor()}),
                         "Adam: parameter 1 must be a contiguous floating tensor, got an "
                         "undefined tensor",
                         Error);
    nn::SGD sgd({p});
    CHECK_THROWS_WITH_AS(sgd.set_lr(std::nan("")), doctest::Contains("lr must be >= 0"), Error);
}
