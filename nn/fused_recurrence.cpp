// The fused recurrence: one layer of an RNN, LSTM or GRU, in one or both directions, over every
// time step of a batch, as ONE recorded op. Per step there is no graph node and no allocation:
// a step is one GEMM and one elementwise pass over the batch.
//
// Forward, for each direction (B batch, T steps, I inputs, H hidden, G gates):
//   1. gates[B*T, G*H] = x[B*T, I] @ W_ih^T + b_ih (+ b_hh): the input projection of every step
//      in one large GEMM before the time loop, as PyTorch's aten/src/ATen/native/RNN.cpp does.
//   2. for each step t (forward: 0 .. T-1; reverse: T-1 .. 0):
//        gates_t += h_prev @ W_hh^T             one GEMM for all gates, [B, H] @ [H, G*H]
//        the cell's elementwise kernel           the activations and the new state, row by row
//      A row whose sequence is over (t >= its length) skips the step: its state is carried
//      through unchanged and its output is zero. So a padded step never changes a sequence's
//      final state, and the reverse direction starts at each sequence's own last real step, as
//      with PyTorch's packed sequences.
// Backward (backpropagation through time), for each direction, from the last step to the first:
//        d_gates_t = the kernel's backward        elementwise, from the saved activations
//        dh_prev   = its direct part + d_gates_t @ W_hh
//   then the weight gradients of all steps at once, as large GEMMs:
//        dW_hh = d_gates^T @ h_prev    dW_ih = d_gates^T @ x    dx = d_gates @ W_ih
//   and the biases' as column sums of d_gates. dW_hh and dW_ih go to the engine as products
//   (core/autograd.hpp, gradient_as_product), which sums those of a cell run step by step.
// The directions are independent, so each runs on its own core.
//
// The op has one output (record() attaches one), so the results share one flat buffer,
//   [ output B*T*D*H | h_n D*B*H | c_n D*B*H (LSTM) ],
// and fused_layer hands out views of its parts.

#include "nn/fused_recurrence.hpp"

#include <omp.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "core/autograd.hpp"
#include "core/gemm.hpp"
#include "core/ops.hpp"
#include "core/packed_weights.hpp"
#include "nn/gru_fused.hpp"
#include "nn/lstm_fused.hpp"
#include "nn/rnn_fused.hpp"

