#pragma once
// Dropout as a module (torch.nn.Dropout): zeroes each element with probability p while training
// and scales the survivors by 1/(1-p); in eval() mode it passes its input through unchanged.

#include <fmt/format.h>

#include <string>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/module.hpp"

namespace glimpse::nn {

class Dropout : public Module {
  public:
    explicit Dropout(double p = 0.5) : Module("Dropout"), p(p) {
        if (!(p >= 0.0 && p < 1.0)) {
            throw Error(fmt::format("Dropout: p must be in [0, 1), got {}", p));
        }
    }

    Tensor forward(const Tensor& x) const { return dropout(x, p, is_training()); }
    std::string extra_repr() const override { return fmt::format("p={}", p); }

    const double p;
};

}  // namespace glimpse::nn
