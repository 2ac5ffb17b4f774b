#pragma once
// The fused GRU step, elementwise part: the three gates and the new state in one pass over a row,
// and its derivative from the saved activations (the contract is in nn/fused_kernel.hpp; the
// composed GRUCell in nn/gru_cell.cpp computes the same from core ops).
//
// With x_* = (W_ih x + b_ih) and h_* = (W_hh h + b_hh) cut into PyTorch's gates r, z, n:
//   r = sigmoid(x_r + h_r)
//   z = sigmoid(x_z + h_z)
//   n = tanh(x_n + r * h_n)          r scales W_hn h + b_hn: why the h side is kept apart
//   h' = (1 - z) * n + z * h

#include "nn/fused_kernel.hpp"
#include "nn/vector_math.hpp"

namespace glimpse::nn {

struct GRUKernel {
    static constexpr int64_t kGates = 3;
    static constexpr bool kCellState = false;
    static constexpr bool kHiddenGatesApart = true;

    template <typename T>
    static void forward(const StepRow<T>& row, int64_t H) {
        T* const r = row.gates;
        T* const z = r + H;
        T* const n = z + H;
        const T* const h_r = row.hidden_gates;
        const T* const h_z = h_r + H;
        const T* const h_n = h_z + H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
            r[j] = vector_math::sigmoid(r[j] + h_r[j]);
            z[j] = vector_math::sigmoid(z[j] + h_z[j]);
            n[j] = vector_math::tanh(n[j] + r[j] * h_n[j]);
            row.h[j] = (1 - z[j]) * n[j] + z[j] * row.h_prev[j];
        }
    }

    // From the saved r, z, n and h_n:
    //   dn = dh * (1 - z)     dz = dh * (h - n)     dh = dh * z (the direct path; W_hh's is added)
    //   d pre_n = dn * (1 - n^2): it is d x_n; d h_n = d pre_n * r
    //   dr = d pre_n * h_n, d pre_r = dr * r (1 - r): it is both d x_r and d h_r
    //   d pre_z = dz * z (1 - z): both d x_z and d h_z
    template <typename T>
    static void backward(const StepRow<T>& row, const StepGrad<T>& grad, int64_t H) {
        const T* const r = row.gates;
        const T* const z = r + H;
        const T* const n = z + H;
        const T* h_n = row.hidden_gates + 2 * H;
        T* const dx_r = grad.d_gates;
        T* const dx_z = dx_r + H;
        T* const dx_n = dx_z + H;
        T* const dh_r = grad.d_hidden_gates;
        T* const dh_z = dh_r + H;
        T* const dh_n = dh_z + H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
            const T dh = grad.dh[j];
            const T d_pre_n = dh * (1 - z[j]) * (1 - n[j] * n[j]);
            const T d_pre_r = d_pre_n * h_n[j] * r[j] * (1 - r[j]);
            const T d_pre_z = dh * (row.h_prev[j] - n[j]) * z[j] * (1 - z[j]);
            dx_r[j] = d_pre_r;
            dx_z[j] = d_pre_z;
            dx_n[j] = d_pre_n;
            dh_r[j] = d_pre_r;
            dh_z[j] = d_pre_z;
            dh_n[j] = d_pre_n * r[j];
            grad.dh_prev[j] = dh * z[j];
        }
    }
};

}  // namespace glimpse::nn
