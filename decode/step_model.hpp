#pragma once
// What the search algorithms (greedy, beam, sampling, exhaustive) need from a model: one decoder
// step for a set of hypotheses, and a way to keep, drop and copy hypotheses between steps.
// A seq2seq model implements it for a source batch; the beam search tests implement it with a
// scripted decoder whose probabilities are fixed, as fairseq's tests do.
//
// Rows: the model holds one decoder state per row (hypothesis). A fresh StepModel has one row
// per source sentence, row b for sentence b. select_rows() rebuilds the rows from existing ones
// (beam search's expand-and-prune); each row remembers which sentence it belongs to.

#include <cstdint>

#include "core/tensor.hpp"

namespace glimpse::decode {

struct StepOutput {
    Tensor log_probs;  // [N, V]: log-probabilities of the next token for each of the N rows
    Tensor attention;  // [N, S]: the step's attention weights, or undefined for models without
};

class StepModel {
  public:
    virtual ~StepModel() = default;

    virtual int64_t batch_size() const = 0;  // B, the source sentences
    // Real (unpadded) length of source sentence b: max_length defaults to a multiple of it.
    virtual int64_t source_length(int64_t b) const = 0;
    // Advances every row by one token: tokens int64 [N], the previous token of each row
    // (<sos> at the first step). Returns the next token's distribution for each row.
    virtual StepOutput step(const Tensor& tokens) = 0;
    // Makes the rows rows[0], rows[1], ... (int64 [N'], indices into the current rows, repeats
    // allowed): the new row i continues the old row rows[i].
    virtual void select_rows(const Tensor& rows) = 0;
};

}  // namespace glimpse::decode
