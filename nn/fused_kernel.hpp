#pragma once
// The contract between the fused recurrence (nn/fused_recurrence.cpp), which runs the GEMMs and
// the time loop, and a cell's elementwise kernel (nn/rnn_fused.hpp, nn/lstm_fused.hpp,
// nn/gru_fused.hpp), which turns one batch row's gate pre-activations into the new state at one
// step, and back again for the gradient.
//
// A kernel is a struct with
//   static constexpr int64_t kGates;          G, the gate blocks of H rows in weight_ih
//   static constexpr bool kCellState;         a second state c besides h (LSTM)
//   static constexpr bool kHiddenGatesApart;  the kernel needs W_hh h + b_hh apart from
//                                             W_ih x + b_ih (GRU's r * (W_hn h + b_hn)); for the
//                                             others both GEMMs add into one gates buffer
//   template <typename T> static void forward(const StepRow<T>& row, int64_t H);
//   template <typename T> static void backward(const StepRow<T>& row, const StepGrad<T>& grad,
//                                              int64_t H);
// Every pointer is to the first of H (or G*H) contiguous values; unused ones are null.

#include <cstdint>

namespace glimpse::nn {

// A row's G gate blocks sit one after another, H values each: a kernel names them as pointers,
// `T* const f = i + H;`. Not as a structured binding: clang 14, which builds `make fuzz`, cannot
// capture one inside `#pragma omp simd`.

// One batch row at one step.
template <typename T>
struct StepRow {
    T* gates;               // [G*H] in: the pre-activations W_ih x + b_ih (+ W_hh h + b_hh when
                            // not apart); forward leaves the activated gates here for backward
    const T* hidden_gates;  // [G*H] W_hh h + b_hh, when kept apart
    const T* h_prev;        // [H]
    const T* c_prev;        // [H] (LSTM)
    T* h;                   // [H] the new state: written by forward, read by backward
    T* c;                   // [H] (LSTM)
};

// The same row's gradients at that step.
template <typename T>
struct StepGrad {
    const T* dh;        // [H] dLoss/dh': from this step's output and from the next step
    const T* dc;        // [H] dLoss/dc' (LSTM)
    T* d_gates;         // [G*H] out: dLoss/d(pre-activations) (of W_ih x + b_ih, when apart)
    T* d_hidden_gates;  // [G*H] out: dLoss/d(W_hh h + b_hh), when apart
    T* dh_prev;         // [H] out: dLoss/dh through the elementwise path only; the path
                        // through W_hh is added by the recurrence with a GEMM
    T* dc_prev;         // [H] out (LSTM)
};

}  // namespace glimpse::nn