namespace glimpse::nn {

int64_t gate_count(CellKind kind) {
    switch (kind) {
        case CellKind::LSTM:
            return LSTMKernel::kGates;
        case CellKind::GRU:
            return GRUKernel::kGates;
        case CellKind::RNNTanh:
        case CellKind::RNNReLU:
            break;
    }
    return 1;
}

CellKind rnn_kind(Nonlinearity nonlinearity) {
    return nonlinearity == Nonlinearity::Tanh ? CellKind::RNNTanh : CellKind::RNNReLU;
}

namespace {

using Grads = std::vector<Tensor>;

// Calls f(Kernel{}, T{}) with the kernel of `kind` and the C++ type of `dtype`.
template <typename F>
void dispatch_kernel(CellKind kind, DType dtype, F&& f) {
    dispatch_floating(dtype, [&](auto zero) {
        switch (kind) {
            case CellKind::RNNTanh:
                return f(RNNKernel<Nonlinearity::Tanh>{}, zero);
            case CellKind::RNNReLU:
                return f(RNNKernel<Nonlinearity::ReLU>{}, zero);
            case CellKind::LSTM:
                return f(LSTMKernel{}, zero);
            case CellKind::GRU:
                return f(GRUKernel{}, zero);
        }
    });
}

struct Sizes {
    int64_t batch, steps, input, hidden, gates, directions;
    int64_t width() const { return gates * hidden; }  // G*H: one row of gates
    int64_t output_size() const { return batch * steps * directions * hidden; }
    int64_t state_size() const { return directions * batch * hidden; }
};

// What one direction keeps from its forward pass for its backward pass.
struct Saved {
    Tensor gates;         // [B, T, G*H] the activated gates of every step
    Tensor hidden_gates;  // [B, T, G*H] W_hh h + b_hh, when the kernel keeps them apart
    Tensor h_prev;        // [B, T, H] the state entering each step
    Tensor c_prev;        // [B, T, H] (LSTM)
};

// The whole op: its inputs as plain (graph-free, contiguous) values, what forward saved, and
// the output buffer. The backward closure shares it; it never holds the recorded output.
struct Layer {
    Sizes sizes;
    std::vector<int64_t> lengths;  // one per sequence (T when not given)
    Tensor x;                      // [B, T, I]
    Tensor h0;                     // [D, B, H]
    Tensor c0;                     // [D, B, H] (LSTM)
    std::vector<CellWeights> weights;
    std::vector<Saved> saved;
    Tensor result;  // [ output | h_n | c_n ], see the top of the file
};

template <typename T>
T* data_or_null(const Tensor& t) {
    return t.defined() ? t.data<T>() : nullptr;
}

// A [rows, cols] matrix with leading dim ld: what kernels::gemm reads and writes.
template <typename T>
struct Rows {
    T* data;
    int64_t ld;
    T* row(int64_t b) const { return data + b * ld; }
};

// A [B, T, W] buffer seen one step at a time: step t is a [B, W] matrix whose rows are T*W
// apart. With `data` moved to column c, the columns from c on (the output [B, T, D*H] is seen
// from column d*H for direction d).
template <typename T>
struct Steps {
    T* data;
    int64_t steps;
    int64_t row_size;  // W: elements from one (b, t) to the next
    Rows<T> at(int64_t t) const { return {data ? data + t * row_size : nullptr, steps * row_size}; }
    T* row(int64_t b, int64_t t) const {
        return data ? data + (b * steps + t) * row_size : nullptr;
    }
};

// Every buffer of one direction, and the order in which it walks through time.
template <typename T>
struct Direction {
    Sizes sizes;
    int64_t index;  // 0: forward in time, 1: reverse
    const std::vector<int64_t>* lengths;
    const T* x;
    const Tensor* w_ih;  // [G*H, I]
    const Tensor* w_hh;  // [G*H, H]
    const T* b_ih;
    const T* b_hh;
    Steps<T> gates, hidden_gates, h_prev, c_prev;
    Rows<T> h0, c0;    // this direction's initial state [B, H]
    Steps<T> output;   // [B, T, D*H], from column d*H
    Rows<T> h_n, c_n;  // this direction's final state [B, H]

    // The time of loop step s.
    int64_t time(int64_t s) const { return index == 1 ? sizes.steps - 1 - s : s; }
    bool is_real(int64_t b, int64_t t) const { return t < (*lengths)[b]; }

