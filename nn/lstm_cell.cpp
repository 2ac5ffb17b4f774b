#include "nn/lstm_cell.hpp"

#include "core/ops.hpp"
#include "nn/fused_recurrence.hpp"

namespace glimpse::nn {

namespace {

constexpr int64_t kGates = 4;  // i, f, g, o

void check_step(const std::string& who, const Tensor& x, const LSTMState& state,
                const CellWeights& w) {
    check_cell_input(who, x, w, kGates);
    check_cell_state(who, "h", state.h, x, w, kGates);
    check_cell_state(who, "c", state.c, x, w, kGates);
}

}  // namespace

LSTMState lstm_cell_composed(const Tensor& x, const LSTMState& state, const CellWeights& w) {
    check_step("lstm_cell_composed", x, state, w);
    const Tensor& h = state.h;
    const Tensor& c = state.c;
    // pre(k) = W_i* x + b_i* + W_h* h + b_h* for gate k  [B, H]
    const auto pre = [&](int64_t k) {
        return input_term(x, w, k, kGates) + hidden_term(h, w, k, kGates);
    };
    const Tensor i = sigmoid(pre(0));
    const Tensor f = sigmoid(pre(1));
    const Tensor g = tanh(pre(2));
    const Tensor o = sigmoid(pre(3));
    const Tensor c_next = f * c + i * g;
    const Tensor h_next = o * tanh(c_next);
    return {h_next, c_next};
}

LSTMState lstm_cell_fused(const Tensor& x, const LSTMState& state, const CellWeights& w) {
    check_step("lstm_cell_fused", x, state, w);
    // The fused LSTM layer over a sequence of one step: x [B, 1, I], the state [1, B, H].
    const FusedLayerResult step = fused_layer(CellKind::LSTM, x.unsqueeze(1), state.h.unsqueeze(0),
                                              state.c.unsqueeze(0), {w}, {});
    return {step.h_n.squeeze(0), step.c_n.squeeze(0)};
}

LSTMCell::LSTMCell(int64_t input_size, int64_t hidden_size, CellOptions options)
    : RecurrentCell("LSTMCell", input_size, hidden_size, kGates, options) {}

LSTMState LSTMCell::forward(const Tensor& x, const LSTMState& state) const {
    const LSTMState start{state_or_zeros(state.h, x), state_or_zeros(state.c, x)};
    check_step(type_name(), x, start, weights());
    return options().impl == CellImpl::Fused ? lstm_cell_fused(x, start, weights())
                                             : lstm_cell_composed(x, start, weights());
}

}  // namespace glimpse::nn
