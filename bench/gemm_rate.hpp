// glimpse's GEMM rate, shared by bench_gemm (the figures beside PyTorch's) and bench_seq2seq
// (the machine's limit that its training step is measured against).
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "bench/bench_util.hpp"
#include "core/gemm.hpp"

namespace glimpse::bench {

// As many repetitions as give a steady median without taking long (the same rule as the gemm
// section of bench/pytorch_reference.py).
inline int gemm_repetitions_for(double flops) {
    return std::clamp(static_cast<int>(1e10 / flops), 10, 200);
}

// glimpse's GFLOP/s for float32 C = A @ B with A, B, C of n x n normal random numbers.
inline double glimpse_gemm_gflops(int64_t n) {
    std::mt19937 rng(0);
    std::normal_distribution<float> normal;
    const auto random_matrix = [&] {
        std::vector<float> values(static_cast<std::size_t>(n * n));
        for (float& value : values) value = normal(rng);
        return values;
    };
    const std::vector<float> a = random_matrix();
    const std::vector<float> b = random_matrix();
    std::vector<float> c(a.size());
    const double flops = 2.0 * static_cast<double>(n * n * n);
    const double ms = median_ms(
        [&] {
            kernels::gemm<float>(false, false, n, n, n, a.data(), n, b.data(), n, c.data(), n,
                                 false);
        },
        gemm_repetitions_for(flops));
    return flops / (ms * 1e6);
}

}  // namespace glimpse::bench
