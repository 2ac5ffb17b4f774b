#pragma once
// Every differentiable op of core/, as free functions named as in PyTorch.
// Each op checks its inputs when called (so an error points at the caller's line), computes its
// forward value, and records its backward next to it: see ops_*.cpp, one family per file.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse {

// --- elementwise, with NumPy broadcasting (ops_elementwise.cpp) ---
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& x);
Tensor pow(const Tensor& x, double exponent);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor clamp(const Tensor& x, double min, double max);  // gradient flows only inside (min, max)

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& x);
// A double next to a tensor becomes a 0-d tensor of the tensor's dtype, then broadcasts.
Tensor operator+(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(const Tensor& a, double b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(const Tensor& a, double b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(const Tensor& a, double b);
Tensor operator/(double a, const Tensor& b);

// --- comparisons and selection (ops_select.cpp); comparisons give bool, no gradient ---
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);  // condition is bool
Tensor masked_fill(const Tensor& x, const Tensor& mask, double value);    // mask is bool

// --- reductions (ops_reduce.cpp) ---
Tensor sum(const Tensor& x);  // all elements, shape []
Tensor sum(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim = false);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim = false);
// Sums a (broadcast) gradient back to `shape`: the step that undoes broadcasting in backward.
Tensor sum_to(const Tensor& x, const Shape& shape);
// Largest value along dim and where it is; the gradient goes to that position only.
std::pair<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim = false);  // int64

// --- softmax family and losses (ops_softmax.cpp) ---
Tensor softmax(const Tensor& x, int64_t dim);      // numerically stable: shifts by the max
Tensor log_softmax(const Tensor& x, int64_t dim);  // log-sum-exp, never log(softmax)
enum class Reduction { Mean, Sum, None };
struct CrossEntropyOptions {
    int64_t ignore_index = -100;  // targets equal to this contribute nothing (padding)
    Reduction reduction = Reduction::Mean;
    double label_smoothing = 0.0;
};
// logits [N, C] (or [C]), target int64 [N] (or []): fused log_softmax + negative log-likelihood.
// As in PyTorch, Mean divides by the number of non-ignored targets (NaN when all are ignored).
Tensor cross_entropy(const Tensor& logits, const Tensor& target,
                     const CrossEntropyOptions& options = {});

// --- matrix multiply (ops_matmul.cpp) ---
// [M, K] @ [K, N]; [..., M, K] @ [K, N] (one GEMM for all rows); [..., M, K] @ [K]; [K] @ [K, N];
// [K] @ [K] (a 0-d dot product); batched [B, M, K] @ [B, K, N], with any number of batch dims,
// equal on both sides (batch dims are not broadcast).
Tensor matmul(const Tensor& a, const Tensor& b);

// --- shapes and views (ops_view.cpp): views share storage, nothing is copied ---
Tensor view(const Tensor& x, const Shape& shape);     // contiguous input; one extent may be -1
Tensor reshape(const Tensor& x, const Shape& shape);  // a view when possible, else a copy
Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1);
Tensor permute(const Tensor& x, const Shape& dims);
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length);
Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t end);  // [start, end)
Tensor select(const Tensor& x, int64_t dim, int64_t index);              // drops dim
Tensor expand(const Tensor& x, const Shape& shape);                      // -1 keeps an extent
Tensor unsqueeze(const Tensor& x, int64_t dim);
Tensor squeeze(const Tensor& x, int64_t dim);
Tensor contiguous(const Tensor& x);  // x itself when already contiguous
Tensor clone(const Tensor& x);       // always a fresh copy
Tensor to(const Tensor& x, DType dtype);

// --- in place, never recorded (optimizer updates, loading weights, building masks) ---
void copy_(const Tensor& dst, const Tensor& src);  // src broadcasts to dst; dtypes may differ
void fill_(const Tensor& dst, double value);

// --- joining, splitting and indexing (ops_join.cpp) ---
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim);
std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim);  // last may be short
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim);
// Rows of `x` along dim picked by an int64 index [K]: the embedding lookup.
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);

// --- randomness in the graph (ops_dropout.cpp) ---
// Zeroes each element with probability p and scales the rest by 1/(1-p); identity if !training.
Tensor dropout(const Tensor& x, double p, bool training = true);

}  // namespace glimpse
