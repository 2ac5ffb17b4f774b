#pragma once
// Initialisation: fill a parameter in place with the values a layer starts from, as
// torch.nn.init does. Each helper writes into the tensor's own storage (the module keeps holding
// the same tensor), records nothing in the autograd graph, and returns the tensor.
//
// The default of nn.Linear (and of PyTorch's convolutions) is kaiming_uniform_ with a = sqrt(5),
// which works out as U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the recurrent layers draw every weight
// from U(-1/sqrt(hidden), 1/sqrt(hidden)) with uniform_.

#include "core/random.hpp"
#include "core/tensor.hpp"

namespace glimpse::nn {

// Values drawn uniformly from [low, high).
Tensor uniform_(const Tensor& x, double low, double high,
                Generator& generator = default_generator());
// Values drawn from a normal distribution N(mean, std^2).
Tensor normal_(const Tensor& x, double mean = 0.0, double std = 1.0,
               Generator& generator = default_generator());
Tensor constant_(const Tensor& x, double value);
Tensor zeros_(const Tensor& x);

// The number of inputs each output unit sees: size(1) times the extents after it. For a weight
// [out, in] that is `in`. Needs at least 2 dims.
int64_t fan_in(const Tensor& weight);

// He initialisation for a layer followed by a leaky ReLU of negative slope `a`:
// U(-bound, bound) with bound = gain * sqrt(3 / fan_in) and gain = sqrt(2 / (1 + a^2)).
// A weight with no elements is left as it is (its fan_in may be 0).
Tensor kaiming_uniform_(const Tensor& weight, double a = 0.0,
                        Generator& generator = default_generator());

}  // namespace glimpse::nn
