// Benchmark of core/gemm: float32 square matrix multiply C = A @ B, in GFLOP/s, beside PyTorch's
// torch.matmul (OpenBLAS, two threads) measured in the same run. Run it from the repository root:
//   build/bench/bench_gemm
// It prints one JSON line per size; ratio = glimpse / PyTorch, higher is better for glimpse.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "bench/bench_util.hpp"
#include "core/gemm.hpp"

namespace {

// As many repetitions as give a steady median without taking long (the same rule as the gemm
// section of bench/pytorch_reference.py).
int repetitions_for(double flops) {
    return std::clamp(static_cast<int>(1e10 / flops), 10, 200);
}

std::vector<float> random_matrix(int64_t n, std::mt19937& rng) {
    std::normal_distribution<float> normal;
    std::vector<float> values(static_cast<std::size_t>(n * n));
    for (float& value : values) value = normal(rng);
    return values;
}

// glimpse's GFLOP/s for C = A @ B with A, B, C of n x n floats.
double glimpse_gflops(int64_t n) {
    std::mt19937 rng(0);
    const std::vector<float> a = random_matrix(n, rng);
    const std::vector<float> b = random_matrix(n, rng);
    std::vector<float> c(a.size());
    const double flops = 2.0 * static_cast<double>(n * n * n);
    const double ms = glimpse::bench::median_ms(
        [&] {
            glimpse::kernels::gemm<float>(false, false, n, n, n, a.data(), n, b.data(), n, c.data(),
                                          n, false);
        },
        repetitions_for(flops));
    return flops / (ms * 1e6);
}

}  // namespace

int main() {
    namespace bench = glimpse::bench;
    const std::vector<bench::Record> pytorch = bench::pytorch_reference("gemm");
    for (const int64_t n : {64, 256, 512, 1024}) {
        const double glimpse = glimpse_gflops(n);
        const bench::Record* reference = bench::find_record(pytorch, {{"n", n}});
        const std::optional<double> torch =
            reference ? reference->number("pytorch_gflops") : std::nullopt;
        bench::JsonLine()
            .add("bench", "gemm")
            .add("dtype", "float32")
            .add("n", static_cast<double>(n))
            .add("glimpse_gflops", glimpse)
            .add("pytorch_gflops", torch)
            .add("ratio", bench::ratio(glimpse, torch))
            .print();
    }
}
