#include "nn/rnn.hpp"

namespace glimpse::nn {

RNN::RNN(int64_t input_size, int64_t hidden_size, RecurrentOptions options,
         Nonlinearity nonlinearity)
    : RecurrentLayer("RNN", rnn_kind(nonlinearity), input_size, hidden_size, options),
      nonlinearity_(nonlinearity) {}

RNNOutput RNN::forward(const Tensor& input, const Tensor& h_0, const Lengths& lengths) const {
    const RecurrentOutput result = run(input, h_0, Tensor(), lengths);
    return {result.output, result.h_n};
}

std::string RNN::extra_repr() const {
    return RecurrentLayer::extra_repr() +
           (nonlinearity_ == Nonlinearity::Tanh ? ", nonlinearity=tanh" : ", nonlinearity=relu");
}

}  // namespace glimpse::nn
