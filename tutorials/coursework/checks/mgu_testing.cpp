#include "tutorials/coursework/checks/mgu_testing.hpp"

#include <fmt/format.h>

#include "core/autograd.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "tutorials/coursework/checks/checker.hpp"
#include "tutorials/coursework/checks/golden.hpp"

namespace coursework::check {

using namespace glimpse;

const std::vector<std::string> kMGUWeightNames = {"weight_ih", "weight_hh", "bias_ih", "bias_hh"};

namespace {

const golden::Case& golden_step() {
    return golden_case("mgu/step");
}

Tensor leaf(const Tensor& values) {
    return values.clone().requires_grad_();
}

}  // namespace

std::vector<Tensor> weight_list(const nn::CellWeights& w) {
    return {w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh};
}

nn::CellWeights weights_from(const std::vector<Tensor>& list, std::size_t first) {
    return {list.at(first), list.at(first + 1), list.at(first + 2), list.at(first + 3)};
}

nn::CellWeights golden_mgu_weights() {
    const golden::Case& c = golden_step();
    std::vector<Tensor> list;
    for (const std::string& name : kMGUWeightNames) list.push_back(leaf(c.tensor(name)));
    return weights_from(list, 0);
}

void expect_mgu_step_matches(const MGUStep& step, const nn::CellWeights& w) {
    const golden::Case& c = golden_step();
    expect_close("h' of one step", step(c.tensor("x"), c.tensor("h"), w), c.tensor("out"), 1e-10,
                 1e-8);
}

void expect_mgu_gradients_match(const MGUStep& step, const nn::CellWeights& w) {
    const golden::Case& c = golden_step();
    const Tensor x = leaf(c.tensor("x"));
    const Tensor h = leaf(c.tensor("h"));
    step(x, h, w).backward(c.tensor("grad_out"));
    expect_close("the gradient of x", grad_or_zeros(x), c.tensor("grad_x"), 1e-10, 1e-8);
    expect_close("the gradient of h", grad_or_zeros(h), c.tensor("grad_h"), 1e-10, 1e-8);
    const std::vector<Tensor> weights = weight_list(w);
    for (std::size_t k = 0; k < weights.size(); ++k) {
        expect_close(fmt::format("the gradient of {}", kMGUWeightNames[k]),
                     grad_or_zeros(weights[k]), c.tensor("grad_" + kMGUWeightNames[k]), 1e-10,
                     1e-8);
    }
}

void expect_mgu_gradcheck(const MGUStep& step) {
    constexpr int64_t B = 2, I = 3, H = 4;
    Generator generator(7);
    const auto draw = [&](const Shape& shape, double bound) {
        return uniform(shape, -bound, bound, DType::Float64, generator).requires_grad_();
    };
    const std::vector<Tensor> inputs = {draw({3, B, I}, 1.0),  draw({B, H}, 1.0),
                                        draw({2 * H, I}, 0.8), draw({2 * H, H}, 0.8),
                                        draw({2 * H}, 0.5),    draw({2 * H}, 0.5)};
    std::vector<std::string> names = {"x", "h"};
    names.insert(names.end(), kMGUWeightNames.begin(), kMGUWeightNames.end());
    // One step first, where each wrong gradient shows alone; then three, where h' feeds back.
    for (const int64_t steps : {1, 3}) {
        expect_gradcheck(
            fmt::format("{} step{}", steps, steps > 1 ? "s" : ""),
            [&step, steps](const std::vector<Tensor>& in) {
                const nn::CellWeights w = weights_from(in, 2);
                Tensor h = in[1];
                for (int64_t t = 0; t < steps; ++t) h = step(in[0].select(0, t), h, w);
                return h;
            },
            inputs, names);
    }
}

}  // namespace coursework::check