    // Row b at loop step s: it reads the state from the slot of time(s) and writes the new one
    // to the slot of the next step, or after the last step, to the final state.
    StepRow<T> row(int64_t b, int64_t s) const {
        const int64_t t = time(s);
        const bool last = s + 1 == sizes.steps;
        const int64_t next = last ? 0 : time(s + 1);
        return {gates.row(b, t),
                hidden_gates.row(b, t),
                h_prev.row(b, t),
                c_prev.row(b, t),
                last ? h_n.row(b) : h_prev.row(b, next),
                last ? (c_n.data ? c_n.row(b) : nullptr) : c_prev.row(b, next)};
    }
};

template <typename T>
Direction<T> direction_view(const Layer& layer, int64_t d) {
    const Sizes& n = layer.sizes;
    const Saved& saved = layer.saved[d];
    const CellWeights& w = layer.weights[d];
    T* result = layer.result.data<T>();
    T* c_n = layer.c0.defined() ? result + n.output_size() + n.state_size() : nullptr;
    const int64_t state = d * n.batch * n.hidden;  // where direction d's [B, H] starts in [D, B, H]
    return {n,
            d,
            &layer.lengths,
            layer.x.data<T>(),
            &w.weight_ih,
            &w.weight_hh,
            data_or_null<T>(w.bias_ih),
            data_or_null<T>(w.bias_hh),
            {saved.gates.data<T>(), n.steps, n.width()},
            {data_or_null<T>(saved.hidden_gates), n.steps, n.width()},
            {saved.h_prev.data<T>(), n.steps, n.hidden},
            {data_or_null<T>(saved.c_prev), n.steps, n.hidden},
            {layer.h0.data<T>() + state, n.hidden},
            {c_n ? layer.c0.data<T>() + state : nullptr, n.hidden},
            {result + d * n.hidden, n.steps, n.directions * n.hidden},
            {result + n.output_size() + state, n.hidden},
            {c_n ? c_n + state : nullptr, n.hidden}};
}

// Calls f(d) for every direction d: with two directions, one thread each (unless OpenMP may use
// only one, OMP_NUM_THREADS=1). One direction runs on the calling thread, outside any parallel
// region, so that its large GEMMs can use both cores from OpenMP's pool of threads (inside a
// region, even a one-thread one, OpenMP would start fresh threads for each GEMM).
template <typename F>
void for_each_direction(const Sizes& n, F&& f) {
    if (n.directions > 1 && omp_get_max_threads() > 1) {
#pragma omp parallel for num_threads(2)
        for (int64_t d = 0; d < n.directions; ++d) f(d);
        return;
    }
    for (int64_t d = 0; d < n.directions; ++d) f(d);
}

// --- small loops over rows ---

template <typename T>
void copy_rows(Rows<const T> from, Rows<T> to, int64_t rows, int64_t cols) {
    for (int64_t b = 0; b < rows; ++b) std::copy_n(from.row(b), cols, to.row(b));
}

// c [m, n] (+)= a [m, k] @ op(W), W a weight [rows, cols]: op(W) = W^T for the forward's
// products (x W^T), W itself for the backward's (d_gates W). op(W) is packed once
// (kernels::PackedMatrix) when other calls share the packed copy (a WeightPacking scope is open
// on this thread: a decoder's cell, step after step) or the time loop multiplies by it at
// several steps; else the GEMM reads W in place and packs as it goes.
template <typename T>
class WeightOperand {
  public:
    WeightOperand(const Tensor& w, bool transposed, int64_t uses)
        : w_(w.data<T>()),
          transposed_(transposed),
          ld_(w.size(1)),
          k_(transposed ? w.size(1) : w.size(0)),
          n_(transposed ? w.size(0) : w.size(1)),
          shared_(packed_weight<T>(w, transposed)) {
        if (shared_ == nullptr && uses > 1) own_.emplace(transposed_, k_, n_, w_, ld_);
    }
    int64_t cols() const { return n_; }

    void multiply(int64_t m, Rows<const T> a, Rows<T> c, bool accumulate) const {
        const kernels::PackedMatrix<T>* packed = shared_ ? shared_ : own_ ? &*own_ : nullptr;
        if (packed != nullptr) {
            kernels::gemm<T>(false, m, a.data, a.ld, *packed, c.data, c.ld, accumulate);
        } else {
            kernels::gemm<T>(false, transposed_, m, n_, k_, a.data, a.ld, w_, ld_, c.data, c.ld,
                             accumulate);
        }
    }

