#pragma once
// The one attention interface every scorer implements.
//
// A decoder attends over the encoder's states of one source batch:
//   keys   [B, S, Hk]  what each source position is scored by (usually the encoder states)
//   values [B, S, Hv]  what the context mixes (usually the same encoder states)
//   mask   [B, S]      bool, true at real positions, false at padding (undefined: none padded)
// Work that does not depend on the query (projecting the keys, U k) is done once per source
// batch by prepare(); forward() then runs at every decoder step with that step's query:
//   query  [B, Hq] -> context [B, Hv] and weights [B, S]
// Padded positions get exactly zero weight and the rest sum to 1; a row whose every position is
// masked gets zero weights and a zero context, never NaN.
//
// Which decoder state is the query is the decoder's choice, and the most common confusion:
// Bahdanau scores with the previous state s_{t-1}, before the RNN step; Luong with the current
// h_t, after it (then h~_t = tanh(W_c [c_t; h_t]), attention/luong_output.hpp).

#include <cstdint>
#include <string>

#include "core/tensor.hpp"
#include "nn/module.hpp"

namespace glimpse::attention {

// A source batch as the scorers see it, made once by prepare() and reused at every step.
struct PreparedSource {
    Tensor keys;       // [B, S, Hk]
    Tensor values;     // [B, S, Hv]
    Tensor mask;       // [B, S] bool, or undefined when nothing is padded
    Tensor projected;  // the scorer's query-independent work on the keys (e.g. U k [B, S, A]);
                       // undefined for scorers that have none
};

struct AttentionOutput {
    Tensor context;  // [B, Hv]: the weighted sum of the values
    Tensor weights;  // [B, S]: a probability distribution over source positions (local-p's
                     // is scaled down by its Gaussian: attention/local.hpp)
};

// Every scorer is a score function; the base does the rest of a step the same way for all:
//   scores  = score(query, source, step)        [B, S], one number per source position
//   weights = masked_softmax(scores, mask)      [B, S] (attention/masked_softmax.hpp)
//   context = attend(weights, values)           [B, Hv], sum_s weights[b, s] values[b, s]
//                                               (attention/batched_products.hpp)
// A scorer that needs more (local-p reweights by a Gaussian) overrides forward().
class Attention : public nn::Module {
  public:
    // key_size -1: any key size (a scorer that never reads the keys' features).
    Attention(std::string type_name, int64_t query_size, int64_t key_size);

    // Checks the shapes and does the query-independent work once per source batch.
    virtual PreparedSource prepare(const Tensor& keys, const Tensor& values,
                                   const Tensor& mask = Tensor()) const;
    // One decoder step. `step` is the decoder's position t (0-based): only the position-aware
    // scorers (local-m) read it.
    virtual AttentionOutput forward(const Tensor& query, const PreparedSource& source,
                                    int64_t step = 0) const;
    // The raw alignment scores [B, S] of one step, before the softmax; masked positions may hold
    // anything (the softmax never reads them).
    virtual Tensor score(const Tensor& query, const PreparedSource& source,
                         int64_t step = 0) const = 0;
    // The rows `rows` (int64 [N], indices into the batch, repeats allowed) of a prepared source:
    // what beam search uses to give each hypothesis its own copy of its sentence's source.
    PreparedSource select_rows(const PreparedSource& source, const Tensor& rows) const;

    const int64_t query_size;  // Hq
    const int64_t key_size;    // Hk, or -1 for any

  protected:
    // The query-independent part of the scores (U k, W k ...), or undefined for none.
    virtual Tensor project_keys(const Tensor& keys) const;
    // Throws unless query is [B, query_size] for the source's B, of the keys' dtype.
    void check_query(const Tensor& query, const PreparedSource& source) const;
};

}  // namespace glimpse::attention
