#pragma once
// Assignment a4: a new attention scorer, cosine similarity with a learned scale, plugged into
// decode::Seq2Seq without editing the library.
//
// A dot product q . k_s grows with the lengths of q and k_s, so a few long keys can take all the
// weight. Cosine attention scores by the angle alone, and learns how sharp its softmax is:
//
//     q^      = unit(W q)                      [B, Hk]     W = query_proj.weight [Hk, Hq]
//     k^_s    = unit(k_s)                      [B, S, Hk]
//     score_s = exp(log_scale) * (q^ . k^_s)   [B, S]      log_scale [] starts at log(5)
//
// where unit(v) = v / max(||v||_2, 1e-12) along the last dim (PyTorch's F.normalize). The scale
// is learned through its log, so it stays positive; cosines lie in [-1, 1], so without it the
// weights could never be sharper than e^2 : 1.
//
// The base class attention::Attention (attention/attention.hpp) does the rest of a step: the
// masked softmax over the scores and the weighted sum of the values. A scorer supplies score(),
// and may override project_keys() for the query-independent work, done once per source batch by
// prepare(): here, k^ = unit(k), kept in PreparedSource::projected.
//
// What to write (a4_cosine_attention.cpp): unit_vectors, cosine_scores (from core ops:
// autograd derives the backward; attention::dot_scores does the batched dot product), and
// CosineAttention: its constructor registers query_proj (an nn::Linear without bias) and
// log_scale, project_keys returns unit_vectors(keys), score() checks the query (check_query)
// and calls cosine_scores.
//
// What the checker tests (make check A=4): the parameters' names, shapes and log_scale's start;
// the scores, the weights and the context of a padded batch against PyTorch, and every gradient
// (query, keys, values, query_proj.weight, log_scale); gradcheck of a padded step; that the
// scores do not change when the keys are scaled; and that decode::Seq2Seq, built with your
// scorer and unedited, trains a step (loss and gradients reach log_scale) and decodes with
// greedy and beam search, with the Luong and the Bahdanau decoder; and that, named "cosine"
// with decode::register_scorer, it is built from a Seq2SeqConfig and saved and loaded with a
// checkpoint (decode::save_seq2seq, load_seq2seq).

#include <memory>

#include "glimpse.hpp"

namespace coursework {

// v / max(||v||_2, 1e-12) along the last dim: [..., H] -> [..., H].
glimpse::Tensor unit_vectors(const glimpse::Tensor& v);

// exp(log_scale) * (unit(query @ weight^T) . unit_keys[b, s]): query [B, Hq], unit_keys
// [B, S, Hk] (already unit vectors), weight [Hk, Hq], log_scale [] -> scores [B, S].
glimpse::Tensor cosine_scores(const glimpse::Tensor& query, const glimpse::Tensor& unit_keys,
                              const glimpse::Tensor& weight, const glimpse::Tensor& log_scale);

// Parameters: query_proj.weight [Hk, Hq], log_scale [].
class CosineAttention : public glimpse::attention::Attention {
  public:
    CosineAttention(int64_t query_size, int64_t key_size,
                    glimpse::DType dtype = glimpse::DType::Float32);
    glimpse::Tensor score(const glimpse::Tensor& query,
                          const glimpse::attention::PreparedSource& source,
                          int64_t step = 0) const override;

    std::shared_ptr<glimpse::nn::Linear> query_proj;
    glimpse::Tensor log_scale;

  protected:
    glimpse::Tensor project_keys(const glimpse::Tensor& keys) const override;
};

}  // namespace coursework
