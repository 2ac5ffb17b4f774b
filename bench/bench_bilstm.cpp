// Benchmark of the fused recurrence: one bidirectional LSTM layer, the encoder of the benchmark
// model (batch 64, 25 steps, input 32), forward and backward, for hidden sizes 64 to 512, in
// milliseconds, beside PyTorch's nn.LSTM doing the same in the same run.
//   build/bench/bench_bilstm   (from the repository root)
// speedup = PyTorch's time / glimpse's: above 1, glimpse is faster.

#include "bench/bench_util.hpp"
#include "glimpse.hpp"

namespace {

constexpr int64_t kBatch = 64;
constexpr int64_t kSteps = 25;
constexpr int64_t kInput = 32;

double glimpse_ms(int64_t hidden) {
    using namespace glimpse;
    manual_seed(0);
    const nn::LSTM lstm(kInput, hidden, {.bidirectional = true});
    const Tensor x = randn({kBatch, kSteps, kInput}).requires_grad_();
    const Tensor upstream = randn({kBatch, kSteps, 2 * hidden});
    return bench::median_ms([&] {
        lstm.forward(x).output.backward(upstream);
        for (const Tensor& p : lstm.parameters()) p.zero_grad();
        x.zero_grad();
    });
}

}  // namespace

int main() {
    const auto pytorch = glimpse::bench::pytorch_reference("bilstm");
    for (const int64_t hidden : {64, 128, 256, 512}) {
        const double glimpse = glimpse_ms(hidden);
        const auto* reference =
            glimpse::bench::find_record(pytorch, {{"hidden", static_cast<double>(hidden)}});
        glimpse::bench::JsonLine()
            .add("bench", "bilstm")
            .add("hidden", static_cast<double>(hidden))
            .add("glimpse_ms", glimpse)
            .add_pytorch(reference, "pytorch_ms")
            .add("speedup",
                 glimpse::bench::ratio(glimpse::bench::figure(reference, "pytorch_ms"), glimpse))
            .print();
    }
}
