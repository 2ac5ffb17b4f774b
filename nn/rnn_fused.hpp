#pragma once
// The fused Elman RNN step, elementwise part (the contract is in nn/fused_kernel.hpp; the
// composed RNNCell in nn/rnn_cell.cpp computes the same from core ops):
//   h' = tanh(pre)  or  relu(pre),   pre = W_ih x + b_ih + W_hh h + b_hh
// Its derivative needs only h': tanh' = 1 - h'^2, relu' = (h' > 0).

#include "nn/fused_kernel.hpp"
#include "nn/recurrent_cell.hpp"
#include "nn/vector_math.hpp"

namespace glimpse::nn {

template <Nonlinearity kNonlinearity>
struct RNNKernel {
    static constexpr int64_t kGates = 1;
    static constexpr bool kCellState = false;
    static constexpr bool kHiddenGatesApart = false;

    template <typename T>
    static void forward(const StepRow<T>& row, int64_t H) {
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
            const T pre = row.gates[j];
            row.h[j] = kNonlinearity == Nonlinearity::Tanh ? vector_math::tanh(pre)
                                                           : (pre > 0 ? pre : T(0));
        }
    }

    template <typename T>
    static void backward(const StepRow<T>& row, const StepGrad<T>& grad, int64_t H) {
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
            const T h = row.h[j];
            const T slope = kNonlinearity == Nonlinearity::Tanh ? 1 - h * h : T(h > 0 ? 1 : 0);
            grad.d_gates[j] = grad.dh[j] * slope;
            grad.dh_prev[j] = 0;
        }
    }
};

}  // namespace glimpse::nn
