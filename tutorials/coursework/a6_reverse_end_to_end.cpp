// Assignment a6: your cell and your scorer end to end. The model and what is checked are in
// a6_reverse_end_to_end.hpp. Run the checks with `make check A=6`.

#include "tutorials/coursework/a6_reverse_end_to_end.hpp"

namespace coursework {

using namespace glimpse;

Encoded ReverseModel::encode(const Tensor& source, const Tensor& mask) const {
    // TODO(a6): run the encoder over the source, rows keeping their state past their length;
    // prepare the stacked states for attention.
    (void)source, (void)mask;
    throw Error("a6: not implemented: ReverseModel::encode");
}

DecoderStep ReverseModel::decode_step(const Tensor& tokens, const Tensor& h,
                                      const Encoded& encoded) const {
    // TODO(a6): the decoder cell, then attention with the new state, then the output layers.
    (void)tokens, (void)h, (void)encoded;
    throw Error("a6: not implemented: ReverseModel::decode_step");
}

}  // namespace coursework
