#pragma once
// Assignment a2: the Minimal Gated Unit (Zhou et al. 2016), a new recurrent cell as an
// nn::Module composed from core ops.
//
// The MGU is a GRU with one gate: the forget gate f decides both how much of the state to keep
// and how much of the old state the candidate reads. In PyTorch's style (gate order f, n):
//
//     f  = sigmoid(W_if x + b_if + W_hf h + b_hf)            [B, H]  the forget gate
//     n  = tanh(W_in x + b_in + W_hn (f * h) + b_hn)          [B, H]  the candidate state
//     h' = (1 - f) * h + f * n                                [B, H]
//
// with the gates' weights stacked as nn's cells stack theirs (nn/recurrent_cell.hpp):
//     weight_ih = [W_if; W_in]  [2H, I]      bias_ih = [b_if; b_in]  [2H]
//     weight_hh = [W_hf; W_hn]  [2H, H]      bias_hh = [b_hf; b_hn]  [2H]
// each drawn from U(-1/sqrt(H), 1/sqrt(H)) as PyTorch's recurrent cells draw theirs.
//
// What to write (a2_mgu_cell.cpp):
//   mgu_cell_composed  the equations above, one core op per term (matmul, narrow or
//                      nn::input_term / nn::hidden_term, sigmoid, tanh, *, +, -): autograd
//                      derives the backward;
//   MGUCell            registers the four parameters under those names, in that order (one call
//                      to register_cell_weights of nn::RecurrentModule does it), keeps them in
//                      `weights`, and forward() checks its inputs (nn::check_cell_input and
//                      nn::check_cell_state name the cell in their errors), takes zeros for a
//                      missing h, and calls mgu_cell_composed.
//
// What the checker tests (make check A=2): the parameters' names, shapes and order, and that
// `weights` holds them; their initial values; one step's value and every gradient against
// PyTorch (tests/golden/coursework.txt); gradcheck through one and three steps with respect to the
// inputs, the state and every parameter; a missing state is zeros; wrong shapes are refused
// with an error naming MGUCell.

#include "glimpse.hpp"

namespace coursework {

// One MGU step: x [B, I], h [B, H], w the stacked weights above (with biases) -> h' [B, H].
glimpse::Tensor mgu_cell_composed(const glimpse::Tensor& x, const glimpse::Tensor& h,
                                  const glimpse::nn::CellWeights& w);

class MGUCell : public glimpse::nn::RecurrentModule {
  public:
    MGUCell(int64_t input_size, int64_t hidden_size,
            glimpse::DType dtype = glimpse::DType::Float32);
    // x [B, I] and h [B, H] (zeros when not given) -> h' [B, H].
    glimpse::Tensor forward(const glimpse::Tensor& x,
                            const glimpse::Tensor& h = glimpse::Tensor()) const;

    const int64_t input_size;
    const int64_t hidden_size;
    glimpse::nn::CellWeights weights;  // the registered parameters
};

}  // namespace coursework
