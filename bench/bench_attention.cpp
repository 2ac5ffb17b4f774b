// Benchmark of one decoder attention step, as the benchmark model runs it at every decoder step:
// batch 64, source length 25, decoder state (query) of H, bidirectional encoder states (keys and
// values) of 2H, attention size H, for H = 64 ... 512. Forward and backward of the step, in
// milliseconds, for Bahdanau (v^T tanh(W q + U k)) and Luong general (q^T W k), beside the same
// computation composed from PyTorch ops in the same run (section "attention" of
// bench/pytorch_reference.py).
//   build/bench/bench_attention   (from the repository root)
// The keys' projection (U k, W k) is done once per source batch by prepare(), so it is not part
// of a step: the step starts from the prepared keys, a leaf that receives its gradient.
// speedup = PyTorch's time / glimpse's: above 1, glimpse is faster.

#include <memory>
#include <string>

#include "bench/bench_util.hpp"
#include "glimpse.hpp"

namespace {

constexpr int64_t kBatch = 64;
constexpr int64_t kSource = 25;

double glimpse_ms(const std::string& scorer, int64_t hidden) {
    using namespace glimpse;
    using namespace glimpse::attention;
    manual_seed(0);
    std::shared_ptr<Attention> attention;
    if (scorer == "bahdanau") {
        attention = std::make_shared<BahdanauAttention>(hidden, 2 * hidden, hidden);
    } else {
        attention = std::make_shared<GeneralAttention>(hidden, 2 * hidden);
    }
    const Tensor keys = randn({kBatch, kSource, 2 * hidden});
    PreparedSource source;
    {
        NoGradGuard no_grad;
        source = attention->prepare(keys, keys);
    }
    source.values.requires_grad_();
    source.projected.requires_grad_();
    const Tensor query = randn({kBatch, hidden}).requires_grad_();
    const Tensor upstream = randn({kBatch, 2 * hidden + kSource});  // for [context, weights]
    return bench::median_ms(
        [&] {
            const AttentionOutput out = attention->forward(query, source);
            cat({out.context, out.weights}, 1).backward(upstream);
            attention->zero_grad();
            for (const Tensor& leaf : {query, source.values, source.projected}) leaf.zero_grad();
        },
        50);
}

}  // namespace

int main() {
    const auto pytorch = glimpse::bench::pytorch_reference("attention");
    for (const std::string scorer : {"bahdanau", "general"}) {
        for (const int64_t hidden : {64, 128, 256, 512}) {
            const double glimpse = glimpse_ms(scorer, hidden);
            const glimpse::bench::Record* reference = nullptr;
            for (const auto& record : pytorch) {
                const auto found = record.strings.find("scorer");
                if (found != record.strings.end() && found->second == scorer &&
                    record.number("hidden") == static_cast<double>(hidden)) {
                    reference = &record;
                }
            }
            glimpse::bench::JsonLine()
                .add("bench", "attention_step")
                .add("scorer", scorer)
                .add("hidden", static_cast<double>(hidden))
                .add("glimpse_ms", glimpse)
                .add_pytorch(reference, "pytorch_ms")
                .add("speedup", glimpse::bench::ratio(
                                    glimpse::bench::figure(reference, "pytorch_ms"), glimpse))
                .print();
        }
    }
}
