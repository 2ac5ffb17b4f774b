#pragma once
// Assignment a1: softplus, a new elementwise op with its backward, written with record().
//
// softplus is a smooth ReLU (torch.nn.functional.softplus, with the same arguments):
//
//     softplus(x) = (1 / beta) * log(1 + exp(beta * x))     where beta * x <= threshold
//                 = x                                        where beta * x >  threshold
//
// Its derivative is the logistic sigmoid:  d softplus / dx = sigmoid(beta * x)  (1 where linear).
//
// What to write (a1_softplus.cpp): compute the values from x's values with no graph (under a
// NoGradGuard, or from x.to_vector() with std::log1p and std::exp: log(1 + exp(z)) overflows for
// z = 1000, log1p(exp(z)) loses nothing for z = -100), then attach the backward with
//     record("softplus", {x}, out, [...](const Tensor& grad_out) { return std::vector{...}; });
// exactly as tutorials/03_gradcheck.cpp writes its cube op. Shapes: x [any] -> out of x's shape
// and dtype (float32 or float64).
//
// What the checker tests (make check A=1):
//   forward values against PyTorch's (tests/golden/coursework.txt), for beta 1 and beta 2 with
//   threshold 5, and far out (x = +-100, +-1000: no inf, no NaN); gradients against PyTorch's;
//   gradcheck on a transposed (non-contiguous) input; that the output is one graph node named
//   "softplus" (one record(), not a chain of core ops); float32 in, float32 out; and that an
//   integer tensor or beta <= 0 is refused with a glimpse::Error that names softplus.

#include "glimpse.hpp"

namespace coursework {

// x [any], float32 or float64 -> softplus(x), of x's shape and dtype. beta > 0.
glimpse::Tensor softplus(const glimpse::Tensor& x, double beta = 1.0, double threshold = 20.0);

}  // namespace coursework
