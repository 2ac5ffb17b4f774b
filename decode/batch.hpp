#pragma once
// A batch of parallel sentences as token ids, padded to the longest, with what the encoder, the
// decoder under teacher forcing and the loss need.

#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse::decode {

struct Batch {
    Tensor source;          // [B, S] int64, padded with Vocab::pad
    Tensor source_lengths;  // [B] int64, each sentence's real length
    Tensor source_mask;     // [B, S] bool, true at real tokens
    Tensor target_input;    // [B, T] int64: <sos> y_1 ... y_n, padded: the decoder's inputs
    Tensor target_output;   // [B, T] int64: y_1 ... y_n <eos>, padded: what the loss predicts
    std::vector<int64_t> example_indices;  // which examples of the dataset, in batch order
};

}  // namespace glimpse::decode
