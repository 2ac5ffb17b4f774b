// Checks of assignment a3: the fused MGU step (the spec is in a3_mgu_fused.hpp).

#include <fmt/format.h>

#include "core/autograd.hpp"
#include "tutorials/coursework/a2_mgu_cell.hpp"
#include "tutorials/coursework/a3_mgu_fused.hpp"
#include "tutorials/coursework/checks/checker.hpp"
#include "tutorials/coursework/checks/mgu_testing.hpp"

namespace coursework::check {

using namespace glimpse;

namespace {

void check_one_node() {
    const nn::CellWeights w = golden_mgu_weights();
    const Tensor x = zeros({2, 5}, DType::Float64).requires_grad_();
    const Tensor h = zeros({2, 4}, DType::Float64).requires_grad_();
    const Tensor out = mgu_cell_fused(x, h, w);
    expect(out.grad_fn() != nullptr, "the output has no grad_fn: call record()");
    const Node& node = *out.grad_fn();
    expect(node.op == "mgu_cell_fused",
           fmt::format("the output's node is '{}', expected one record(\"mgu_cell_fused\", ...) "
                       "rather than a chain of core ops",
                       node.op));
    const std::vector<Tensor> inputs = {x, h, w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh};
    const std::vector<std::string> names = {"x",         "h",       "weight_ih",
                                            "weight_hh", "bias_ih", "bias_hh"};
    expect(node.edges.size() == inputs.size(),
           fmt::format("the node has {} inputs, expected 6: x, h, weight_ih, weight_hh, bias_ih, "
                       "bias_hh",
                       node.edges.size()));
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        expect(node.edges[k].leaf == inputs[k].impl_ptr(),
               fmt::format("the node's input {} should be {} itself", k, names[k]));
    }
}

// Four steps of both implementations in float32 from the same weights: values and gradients.
void check_equals_composed() {
    manual_seed(17);
    constexpr int64_t B = 8, I = 6, H = 10, T = 4;
    MGUCell cell(I, H);
    const Tensor xs = randn({T, B, I});
    const Tensor upstream = randn({B, H});
    std::vector<Tensor> grads[2];
    Tensor outs[2];
    const MGUStep steps[2] = {mgu_cell_composed, mgu_cell_fused};
    for (int k = 0; k < 2; ++k) {
        cell.zero_grad();
        const Tensor x = xs.clone().requires_grad_();
        const Tensor h0 = zeros({B, H}).requires_grad_();
        Tensor h = h0;
        for (int64_t t = 0; t < T; ++t) h = steps[k](x.select(0, t), h, cell.weights);
        h.backward(upstream);
        outs[k] = h;
        grads[k] = {grad_or_zeros(x), grad_or_zeros(h0)};
        for (const Tensor& p : weight_list(cell.weights)) grads[k].push_back(grad_or_zeros(p));
    }
    expect_close("h after 4 steps, fused against composed", outs[1], outs[0], 1e-5, 1e-4);
    const std::vector<std::string> names = {"x",         "h",       "weight_ih",
                                            "weight_hh", "bias_ih", "bias_hh"};
    for (std::size_t k = 0; k < names.size(); ++k) {
        expect_close(fmt::format("the gradient of {}, fused against composed", names[k]),
                     grads[1][k], grads[0][k], 1e-5, 1e-4);
    }
}

}  // namespace

Assignment a3_mgu_fused() {
    return {
        "a3",
        "a fused MGU step: one node, a hand-written backward (a3_mgu_fused.cpp)",
        {
            {"one step matches PyTorch",
             [] { expect_mgu_step_matches(mgu_cell_fused, golden_mgu_weights()); }},
            {"every gradient of one step matches PyTorch",
             [] { expect_mgu_gradients_match(mgu_cell_fused, golden_mgu_weights()); }},
            {"gradcheck through one and three steps: x, h and every weight",
             [] { expect_mgu_gradcheck(mgu_cell_fused); }},
            {"one graph node named mgu_cell_fused on x, h and the four weights", check_one_node},
            {"equals your a2 mgu_cell_composed over four steps, float32", check_equals_composed},
        },
    };
}

}  // namespace coursework::check