  private:
    const T* w_;
    bool transposed_;
    int64_t ld_, k_, n_;
    const kernels::PackedMatrix<T>* shared_;       // the scope's copy, or null
    std::optional<kernels::PackedMatrix<T>> own_;  // packed here for the time loop's steps
};

// c [m, n] = a [m, k] @ W^T + bias [n] (added to every row; none when null). Each row of c
// starts as the bias and the GEMM adds the product to it: one pass over c instead of two.
template <typename T>
void multiply_plus_bias(int64_t m, Rows<const T> a, const WeightOperand<T>& w, Rows<T> c,
                        const T* bias) {
    if (bias != nullptr) {
        for (int64_t row = 0; row < m; ++row) std::copy_n(bias, w.cols(), c.row(row));
    }
    w.multiply(m, a, c, bias != nullptr);
}

// --- forward ---

// The input projection of every step at once, before the time loop:
// gates [B*T, G*H] = x [B*T, I] @ W_ih^T + b_ih, plus b_hh unless the kernel keeps it apart.
template <typename Kernel, typename T>
void project_inputs(const Direction<T>& dir) {
    const Sizes& n = dir.sizes;
    const int64_t W = n.width();
    std::vector<T> bias;
    if (dir.b_ih != nullptr) {
        bias.assign(dir.b_ih, dir.b_ih + W);
        if (!Kernel::kHiddenGatesApart) {
            for (int64_t j = 0; j < W; ++j) bias[j] += dir.b_hh[j];
        }
    }
    const WeightOperand<T> w_ih(*dir.w_ih, true, 1);
    multiply_plus_bias<T>(n.batch * n.steps, {dir.x, n.input}, w_ih, {dir.gates.data, W},
                          bias.empty() ? nullptr : bias.data());
}

// Loop step s after its GEMM: the kernel on every row whose sequence is still running; a row
// of padding carries its state through unchanged and outputs zero.
template <typename Kernel, typename T>
void forward_rows(const Direction<T>& dir, int64_t s) {
    const int64_t H = dir.sizes.hidden;
    const int64_t t = dir.time(s);
    for (int64_t b = 0; b < dir.sizes.batch; ++b) {
        const StepRow<T> row = dir.row(b, s);
        T* out = dir.output.row(b, t);
        if (dir.is_real(b, t)) {
            Kernel::forward(row, H);
            std::copy_n(row.h, H, out);
        } else {
            std::copy_n(row.h_prev, H, row.h);
            if constexpr (Kernel::kCellState) std::copy_n(row.c_prev, H, row.c);
            std::fill_n(out, H, T(0));
        }
    }
}

template <typename Kernel, typename T>
void forward_direction(const Direction<T>& dir) {
    const Sizes& n = dir.sizes;
    const int64_t B = n.batch, H = n.hidden;
    const WeightOperand<T> w_hh(*dir.w_hh, true, n.steps);
    project_inputs<Kernel>(dir);
    // The initial state goes into the slot of the first step.
    const int64_t first = dir.time(0);
    copy_rows<T>({dir.h0.data, H}, dir.h_prev.at(first), B, H);
    if constexpr (Kernel::kCellState) {
        copy_rows<T>({dir.c0.data, H}, dir.c_prev.at(first), B, H);
    }
    // The time loop: one GEMM for W_hh h (all gates at once, [B, H] @ [H, G*H]), then the kernel.
    for (int64_t s = 0; s < n.steps; ++s) {
        const int64_t t = dir.time(s);
        const Rows<T> h = dir.h_prev.at(t);
        if constexpr (Kernel::kHiddenGatesApart) {
            multiply_plus_bias<T>(B, {h.data, h.ld}, w_hh, dir.hidden_gates.at(t), dir.b_hh);
        } else {  // added to the gates' projection of x
            w_hh.multiply(B, {h.data, h.ld}, dir.gates.at(t), true);
        }
        forward_rows<Kernel>(dir, s);
    }
}

// Allocates what forward saves, then runs every direction (in parallel when there are two).
template <typename Kernel, typename T>
void forward_layer(Layer& layer) {
    const Sizes& n = layer.sizes;
    const DType dtype = layer.x.dtype();
    const Shape gates_shape{n.batch, n.steps, n.width()};
    const Shape state_shape{n.batch, n.steps, n.hidden};
    for (int64_t d = 0; d < n.directions; ++d) {
        Saved saved;
        saved.gates = empty(gates_shape, dtype);
        if (Kernel::kHiddenGatesApart) saved.hidden_gates = empty(gates_shape, dtype);
        saved.h_prev = empty(state_shape, dtype);
        if (Kernel::kCellState) saved.c_prev = empty(state_shape, dtype);
        layer.saved.push_back(saved);
    }
    const int64_t states = Kernel::kCellState ? 2 : 1;
    layer.result = empty({n.output_size() + states * n.state_size()}, dtype);
    for_each_direction(
        n, [&](int64_t d) { forward_direction<Kernel, T>(direction_view<T>(layer, d)); });
}

// --- backward ---

// The running gradients of the state during backpropagation through time, [B, H] each:
// `h`/`c` reach the state after the step being undone, `h_prev`/`c_prev` the state before it.
template <typename T>
struct StateGrads {
    T* h;
    T* c;
    T* h_prev;
    T* c_prev;
    T* h_row;  // scratch for one row: its dh plus its output's gradient
};

// Undoes loop step s row by row, before its GEMM: the kernel's backward for every row whose
// sequence was running; a row of padding passes its state's gradient through and gets no
// gate gradient.
template <typename Kernel, typename T>
void backward_rows(const Direction<T>& dir, int64_t s, Steps<const T> d_output, Steps<T> d_gates,
                   Steps<T> d_hidden, const StateGrads<T>& d) {
    const int64_t H = dir.sizes.hidden, W = dir.sizes.width();
    const int64_t t = dir.time(s);
    for (int64_t b = 0; b < dir.sizes.batch; ++b) {
        const int64_t at = b * H;
        T* dc = Kernel::kCellState ? d.c + at : nullptr;
        T* dc_prev = Kernel::kCellState ? d.c_prev + at : nullptr;
        if (!dir.is_real(b, t)) {
            std::fill_n(d_gates.row(b, t), W, T(0));
            if constexpr (Kernel::kHiddenGatesApart) std::fill_n(d_hidden.row(b, t), W, T(0));
            std::copy_n(d.h + at, H, d.h_prev + at);
            if constexpr (Kernel::kCellState) std::copy_n(dc, H, dc_prev);
            continue;
        }
        const T* from_state = d.h + at;
        const T* from_output = d_output.row(b, t);
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) d.h_row[j] = from_state[j] + from_output[j];
        const StepGrad<T> grad{d.h_row,       dc,     d_gates.row(b, t), d_hidden.row(b, t),
                               d.h_prev + at, dc_prev};
        Kernel::backward(dir.row(b, s), grad, H);
    }
}

// The gradients that one direction computes, allocated before the directions run in parallel.
// Undefined ones are not wanted.
struct DirectionGrads {
    Tensor d_gates;         // [B, T, G*H]
    Tensor d_hidden_gates;  // [B, T, G*H], when apart; else the same tensor as d_gates
    Tensor states;          // [5, B, H] scratch: StateGrads' h, c, h_prev, c_prev, h_row
    Tensor h0, c0;          // [B, H] views of the initial states' gradients [D, B, H]
};

template <typename Kernel, typename T>
void backward_direction(const Direction<T>& dir, const T* grad_result, const DirectionGrads& g) {
    const Sizes& n = dir.sizes;
    const int64_t B = n.batch, H = n.hidden, W = n.width();
    // The incoming gradients, laid out like the result: output, then h_n, then c_n.
    const Steps<const T> d_output{grad_result + dir.index * H, n.steps, n.directions * H};
    const T* d_final = grad_result + n.output_size() + dir.index * B * H;
    const Steps<T> d_gates{g.d_gates.data<T>(), n.steps, W};
    const Steps<T> d_hidden{g.d_hidden_gates.data<T>(), n.steps, W};
    T* scratch = g.states.data<T>();
    StateGrads<T> d{scratch, scratch + B * H, scratch + 2 * B * H, scratch + 3 * B * H,
                    scratch + 4 * B * H};
    std::copy_n(d_final, B * H, d.h);
    if constexpr (Kernel::kCellState) std::copy_n(d_final + n.state_size(), B * H, d.c);

    const WeightOperand<T> w_hh(*dir.w_hh, false, n.steps);
    for (int64_t s = n.steps - 1; s >= 0; --s) {
        backward_rows<Kernel>(dir, s, d_output, d_gates, d_hidden, d);
        // dh_prev += d(W_hh h) @ W_hh: [B, G*H] @ [G*H, H]
        const Rows<T> d_hidden_t = d_hidden.at(dir.time(s));
        w_hh.multiply(B, {d_hidden_t.data, d_hidden_t.ld}, {d.h_prev, H}, true);
        std::swap(d.h, d.h_prev);
        std::swap(d.c, d.c_prev);
    }
    // d.h (and d.c) now hold the gradient of the initial state.
    if (g.h0.defined()) std::copy_n(d.h, B * H, g.h0.data<T>());
    if (g.c0.defined()) std::copy_n(d.c, B * H, g.c0.data<T>());
}

// Which inputs of the op want a gradient, in record() order: x, h0, c0, then per direction
// weight_ih, weight_hh, bias_ih, bias_hh.
constexpr std::size_t kWeightsFrom = 3;

// Allocates one direction's gradients (see DirectionGrads).
template <typename Kernel>
DirectionGrads direction_grads(const Layer& layer, int64_t d, const std::vector<bool>& wanted,
                               const Grads& grads) {
    const Sizes& n = layer.sizes;
    const DType dtype = layer.x.dtype();
    DirectionGrads dg;
    dg.d_gates = empty({n.batch, n.steps, n.width()}, dtype);
    dg.d_hidden_gates = Kernel::kHiddenGatesApart ? empty(dg.d_gates.shape(), dtype) : dg.d_gates;
    dg.states = empty({5, n.batch, n.hidden}, dtype);
    if (wanted[1]) dg.h0 = grads[1].select(0, d);
    if (wanted[2]) dg.c0 = grads[2].select(0, d);
    return dg;
}

// Direction d's weight gradients, from the gates' gradients of every step:
// dW_ih = d_gates^T @ x and dW_hh = d(W_hh h)^T @ h_prev, handed to the engine as products
// (gradient_as_product), so that a cell run once per step of a decoder has its steps' products
// summed in one GEMM; the biases' as sums over the rows. Each into its place in `grads`.
template <typename Kernel>
void weight_gradients(const Layer& layer, int64_t d, const DirectionGrads& dg,
                      const std::vector<bool>& wanted, Grads& grads) {
    const Sizes& n = layer.sizes;
    const int64_t rows = n.batch * n.steps;
    const Tensor d_gates = dg.d_gates.view({rows, n.width()});           // [B*T, G*H]
    const Tensor d_hidden = dg.d_hidden_gates.view({rows, n.width()});   // [B*T, G*H]
    const Tensor x = layer.x.view({rows, n.input});                      // [B*T, I]
    const Tensor h_prev = layer.saved[d].h_prev.view({rows, n.hidden});  // [B*T, H]
    const std::size_t first = kWeightsFrom + 4 * d;  // weight_ih, weight_hh, bias_ih, bias_hh
    if (wanted[first]) gradient_as_product(first, d_gates, x);
    if (wanted[first + 1]) gradient_as_product(first + 1, d_hidden, h_prev);
    if (wanted[first + 2]) grads[first + 2] = sum(d_gates, {0});
    if (wanted[first + 3]) {
        // Where the kernel does not keep W_hh h + b_hh apart (LSTM, RNN), both biases are added
        // to the same gates and have the same gradient: summed once.
        const bool same = !Kernel::kHiddenGatesApart && wanted[first + 2];
        grads[first + 3] = same ? grads[first + 2] : sum(d_hidden, {0});
    }
}

template <typename Kernel, typename T>
Grads backward_layer(const Layer& layer, const Tensor& grad_result,
                     const std::vector<bool>& wanted) {
    const Sizes& n = layer.sizes;
    const DType dtype = layer.x.dtype();
    const Tensor g = grad_result.contiguous();
    Grads grads(wanted.size());
    const Shape state_shape{n.directions, n.batch, n.hidden};
    if (wanted[1]) grads[1] = empty(state_shape, dtype);
    if (wanted[2]) grads[2] = empty(state_shape, dtype);
    std::vector<DirectionGrads> directions;
    for (int64_t d = 0; d < n.directions; ++d) {
        directions.push_back(direction_grads<Kernel>(layer, d, wanted, grads));
    }
    for_each_direction(n, [&](int64_t d) {
        backward_direction<Kernel, T>(direction_view<T>(layer, d), g.data<T>(), directions[d]);
    });
    for (int64_t d = 0; d < n.directions; ++d) {
        weight_gradients<Kernel>(layer, d, directions[d], wanted, grads);
    }
    // dx [B*T, I] = sum over directions of d_gates [B*T, G*H] @ W_ih [G*H, I]
    if (wanted[0]) {
        grads[0] = empty(layer.x.shape(), dtype);
        for (int64_t d = 0; d < n.directions; ++d) {
            const WeightOperand<T> w_ih(layer.weights[d].weight_ih, false, 1);
            w_ih.multiply(n.batch * n.steps, {directions[d].d_gates.data<T>(), n.width()},
                          {grads[0].data<T>(), n.input}, d > 0);
        }
    }
    return grads;
}

// --- the op ---

const char* op_name(CellKind kind) {
    switch (kind) {
        case CellKind::LSTM:
            return "lstm_layer";
        case CellKind::GRU:
            return "gru_layer";
        case CellKind::RNNTanh:
        case CellKind::RNNReLU:
            break;
    }
    return "rnn_layer";
}

Tensor plain(const Tensor& t) {
    return t.defined() ? t.detach().contiguous() : t;
}

// x's plain value with the steps past each sequence's length set to zero: whatever the padding
// holds (even NaN) then never reaches the weights' gradient through 0 * padding.
Tensor plain_without_padding(const Tensor& x, const std::vector<int64_t>& lengths) {
    const int64_t batch = x.size(0), steps = x.size(1);
    const bool padded =
        std::any_of(lengths.begin(), lengths.end(), [&](int64_t n) { return n < steps; });
    if (!padded) return plain(x);
    std::vector<double> padding(batch * steps);
    for (int64_t b = 0; b < batch; ++b) {
        for (int64_t t = lengths[b]; t < steps; ++t) padding[b * steps + t] = 1;
    }
    const Tensor mask = tensor(padding, {batch, steps, 1}, DType::Bool);
    return masked_fill(x.detach(), mask, 0.0);
}

std::shared_ptr<Layer> make_layer(CellKind kind, const Tensor& x, const Tensor& h0,
                                  const Tensor& c0, const std::vector<CellWeights>& directions,
                                  const std::vector<int64_t>& lengths) {
    auto layer = std::make_shared<Layer>();
    layer->sizes = {x.size(0),  x.size(1),        x.size(2),
                    h0.size(2), gate_count(kind), static_cast<int64_t>(directions.size())};
    layer->lengths = lengths.empty() ? std::vector<int64_t>(x.size(0), x.size(1)) : lengths;
    layer->x = plain_without_padding(x, lengths);
    layer->h0 = plain(h0);
    layer->c0 = kind == CellKind::LSTM ? plain(c0) : Tensor();
    for (const CellWeights& w : directions) {
        layer->weights.push_back(
            {plain(w.weight_ih), plain(w.weight_hh), plain(w.bias_ih), plain(w.bias_hh)});
    }
    return layer;
}

FusedLayerResult views_of(const Tensor& result, const Sizes& n, bool cell_state) {
    const int64_t states = n.state_size();
    const Shape state_shape{n.directions, n.batch, n.hidden};
    FusedLayerResult views;
    views.output =
        result.narrow(0, 0, n.output_size()).view({n.batch, n.steps, n.directions * n.hidden});
    views.h_n = result.narrow(0, n.output_size(), states).view(state_shape);
    if (cell_state)
        views.c_n = result.narrow(0, n.output_size() + states, states).view(state_shape);
    return views;
}

}  // namespace

