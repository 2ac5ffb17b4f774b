#pragma once
// The fused LSTM step, elementwise part: all four gate nonlinearities and the new state in one
// pass over a row, and its derivative from the saved activations (the contract is in
// nn/fused_kernel.hpp; the composed LSTMCell in nn/lstm_cell.cpp computes the same from core ops).
//
// With pre = W_ih x + b_ih + W_hh h + b_hh (the GEMMs' work), in PyTorch's gate order i, f, g, o:
//   i = sigmoid(pre_i)   f = sigmoid(pre_f)   g = tanh(pre_g)   o = sigmoid(pre_o)
//   c' = f * c + i * g
//   h' = o * tanh(c')

#include "nn/fused_kernel.hpp"
#include "nn/vector_math.hpp"

namespace glimpse::nn {

struct LSTMKernel {
    static constexpr int64_t kGates = 4;
    static constexpr bool kCellState = true;
    static constexpr bool kHiddenGatesApart = false;

    template <typename T>
    static void forward(const StepRow<T>& row, int64_t H) {
        T* const i = row.gates;
        T* const f = i + H;
        T* const g = f + H;
        T* const o = g + H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
            i[j] = vector_math::sigmoid(i[j]);
            f[j] = vector_math::sigmoid(f[j]);
            g[j] = vector_math::tanh(g[j]);
            o[j] = vector_math::sigmoid(o[j]);
            row.c[j] = f[j] * row.c_prev[j] + i[j] * g[j];
            row.h[j] = o[j] * vector_math::tanh(row.c[j]);
        }
    }

    // With tc = tanh(c') (recomputed: cheaper than keeping it), and the derivatives
    // sigmoid' = s (1 - s), tanh' = 1 - t^2 written with the saved activations:
    //   dc' = dc + dh * o * (1 - tc^2)      c' reaches the loss directly and through h'
    //   d pre_i = dc' * g * i (1 - i)        d pre_f = dc' * c * f (1 - f)
    //   d pre_g = dc' * i * (1 - g^2)        d pre_o = dh * tc * o (1 - o)
    //   dc = dc' * f                         (h reaches the gates only through W_hh: dh = 0 here)
    template <typename T>
    static void backward(const StepRow<T>& row, const StepGrad<T>& grad, int64_t H) {
        const T* const i = row.gates;
        const T* const f = i + H;
        const T* const g = f + H;
        const T* const o = g + H;
        T* const d_i = grad.d_gates;
        T* const d_f = d_i + H;
        T* const d_g = d_f + H;
        T* const d_o = d_g + H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
            const T tc = vector_math::tanh(row.c[j]);
            const T dc = grad.dc[j] + grad.dh[j] * o[j] * (1 - tc * tc);
            d_i[j] = dc * g[j] * i[j] * (1 - i[j]);
            d_f[j] = dc * row.c_prev[j] * f[j] * (1 - f[j]);
            d_g[j] = dc * i[j] * (1 - g[j] * g[j]);
            d_o[j] = grad.dh[j] * tc * o[j] * (1 - o[j]);
            grad.dc_prev[j] = dc * f[j];
            grad.dh_prev[j] = 0;
        }
    }
};

}  // namespace glimpse::nn
