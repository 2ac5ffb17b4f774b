#pragma once
// Luong's attentional hidden state: after the RNN step gives h_t and attention over h_t gives
// the context c_t, the decoder's output layer reads
//   h~_t = tanh(W_c [c_t; h_t])
// instead of h_t (Luong et al. 2015, eq. 5). In "input feeding", h~_t is also fed to the next
// step's RNN input. Bahdanau's decoder has no such layer: its context enters the RNN step.

#include <cstdint>
#include <memory>
#include <string>

#include "core/tensor.hpp"
#include "nn/linear.hpp"
#include "nn/module.hpp"

namespace glimpse::attention {

// Parameters: linear_out.weight [out, Hc + Hh] (W_c, context columns first, as in [c; h]; no
// bias, as in the paper and OpenNMT's linear_out for Luong's scores).
class LuongOutput : public nn::Module {
  public:
    LuongOutput(int64_t context_size, int64_t hidden_size, int64_t output_size,
                DType dtype = DType::Float32);

    // context [B, Hc], hidden [B, Hh] -> h~ [B, out]
    Tensor forward(const Tensor& context, const Tensor& hidden) const;
    std::string extra_repr() const override;

    const int64_t context_size;
    const int64_t hidden_size;
    const int64_t output_size;
    std::shared_ptr<nn::Linear> linear_out;
};

}  // namespace glimpse::attention
