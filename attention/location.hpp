#pragma once
// Luong's location-based scoring: the weights come from the query alone,
//   a_t = softmax(W_a h_t)
// one score per source position up to a fixed maximum source length L. A batch of length S <= L
// uses the first S scores (and its mask); a longer one is an error.
//
// Its weights ignore what the encoder states contain: they depend on the source only through
// its length and mask. The source-dependence check (attention/source_dependence.hpp) says so.

#include <cstdint>
#include <memory>
#include <string>

#include "attention/attention.hpp"
#include "nn/linear.hpp"

namespace glimpse::attention {

// Parameters: location_proj.weight [L, Hq] (W_a; no bias, as in the paper).
class LocationAttention : public Attention {
  public:
    LocationAttention(int64_t query_size, int64_t max_length, DType dtype = DType::Float32);

    PreparedSource prepare(const Tensor& keys, const Tensor& values,
                           const Tensor& mask = Tensor()) const override;
    Tensor score(const Tensor& query, const PreparedSource& source,
                 int64_t step = 0) const override;
    std::string extra_repr() const override;

    const int64_t max_length;  // L
    std::shared_ptr<nn::Linear> location_proj;
};

}  // namespace glimpse::attention
