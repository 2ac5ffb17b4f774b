#pragma once
// Softmax over the last dim that skips masked positions: what turns attention scores into
// weights.
//
// core's softmax gives NaN on a line whose every score is -infinity (0 / 0), which is what the
// usual trick "masked_fill(scores, padding, -inf) then softmax" produces for a sentence that is
// all padding. This op never reads the masked scores at all:
//   weights[i] = exp(x[i] - m) / sum_{j unmasked} exp(x[j] - m)  at unmasked i, m their max,
//   weights[i] = 0 exactly                                          at masked i,
// and a line with nothing unmasked gives all zeros (and a zero gradient), never NaN.

#include "core/tensor.hpp"

namespace glimpse::attention {

// scores [..., S] floating; mask bool of the same shape, true where a position may be attended,
// or undefined for none masked (then it equals softmax(scores, -1)). Returns [..., S].
Tensor masked_softmax(const Tensor& scores, const Tensor& mask = Tensor());

}  // namespace glimpse::attention
