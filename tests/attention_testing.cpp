#include "tests/attention_testing.hpp"

#include "attention/additive.hpp"
#include "attention/local.hpp"
#include "attention/location.hpp"
#include "attention/multiplicative.hpp"
#include "core/ops.hpp"

namespace glimpse::testing {

using attention::Attention;

const std::vector<ScorerKind>& scorer_kinds() {
    static const std::vector<ScorerKind> kinds = {
        {"bahdanau", false, true,
         [](int64_t hq, int64_t hk, DType dtype) -> std::shared_ptr<Attention> {
             return std::make_shared<attention::BahdanauAttention>(hq, hk, 5, dtype);
         }},
        {"dot", true, true,
         [](int64_t hq, int64_t, DType) -> std::shared_ptr<Attention> {
             return std::make_shared<attention::DotAttention>(hq);
         }},
        {"scaled_dot", true, true,
         [](int64_t hq, int64_t, DType) -> std::shared_ptr<Attention> {
             return std::make_shared<attention::ScaledDotAttention>(hq);
         }},
        {"general", false, true,
         [](int64_t hq, int64_t hk, DType dtype) -> std::shared_ptr<Attention> {
             return std::make_shared<attention::GeneralAttention>(hq, hk, dtype);
         }},
        {"concat", false, true,
         [](int64_t hq, int64_t hk, DType dtype) -> std::shared_ptr<Attention> {
             return std::make_shared<attention::ConcatAttention>(hq, hk, 5, dtype);
         }},
        {"location", false, true,
         [](int64_t hq, int64_t, DType dtype) -> std::shared_ptr<Attention> {
             return std::make_shared<attention::LocationAttention>(hq, 6, dtype);
         }},
        {"local_m(general)", false, true,
         [](int64_t hq, int64_t hk, DType dtype) -> std::shared_ptr<Attention> {
             return std::make_shared<attention::LocalAttention>(
                 std::make_shared<attention::GeneralAttention>(hq, hk, dtype),
                 attention::LocalMode::Monotonic, 1);
         }},
        {"local_p(general)", false, false,
         [](int64_t hq, int64_t hk, DType dtype) -> std::shared_ptr<Attention> {
             return std::make_shared<attention::LocalAttention>(
                 std::make_shared<attention::GeneralAttention>(hq, hk, dtype),
                 attention::LocalMode::Predictive, 2, 5, dtype);
         }},
    };
    return kinds;
}

Tensor prefix_mask(int64_t length, const std::vector<int64_t>& lengths) {
    std::vector<double> keep;
    for (const int64_t n : lengths) {
        for (int64_t s = 0; s < length; ++s) keep.push_back(s < n ? 1 : 0);
    }
    return tensor(keep, {static_cast<int64_t>(lengths.size()), length}, DType::Bool);
}

Source random_source(int64_t batch, int64_t length, int64_t hk, int64_t hv,
                     const std::vector<int64_t>& lengths, Generator& generator, DType dtype) {
    Source source;
    source.keys = uniform({batch, length, hk}, -1, 1, dtype, generator).requires_grad_();
    source.values = uniform({batch, length, hv}, -1, 1, dtype, generator).requires_grad_();
    if (!lengths.empty()) source.mask = prefix_mask(length, lengths);
    return source;
}

Tensor attention_step(const Attention& attention, const Tensor& query, const Tensor& keys,
                      const Tensor& values, const Tensor& mask, int64_t step) {
    const attention::AttentionOutput out =
        attention.forward(query, attention.prepare(keys, values, mask), step);
    return cat({out.context, out.weights}, 1);
}

}  // namespace glimpse::testing
