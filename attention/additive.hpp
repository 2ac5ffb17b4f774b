#pragma once
// Additive scoring: a one-hidden-layer network compares the query with each key.
//
// Bahdanau et al. 2015 (the decoder's previous state s_{t-1} is the query):
//   score(q, k_s) = v^T tanh(W q + U k_s)
// Luong et al. 2015, "concat" (the decoder's current state h_t is the query):
//   score(q, k_s) = v^T tanh(W [q; k_s])
// The two are one formula: W [q; k] = W_q q + W_k k with W = [W_q W_k]. Either way the key half
// (U k, W_k k: [B, S, A]) does not depend on the query, so prepare() computes it once per source
// batch and each step only adds the projected query [B, A] to it.

#include <cstdint>
#include <memory>
#include <string>

#include "attention/attention.hpp"
#include "nn/linear.hpp"

namespace glimpse::attention {

// v^T tanh(projected_keys + projected_query) for every position: projected_keys [B, S, A],
// projected_query [B, A], v_weight [1, A] -> scores [B, S]. Two implementations that tests
// prove equal:
// - composed from core ops (add, tanh, linear): what to read; autograd derives the backward;
// - fused (attention/additive_fused.cpp), what the scorers run: one pass over [B, S, A] with a
//   vectorised tanh, and a hand-written backward, one pass too. The composed one makes three
//   [B, S, A] tensors and passes over them six times; at every decoder step that adds up.
Tensor additive_scores_composed(const Tensor& projected_keys, const Tensor& projected_query,
                                const Tensor& v_weight);
Tensor additive_scores(const Tensor& projected_keys, const Tensor& projected_query,
                       const Tensor& v_weight);

// Parameters: query_proj.weight [A, Hq] (W), key_proj.weight [A, Hk] and key_proj.bias [A] (U
// and the layer's one bias, applied once per source in prepare), v.weight [1, A].
class BahdanauAttention : public Attention {
  public:
    BahdanauAttention(int64_t query_size, int64_t key_size, int64_t attention_size,
                      DType dtype = DType::Float32);

    Tensor score(const Tensor& query, const PreparedSource& source,
                 int64_t step = 0) const override;
    std::string extra_repr() const override;

    const int64_t attention_size;  // A
    std::shared_ptr<nn::Linear> query_proj;
    std::shared_ptr<nn::Linear> key_proj;
    std::shared_ptr<nn::Linear> v;

  protected:
    Tensor project_keys(const Tensor& keys) const override;
};

// Parameters: proj.weight [A, Hq + Hk] (W, query columns first, as in [q; k]; no bias, as in
// the paper), v.weight [1, A]. prepare() multiplies the keys by W's key columns, a view.
class ConcatAttention : public Attention {
  public:
    ConcatAttention(int64_t query_size, int64_t key_size, int64_t attention_size,
                    DType dtype = DType::Float32);

    Tensor score(const Tensor& query, const PreparedSource& source,
                 int64_t step = 0) const override;
    std::string extra_repr() const override;

    const int64_t attention_size;  // A
    std::shared_ptr<nn::Linear> proj;
    std::shared_ptr<nn::Linear> v;

  protected:
    Tensor project_keys(const Tensor& keys) const override;
};

}  // namespace glimpse::attention
