#pragma once
// What the attention tests share: every scorer built the same way, a random source batch, and
// one attention step as a single tensor for gradcheck.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "attention/attention.hpp"
#include "core/random.hpp"

namespace glimpse::testing {

// One scorer of attention/, made for queries of size Hq and keys of size Hk.
struct ScorerKind {
    std::string name;
    bool square;       // needs Hq == Hk (dot, scaled dot)
    bool sums_to_one;  // false for local-p, whose Gaussian scales the weights down
    std::function<std::shared_ptr<attention::Attention>(int64_t hq, int64_t hk, DType)> make;
};
const std::vector<ScorerKind>& scorer_kinds();

// keys and values [B, S, H] uniform in [-1, 1], and a mask [B, S] whose row b keeps its first
// lengths[b] positions (no mask when lengths is empty).
struct Source {
    Tensor keys;
    Tensor values;
    Tensor mask;
};
Source random_source(int64_t batch, int64_t length, int64_t hk, int64_t hv,
                     const std::vector<int64_t>& lengths, Generator& generator,
                     DType dtype = DType::Float64);
Tensor prefix_mask(int64_t length, const std::vector<int64_t>& lengths);  // bool [B, S]

// prepare + forward at `step`, returned as one tensor [B, Hv + S]: the context, then the weights.
Tensor attention_step(const attention::Attention& attention, const Tensor& query,
                      const Tensor& keys, const Tensor& values, const Tensor& mask,
                      int64_t step = 0);

}  // namespace glimpse::testing
