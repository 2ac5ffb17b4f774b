// Benchmark of core/gemm: float32 square matrix multiply C = A @ B, in GFLOP/s, beside PyTorch's
// torch.matmul (OpenBLAS, its best of 1 and 2 threads) measured in the same run. Run it from the
// repository root:
//   build/bench/bench_gemm
// It prints one JSON line per size; ratio = glimpse / PyTorch, higher is better for glimpse. The
// highest of glimpse's rates is the machine's GEMM peak that bench_seq2seq measures against.

#include <cstdint>

#include "bench/bench_util.hpp"
#include "bench/gemm_rate.hpp"

int main() {
    namespace bench = glimpse::bench;
    const std::vector<bench::Record> pytorch = bench::pytorch_reference("gemm");
    for (const int64_t n : {64, 256, 512, 1024}) {
        const double glimpse = bench::glimpse_gemm_gflops(n);
        const bench::Record* reference = bench::find_record(pytorch, {{"n", n}});
        bench::JsonLine()
            .add("bench", "gemm")
            .add("dtype", "float32")
            .add("n", static_cast<double>(n))
            .add("glimpse_gflops", glimpse)
            .add_pytorch(reference, "pytorch_gflops")
            .add("ratio", bench::ratio(glimpse, bench::figure(reference, "pytorch_gflops")))
            .print();
    }
}
