#include "nn/gru_cell.hpp"

#include "core/ops.hpp"
#include "nn/fused_recurrence.hpp"

namespace glimpse::nn {

namespace {

constexpr int64_t kGates = 3;  // r, z, n

void check_step(const std::string& who, const Tensor& x, const Tensor& h, const CellWeights& w) {
    check_cell_input(who, x, w, kGates);
    check_cell_state(who, "h", h, x, w, kGates);
}

}  // namespace

Tensor gru_cell_composed(const Tensor& x, const Tensor& h, const CellWeights& w) {
    check_step("gru_cell_composed", x, h, w);
    const Tensor r = sigmoid(input_term(x, w, 0, kGates) + hidden_term(h, w, 0, kGates));
    const Tensor z = sigmoid(input_term(x, w, 1, kGates) + hidden_term(h, w, 1, kGates));
    const Tensor n = tanh(input_term(x, w, 2, kGates) + r * hidden_term(h, w, 2, kGates));
    return (1.0 - z) * n + z * h;
}

Tensor gru_cell_fused(const Tensor& x, const Tensor& h, const CellWeights& w) {
    check_step("gru_cell_fused", x, h, w);
    // The fused GRU layer over a sequence of one step: x [B, 1, I], h [1, B, H].
    const FusedLayerResult step =
        fused_layer(CellKind::GRU, x.unsqueeze(1), h.unsqueeze(0), Tensor(), {w}, {});
    return step.h_n.squeeze(0);
}

GRUCell::GRUCell(int64_t input_size, int64_t hidden_size, CellOptions options)
    : RecurrentCell("GRUCell", input_size, hidden_size, kGates, options) {}

Tensor GRUCell::forward(const Tensor& x, const Tensor& h) const {
    const Tensor start = state_or_zeros(h, x);
    check_step(type_name(), x, start, weights());
    return options().impl == CellImpl::Fused ? gru_cell_fused(x, start, weights())
                                             : gru_cell_composed(x, start, weights());
}

}  // namespace glimpse::nn
