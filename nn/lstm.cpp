#include "nn/lstm.hpp"

namespace glimpse::nn {

LSTM::LSTM(int64_t input_size, int64_t hidden_size, RecurrentOptions options)
    : RecurrentLayer("LSTM", CellKind::LSTM, input_size, hidden_size, options) {}

LSTMOutput LSTM::forward(const Tensor& input, const LSTMState& state,
                         const Lengths& lengths) const {
    const RecurrentOutput result = run(input, state.h, state.c, lengths);
    return {result.output, result.h_n, result.c_n};
}

}  // namespace glimpse::nn
