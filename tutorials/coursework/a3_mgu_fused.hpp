#pragma once
// Assignment a3: a fused MGU step, one graph node with a hand-written backward, proven equal to
// the composed cell of a2.
//
// The composed step of a2 records a dozen nodes (matmul, narrow, add, sigmoid, mul...) and
// autograd walks them all back. A fused step records one: the forward is computed with no graph,
// and the backward is written by hand from the chain rule, as nn/lstm_fused.hpp does for LSTM.
//
// Forward (a2_mgu_cell.hpp has the equations), with r = f * h:
//     f = sigmoid(a_f),  a_f = W_if x + b_if + W_hf h + b_hf          [B, H]
//     n = tanh(a_n),     a_n = W_in x + b_in + W_hn r + b_hn          [B, H]
//     h' = (1 - f) * h + f * n
// Backward, from g = dLoss/dh' [B, H]:
//     d a_n = g * f * (1 - n^2)
//     d r   = d a_n W_hn                                               [B, H]
//     d a_f = (g * (n - h) + d r * h) * f * (1 - f)
//     d h   = g * (1 - f) + d r * f + d a_f W_hf
//     d x   = [d a_f, d a_n] W_ih                                      [B, I]
//     d weight_ih = [d a_f, d a_n]^T x                                 [2H, I]
//     d weight_hh = [d a_f^T h ; d a_n^T r]                            [2H, H]
//     d bias_ih = d bias_hh = the sum over the batch of [d a_f, d a_n]  [2H]
// Save what the backward needs (f, n, the inputs) in the lambda; never the recorded output.
//
// What to write (a3_mgu_fused.cpp): mgu_cell_fused, computing the forward under a NoGradGuard
// (GEMMs with matmul, then the elementwise part) and returning
//     record("mgu_cell_fused", {x, h, w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh}, out, ...)
// whose backward returns the six gradients above, in that order.
//
// What the checker tests (make check A=3): one step's value and every gradient against PyTorch;
// gradcheck through one and three steps of x, h and every weight; that the output is one node named
// mgu_cell_fused whose six inputs are x, h and the weights; and that it equals your a2
// mgu_cell_composed, values and gradients, over four steps in float32.

#include "glimpse.hpp"

namespace coursework {

// One MGU step as one graph node: x [B, I], h [B, H], w the stacked weights (with biases) of
// a2 -> h' [B, H].
glimpse::Tensor mgu_cell_fused(const glimpse::Tensor& x, const glimpse::Tensor& h,
                               const glimpse::nn::CellWeights& w);

}  // namespace coursework
