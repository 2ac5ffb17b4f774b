#pragma once
// What the checks of a2 (the composed MGU cell), a3 (its fused step) and a6 share: PyTorch's
// golden MGU step (tests/golden/coursework.txt, case mgu/step) and its comparisons.

#include <functional>
#include <string>
#include <vector>

#include "nn/recurrent_cell.hpp"

namespace coursework::check {

// One MGU step as a function of its inputs: x [B, I], h [B, H], the stacked weights -> h'.
using MGUStep = std::function<glimpse::Tensor(const glimpse::Tensor& x, const glimpse::Tensor& h,
                                              const glimpse::nn::CellWeights& w)>;

// The golden step's weights, fresh leaves that require grad.
glimpse::nn::CellWeights golden_mgu_weights();

// The weights as a list, in the order of their names below, and back.
std::vector<glimpse::Tensor> weight_list(const glimpse::nn::CellWeights& w);
glimpse::nn::CellWeights weights_from(const std::vector<glimpse::Tensor>& list, std::size_t first);
extern const std::vector<std::string> kMGUWeightNames;  // weight_ih, weight_hh, bias_ih, bias_hh

// step(x, h, w) on the golden x and h against PyTorch's h'.
void expect_mgu_step_matches(const MGUStep& step, const glimpse::nn::CellWeights& w);

// Backpropagates PyTorch's upstream gradient through step(x, h, w) and compares the gradients of
// x, h and each weight of w (leaves holding the golden values) with PyTorch's.
void expect_mgu_gradients_match(const MGUStep& step, const glimpse::nn::CellWeights& w);

// gradcheck of one step, then of three chained steps h3 = step(x2, step(x1, step(x0, h))), with
// respect to the inputs, the initial state and every weight, float64, B 2, I 3, H 4.
void expect_mgu_gradcheck(const MGUStep& step);

}  // namespace coursework::check