FusedLayerResult fused_layer(CellKind kind, const Tensor& x, const Tensor& h0, const Tensor& c0,
                             const std::vector<CellWeights>& directions,
                             const std::vector<int64_t>& lengths) {
    const std::shared_ptr<Layer> layer = make_layer(kind, x, h0, c0, directions, lengths);
    dispatch_kernel(kind, x.dtype(), [&](auto kernel, auto zero) {
        forward_layer<decltype(kernel), decltype(zero)>(*layer);
    });

    std::vector<Tensor> inputs{x, h0, layer->c0.defined() ? c0 : Tensor()};
    for (const CellWeights& w : directions) {
        inputs.insert(inputs.end(), {w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh});
    }
    std::vector<bool> wanted;
    for (const Tensor& input : inputs) wanted.push_back(input.requires_grad());
    const Tensor result =
        record(op_name(kind), inputs, layer->result, [layer, kind, wanted](const Tensor& g) {
            Grads grads;
            dispatch_kernel(kind, g.dtype(), [&](auto kernel, auto zero) {
                grads = backward_layer<decltype(kernel), decltype(zero)>(*layer, g, wanted);
            });
            return grads;
        });
    return views_of(result, layer->sizes, kind == CellKind::LSTM);
}

std::string cell_kind_name(CellKind kind) {
    switch (kind) {
        case CellKind::LSTM:
            return "LSTM";
        case CellKind::GRU:
            return "GRU";
        case CellKind::RNNTanh:
            return "RNN";
        case CellKind::RNNReLU:
            return "RNN(relu)";
    }
    return "?";
}

}  // namespace glimpse::nn
