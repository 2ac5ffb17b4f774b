// Benchmark of the autograd engine's per-op overhead: a chain of 1,500 tiny ops (500 times mul,
// add, tanh) on an 8-element tensor, then backward, in milliseconds, beside PyTorch doing the same
// in the same run. With 8 elements the arithmetic is nothing: this measures what every op costs
// in bookkeeping (allocating the result, recording the node, walking the graph back).
//   build/bench/bench_autograd   (from the repository root)

#include "bench/bench_util.hpp"
#include "glimpse.hpp"

namespace {

constexpr int kOps = 1500;

double glimpse_chain_ms() {
    using namespace glimpse;
    manual_seed(0);
    const Tensor x = randn({8}).requires_grad_();
    const Tensor scale = full({8}, 0.99);
    const Tensor shift = full({8}, 0.01);
    return bench::median_ms([&] {
        Tensor y = x;
        for (int i = 0; i < kOps / 3; ++i) y = tanh(y * scale + shift);
        sum(y).backward();
        x.zero_grad();
    });
}

}  // namespace

int main() {
    const auto pytorch = glimpse::bench::pytorch_reference("autograd");
    const double glimpse = glimpse_chain_ms();
    const auto* reference = glimpse::bench::find_record(pytorch, {{"ops", kOps}});
    glimpse::bench::JsonLine()
        .add("bench", "autograd_chain")
        .add("ops", static_cast<double>(kOps))
        .add("glimpse_ms", glimpse)
        .add_pytorch(reference, "pytorch_ms")
        .add("glimpse_us_per_op", glimpse * 1e3 / kOps)
        .add("speedup",
             glimpse::bench::ratio(glimpse::bench::figure(reference, "pytorch_ms"), glimpse))
        .print();
}
