#include "attention/luong_output.hpp"

#include <fmt/format.h>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::attention {

LuongOutput::LuongOutput(int64_t context_size_, int64_t hidden_size_, int64_t output_size_,
                         DType dtype)
    : nn::Module("LuongOutput"),
      context_size(context_size_),
      hidden_size(hidden_size_),
      output_size(output_size_) {
    linear_out = register_module(
        "linear_out",
        std::make_shared<nn::Linear>(context_size + hidden_size, output_size, false, dtype));
}

Tensor LuongOutput::forward(const Tensor& context, const Tensor& hidden) const {
    if (context.dim() != 2 || hidden.dim() != 2 || context.size(0) != hidden.size(0) ||
        context.size(1) != context_size || hidden.size(1) != hidden_size) {
        throw Error(
            fmt::format("LuongOutput.forward: context {} and hidden {} must be [B, {}] and [B, {}]",
                        describe(context), describe(hidden), context_size, hidden_size));
    }
    return tanh(linear_out->forward(cat({context, hidden}, 1)));  // [B, Hc + Hh] -> [B, out]
}

std::string LuongOutput::extra_repr() const {
    return fmt::format("context_size={}, hidden_size={}, output_size={}", context_size, hidden_size,
                       output_size);
}

}  // namespace glimpse::attention
