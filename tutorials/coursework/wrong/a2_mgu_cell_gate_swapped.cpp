// A deliberately wrong a2: the gate is swapped in the last line, h' = f * h + (1 - f) * n, so
// f keeps the old state where it should write the candidate. Autograd still differentiates it
// consistently: gradcheck passes, the values do not.
// The checker must fail: one step matches PyTorch
// The checker must fail: every gradient of one step matches PyTorch

#include "tutorials/coursework/a2_mgu_cell.hpp"

namespace coursework {

using namespace glimpse;

namespace {
constexpr int64_t kGates = 2;  // f, n
}

Tensor mgu_cell_composed(const Tensor& x, const Tensor& h, const nn::CellWeights& w) {
    const Tensor f = sigmoid(nn::input_term(x, w, 0, kGates) + nn::hidden_term(h, w, 0, kGates));
    const Tensor n = tanh(nn::input_term(x, w, 1, kGates) + nn::hidden_term(f * h, w, 1, kGates));
    return f * h + (1.0 - f) * n;  // the slip: the gate swapped
}

MGUCell::MGUCell(int64_t input_size, int64_t hidden_size, DType dtype)
    : RecurrentModule("MGUCell"), input_size(input_size), hidden_size(hidden_size) {
    nn::check_sizes("MGUCell", input_size, hidden_size);
    weights = register_cell_weights("", input_size, hidden_size, kGates, /*bias=*/true, dtype);
}

Tensor MGUCell::forward(const Tensor& x, const Tensor& h) const {
    nn::check_cell_input("MGUCell", x, weights, kGates);
    const Tensor state = h.defined() ? h : zeros({x.size(0), hidden_size}, x.dtype());
    nn::check_cell_state("MGUCell", "h", state, x, weights, kGates);
    return mgu_cell_composed(x, state, weights);
}

}  // namespace coursework
