#pragma once
// Luong's local attention: attend to a window of 2D + 1 source positions around a centre p_t,
// scored by any content scorer (the "inner" one: general, dot, Bahdanau...).
//
//   local-m (monotonic):  p_t = t, the decoder's step, as if source and target were aligned
//                         word by word; clamped into [0, S_b - 1] so that a target longer than
//                         its source still sees the source's last word.
//                         a_t(s) = softmax over the window of the inner scores.
//   local-p (predictive): p_t = S_b * sigmoid(v_p^T tanh(W_p q)), a real number in (0, S_b);
//                         a_t(s) = softmax over the window of the inner scores
//                                  * exp(-(s - p_t)^2 / (2 sigma^2)),  sigma = D / 2.
// The window is every position s with |s - p_t| <= D, within the source's real positions.
//
// Choices (Luong et al. 2015 leave them open):
// - S_b, the source length, is row b's real length: the number of unmasked positions (the mask
//   marks a prefix of real words), not the padded S, so p_t never lands on padding.
// - local-p's weights are not renormalised after the Gaussian, as in the paper: they sum to at
//   most 1, and the context shrinks when p_t falls between the words the scorer likes.
// - The gradient reaches W_p and v_p through p_t in the Gaussian; the window's edges are a step
//   function of p_t, which has no gradient (a.e. zero), as in the paper.
// - Positions are 0-based: p_t = t = 0 centres the first step on the first source word.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "attention/attention.hpp"
#include "nn/linear.hpp"

namespace glimpse::attention {

enum class LocalMode { Monotonic, Predictive };  // local-m, local-p

// Parameters: those of the inner scorer under inner.*, and for local-p position_proj.weight
// [A, Hq] (W_p, no bias as in the paper) and position_v.weight [1, A] (v_p).
class LocalAttention : public Attention {
  public:
    // window: D >= 1 for local-p (so that some position is always within D of p_t), D >= 0 for
    // local-m. position_size: A, local-p only (0 for local-m).
    LocalAttention(std::shared_ptr<Attention> inner, LocalMode mode, int64_t window,
                   int64_t position_size = 0, DType dtype = DType::Float32);

    PreparedSource prepare(const Tensor& keys, const Tensor& values,
                           const Tensor& mask = Tensor()) const override;
    AttentionOutput forward(const Tensor& query, const PreparedSource& source,
                            int64_t step = 0) const override;
    // The inner scorer's scores over the whole source.
    Tensor score(const Tensor& query, const PreparedSource& source,
                 int64_t step = 0) const override;
    // The window's centre p_t of each row, [B] in the keys' dtype (differentiable for local-p).
    Tensor centre(const Tensor& query, const PreparedSource& source, int64_t step) const;
    std::string extra_repr() const override;

    const LocalMode mode;
    const int64_t window;  // D
    std::shared_ptr<Attention> inner;
    std::shared_ptr<nn::Linear> position_proj;  // W_p (local-p only)
    std::shared_ptr<nn::Linear> position_v;     // v_p (local-p only)
};

// The real length of each row of a prepared source: its unmasked positions (S without a mask).
std::vector<int64_t> source_lengths(const PreparedSource& source);

}  // namespace glimpse::attention
