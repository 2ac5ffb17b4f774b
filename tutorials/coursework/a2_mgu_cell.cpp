// Assignment a2: the Minimal Gated Unit. The equations and what is checked are in
// a2_mgu_cell.hpp. Run the checks with `make check A=2`.

#include "tutorials/coursework/a2_mgu_cell.hpp"

namespace coursework {

using namespace glimpse;

Tensor mgu_cell_composed(const Tensor& x, const Tensor& h, const nn::CellWeights& w) {
    // TODO(a2): f, n and h' from core ops, one line per equation.
    (void)x, (void)h, (void)w;
    throw Error("a2: not implemented: mgu_cell_composed");
}

MGUCell::MGUCell(int64_t input_size, int64_t hidden_size, DType dtype)
    : RecurrentModule("MGUCell"), input_size(input_size), hidden_size(hidden_size) {
    // TODO(a2): register weight_ih, weight_hh, bias_ih and bias_hh; keep them in `weights`.
    (void)dtype;
    throw Error("a2: not implemented: MGUCell's constructor");
}

Tensor MGUCell::forward(const Tensor& x, const Tensor& h) const {
    // TODO(a2): check x and h, take zeros for a missing h, run mgu_cell_composed.
    (void)x, (void)h;
    throw Error("a2: not implemented: MGUCell::forward");
}

}  // namespace coursework
