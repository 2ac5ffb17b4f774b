#include "nn/gru.hpp"

namespace glimpse::nn {

GRU::GRU(int64_t input_size, int64_t hidden_size, RecurrentOptions options)
    : RecurrentLayer("GRU", CellKind::GRU, input_size, hidden_size, options) {}

RNNOutput GRU::forward(const Tensor& input, const Tensor& h_0, const Lengths& lengths) const {
    const RecurrentOutput result = run(input, h_0, Tensor(), lengths);
    return {result.output, result.h_n};
}

}  // namespace glimpse::nn
