#pragma once
// Multiplicative scoring: the score of a source position is a dot product with the query.
//
//   dot         score(q, k_s) = q . k_s                   (Luong et al. 2015; needs Hq = Hk)
//   scaled dot  score(q, k_s) = q . k_s / sqrt(Hk)         (Vaswani et al. 2017: with d
//               dimensions of unit variance, q . k has variance d; dividing by sqrt(d) keeps the
//               softmax out of its flat, saturated regime as d grows)
//   general     score(q, k_s) = q^T W k_s                  (Luong et al. 2015)
// For general, W k_s [B, S, Hq] does not depend on the query: prepare() computes it once, and
// each step is then a dot product, as for dot: dot_scores (attention/batched_products.hpp).

#include <cstdint>
#include <memory>
#include <string>

#include "attention/attention.hpp"
#include "nn/linear.hpp"

namespace glimpse::attention {

// No parameters.
class DotAttention : public Attention {
  public:
    explicit DotAttention(int64_t size);
    Tensor score(const Tensor& query, const PreparedSource& source,
                 int64_t step = 0) const override;
    std::string extra_repr() const override;
};

// No parameters.
class ScaledDotAttention : public Attention {
  public:
    explicit ScaledDotAttention(int64_t size);
    Tensor score(const Tensor& query, const PreparedSource& source,
                 int64_t step = 0) const override;
    std::string extra_repr() const override;
};

// Parameters: key_proj.weight [Hq, Hk] (W; no bias, as in the paper).
class GeneralAttention : public Attention {
  public:
    GeneralAttention(int64_t query_size, int64_t key_size, DType dtype = DType::Float32);
    Tensor score(const Tensor& query, const PreparedSource& source,
                 int64_t step = 0) const override;
    std::string extra_repr() const override;

    std::shared_ptr<nn::Linear> key_proj;

  protected:
    Tensor project_keys(const Tensor& keys) const override;
};

}  // namespace glimpse::attention
