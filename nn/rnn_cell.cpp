#include "nn/rnn_cell.hpp"

#include "core/ops.hpp"
#include "nn/fused_recurrence.hpp"

namespace glimpse::nn {

namespace {

constexpr int64_t kGates = 1;

void check_step(const std::string& who, const Tensor& x, const Tensor& h, const CellWeights& w) {
    check_cell_input(who, x, w, kGates);
    check_cell_state(who, "h", h, x, w, kGates);
}

}  // namespace

Tensor rnn_cell_composed(const Tensor& x, const Tensor& h, const CellWeights& w,
                         Nonlinearity nonlinearity) {
    check_step("rnn_cell_composed", x, h, w);
    const Tensor pre = input_term(x, w, 0, kGates) + hidden_term(h, w, 0, kGates);
    return nonlinearity == Nonlinearity::Tanh ? tanh(pre) : relu(pre);
}

Tensor rnn_cell_fused(const Tensor& x, const Tensor& h, const CellWeights& w,
                      Nonlinearity nonlinearity) {
    check_step("rnn_cell_fused", x, h, w);
    // The fused RNN layer over a sequence of one step: x [B, 1, I], h [1, B, H].
    const FusedLayerResult step =
        fused_layer(rnn_kind(nonlinearity), x.unsqueeze(1), h.unsqueeze(0), Tensor(), {w}, {});
    return step.h_n.squeeze(0);
}

RNNCell::RNNCell(int64_t input_size, int64_t hidden_size, CellOptions options,
                 Nonlinearity nonlinearity)
    : RecurrentCell("RNNCell", input_size, hidden_size, kGates, options),
      nonlinearity_(nonlinearity) {}

Tensor RNNCell::forward(const Tensor& x, const Tensor& h) const {
    const Tensor start = state_or_zeros(h, x);
    check_step(type_name(), x, start, weights());
    return options().impl == CellImpl::Fused
               ? rnn_cell_fused(x, start, weights(), nonlinearity_)
               : rnn_cell_composed(x, start, weights(), nonlinearity_);
}

std::string RNNCell::extra_repr() const {
    return RecurrentCell::extra_repr() +
           (nonlinearity_ == Nonlinearity::Tanh ? ", nonlinearity=tanh" : ", nonlinearity=relu");
}

}  // namespace glimpse::nn
