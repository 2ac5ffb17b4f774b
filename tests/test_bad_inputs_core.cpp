// The catalogue of bad inputs, core/: tensors, ops and the autograd engine. Each case is a call
// a user could make by mistake, with the one message it must get (tests/bad_inputs.hpp).

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "core/anomaly.hpp"
#include "core/ops.hpp"
#include "core/tensor.hpp"
#include "tests/bad_inputs.hpp"

using namespace glimpse;
using glimpse::testing::check_bad_inputs;

namespace {

Tensor param(const Shape& shape) {
    Tensor p = ones(shape);
    p.requires_grad_();
    return p;
}

}  // namespace

TEST_CASE("bad inputs: making tensors") {
    constexpr int64_t huge = int64_t{1} << 40;
    check_bad_inputs({
        {"a negative extent",
         [] {
             zeros({2, -3});
         },
         "empty: negative extent in shape [2, -3]"},
        {"more values than the shape holds",
         [] {
             tensor({1, 2, 3}, {2, 2});
         },
         "tensor: 3 values cannot fill shape [2, 2] (4 elements)"},
        {"an allocation too large to make",
         [] {
             zeros({huge, huge});
         },
         "empty: shape [1099511627776, 1099511627776] float32 has more bytes than a computer can "
         "address"},
        {"an allocation larger than memory", [] { empty({int64_t{1} << 45}); },
         "empty: out of memory for shape [35184372088832] float32 (140737488355328 bytes)"},
        {"arange with a zero step", [] { arange(0.0, 1.0, 0.0); },
         "arange: cannot go from 0 to 1 in steps of 0"},
        {"item of two elements", [] { ones({2}).item(); },
         "item: expected a tensor with one element, got shape [2]"},
        {"size of a 0-d tensor", [] { scalar_tensor(1).size(0); },
         "size: dim 0 of a 0-d tensor, which has no dims"},
        {"data read as the wrong type", [] { ones({2}).data<double>(); },
         "data: the tensor is float32, but its data was read as float64"},
        {"an int64 tensor marked for gradients", [] { arange(3).requires_grad_(); },
         "requires_grad_: only floating tensors have gradients, got int64"},
        {"a computed tensor marked for gradients", [] { (param({2}) * 2.0).requires_grad_(); },
         "requires_grad_: only leaf tensors can be marked; this one was computed by 'mul' (use "
         "detach() to make a leaf)"},
    });
}

TEST_CASE("bad inputs: shapes, dtypes and indices of ops") {
    check_bad_inputs({
        {"matmul inner dims",
         [] {
             matmul(ones({3, 4}), ones({5, 6}));
         },
         "matmul: inner dimensions differ: [3, 4] @ [5, 6] (4 != 5)"},
        {"matmul of a 0-d tensor",
         [] {
             matmul(scalar_tensor(2), ones({2, 2}));
         },
         "matmul: both operands need at least 1 dim, got [] float32 @ [2, 2] float32"},
        {"matmul float32 with float64",
         [] {
             matmul(ones({2, 2}), ones({2, 2}, DType::Float64));
         },
         "matmul: dtypes differ: [2, 2] float32 and [2, 2] float64 (convert one with .to())"},
        {"add shapes that do not broadcast",
         [] {
             add(ones({2, 3}), ones({4}));
         },
         "add: shapes [2, 3] and [4] do not broadcast"},
        {"mul of an int64 tensor with a float one", [] { mul(arange(3), ones({3})); },
         "mul: expected a float32 or float64 tensor, got [3] int64"},
        {"log of a bool tensor", [] { log(ones({2}, DType::Bool)); },
         "log: expected a float32 or float64 tensor, got [2] bool"},
        {"clamp with min above max", [] { clamp(ones({2}), 1, 0); },
         "clamp: min 1 is greater than max 0"},
        {"sum over a dim out of range",
         [] {
             sum(ones({2, 3}), {2});
         },
         "sum: dim 2 is out of range for a tensor of rank 2 (expected -2..1)"},
        {"sum over a dim listed twice",
         [] {
             sum(ones({2, 3}), {1, -1});
         },
         "sum: dim -1 is listed twice"},
        {"softmax over a dim out of range",
         [] {
             softmax(ones({2, 3}), -3);
         },
         "softmax: dim -3 is out of range for a tensor of rank 2 (expected -2..1)"},
        {"max over an empty dim",
         [] {
             max(ones({2, 0}), 1);
         },
         "max: dim 1 of [2, 0] float32 is empty"},
        {"view to a shape of another size",
         [] {
             ones({2, 3}).view({4, 2});
         },
         "view: shape [4, 2] is invalid for [2, 3] float32 (6 elements)"},
        {"view with two -1",
         [] {
             ones({2, 3}).view({-1, -1});
         },
         "view: only one extent may be -1, got [-1, -1]"},
        {"view of a transposed tensor",
         [] {
             ones({2, 3}).t().view({6});
         },
         "view: [3, 2] float32 is not contiguous (strides [1, 3]); use reshape(), which copies "
         "when it must"},
        {"transpose of a dim out of range",
         [] {
             ones({2, 3}).transpose(0, 2);
         },
         "transpose: dim 2 is out of range for a tensor of rank 2 (expected -2..1)"},
        {"permute with a repeated dim",
         [] {
             ones({2, 3}).permute({0, 0});
         },
         "permute: [0, 0] is not a permutation of the dims of [2, 3] float32"},
        {"narrow past the end", [] { ones({4}).narrow(0, 2, 3); },
         "narrow: [2, 5) is out of range for dim 0 of [4] float32 (size 4)"},
        {"narrow with a negative length", [] { ones({4}).narrow(0, 1, -1); },
         "narrow: length -1 is negative (dim 0 of [4] float32)"},
        {"select an index out of range",
         [] {
             ones({2, 3}).select(1, 3);
         },
         "select: index 3 is out of range for dim 1 of [2, 3] float32 (size 3)"},
        {"select from a 0-d tensor", [] { scalar_tensor(1).select(0, 0); },
         "select: cannot select from a 0-d tensor"},
        {"expand a dim that is not 1",
         [] {
             ones({2, 3}).expand({4, 3});
         },
         "expand: [2, 3] float32 cannot expand to [4, 3] (dim 0 is 2, not 1)"},
        {"cat of no tensors", [] { cat({}, 0); }, "cat: expected at least one tensor, got none"},
        {"cat of different extents",
         [] {
             cat({ones({2, 3}), ones({2, 4})}, 0);
         },
         "cat: tensor 1 is [2, 4] float32 but tensor 0 is [2, 3] float32: shapes must match except "
         "along dim 0"},
        {"stack of different shapes",
         [] {
             stack({ones({2}), ones({3})}, 0);
         },
         "stack: tensor 1 is [3] float32 but tensor 0 is [2] float32: shapes must be equal"},
        {"split with size 0", [] { split(ones({4}), 0, 0); },
         "split: split_size must be positive, got 0 for dim 0 of [4] float32"},
        {"chunk into 0 pieces", [] { chunk(ones({4}), 0, 0); },
         "chunk: chunks must be positive, got 0 for [4] float32"},
        {"index_select with an index out of range",
         [] {
             index_select(ones({3, 2}), 0, tensor({0, 3}, {2}, DType::Int64));
         },
         "index_select: index[1] = 3 is out of range for dim 0 of [3, 2] float32 (size 3)"},
        {"index_select with a negative index",
         [] {
             index_select(ones({3, 2}), 0, tensor({-1}, {1}, DType::Int64));
         },
         "index_select: index[0] = -1 is out of range for dim 0 of [3, 2] float32 (size 3)"},
        {"index_select with a float index",
         [] {
             index_select(ones({3, 2}), 0, ones({1}));
         },
         "index_select: index must be int64, got [1] float32"},
        {"where with a float condition", [] { where(ones({2}), ones({2}), ones({2})); },
         "where: condition must be bool, got [2] float32"},
        {"masked_fill with a mask that does not broadcast",
         [] {
             masked_fill(ones({2, 3}), ones({2}, DType::Bool), 0);
         },
         "masked_fill: shapes [2, 3] and [2] do not broadcast"},
        {"copy_ of a source that does not broadcast",
         [] {
             copy_(ones({2, 3}), ones({3, 2}));
         },
         "copy_: source [3, 2] float32 does not broadcast to destination [2, 3] float32"},
        {"dropout with p above 1", [] { dropout(ones({2}), 1.5); },
         "dropout: p must be in [0, 1), got 1.5 (input [2] float32)"},
        {"an undefined tensor to an op", [] { add(Tensor(), ones({2})); },
         "add: got an undefined tensor"},
    });
}

TEST_CASE("bad inputs: losses") {
    const Tensor logits = ones({2, 3});
    check_bad_inputs({
        {"cross_entropy target above the classes",
         [&] {
             cross_entropy(logits, tensor({0, 3}, {2}, DType::Int64));
         },
         "cross_entropy: target 3 at position 1 is out of range for 3 classes (logits [2, 3] "
         "float32; expected 0..2 or ignore_index -100)"},
        {"cross_entropy negative target",
         [&] {
             cross_entropy(logits, tensor({-2, 0}, {2}, DType::Int64));
         },
         "cross_entropy: target -2 at position 0 is out of range for 3 classes (logits [2, 3] "
         "float32; expected 0..2 or ignore_index -100)"},
        {"cross_entropy float targets", [&] { cross_entropy(logits, ones({2})); },
         "cross_entropy: target must be int64, got [2] float32"},
        {"cross_entropy targets of another batch",
         [&] {
             cross_entropy(logits, tensor({0, 1, 2}, {3}, DType::Int64));
         },
         "cross_entropy: target [3] int64 does not fit logits [2, 3] float32 (expected target "
         "[2])"},
        {"cross_entropy of 3-d logits",
         [] {
             cross_entropy(ones({2, 3, 4}), tensor({0, 1}, {2}, DType::Int64));
         },
         "cross_entropy: logits must be [N, C] or [C], got [2, 3, 4] float32"},
        {"cross_entropy label smoothing above 1",
         [&] {
             cross_entropy(logits, tensor({0, 1}, {2}, DType::Int64), {.label_smoothing = 2});
         },
         "cross_entropy: label_smoothing must be in [0, 1], got 2"},
    });
}

TEST_CASE("bad inputs: backward") {
    check_bad_inputs({
        {"backward twice through a freed graph",
         [] {
             const Tensor loss = (param({2}) * param({2})).sum();
             loss.backward();
             loss.backward();
         },
         "backward: the graph through 'sum' was already freed by an earlier backward(); pass "
         "retain_graph=true to the first backward() to go through it twice"},
        {"backward of a non-scalar without a gradient", [] { (param({2}) * 2.0).backward(); },
         "backward: without a gradient argument the tensor must hold one element (a loss), got "
         "shape [2]; pass backward(grad) with a gradient of that shape"},
        {"backward with a gradient of another shape",
         [] { (param({2}) * 2.0).backward(ones({3})); },
         "backward: gradient [3] float32 does not match the tensor [2] float32"},
        {"in-place change of an op's output before backward",
         [] {
             const Tensor y = tanh(param({2}));
             fill_(y, 0);
             y.sum().backward();
         },
         "backward of 'tanh': its output [2] was modified in place after 'tanh' used it (version "
         "1, expected 0), so its gradient would be wrong; change a clone() instead, or call "
         "backward() before the change"},
        {"in-place change of a parameter before backward",
         [] {
             const Tensor w = param({2});
             const Tensor loss = (ones({2}) * w).sum();
             copy_(w, full({2}, 3));
             loss.backward();
         },
         "backward of 'mul': its input 1 [2] was modified in place after 'mul' used it (version 1, "
         "expected 0), so its gradient would be wrong; change a clone() instead, or call "
         "backward() before the change"},
        {"in-place change of an input that takes no gradient",
         [] {
             const Tensor x = ones({2});
             const Tensor loss = (x * param({2})).sum();
             fill_(x, 2);
             loss.backward();
         },
         "backward of 'mul': its input 0 was modified in place after 'mul' used it (version 1, "
         "expected 0), so its gradient would be wrong; change a clone() instead, or call "
         "backward() before the change"},
        {"NaN made in forward, with anomaly detection on",
         [] {
             const DetectAnomalyGuard anomaly;
             log(zeros({2}) * param({2}));
         },
         "detect_anomaly: 'log' made -inf in its output [2] float32 (element 0), from finite "
         "inputs"},
        {"NaN given to an op, with anomaly detection on",
         [] {
             const DetectAnomalyGuard anomaly;
             const Tensor x = tensor({1, std::numeric_limits<double>::quiet_NaN()}, {2});
             mul(x, param({2}));
         },
         "detect_anomaly: 'mul' made nan in its output [2] float32 (element 1), but its input 0 "
         "[2] float32 already held nan (element 1)"},
        {"infinity made by a backward, with anomaly detection on",
         [] {
             const DetectAnomalyGuard anomaly;
             Tensor x = zeros({3});
             x.requires_grad_();
             sqrt(x).sum().backward();
         },
         "detect_anomaly: the backward of 'sqrt' made inf in the gradient for its input 0 [3] "
         "float32 (element 0)"},
        {"backward of a tensor that needs no gradient", [] { ones({1}).sum().backward(); },
         "backward: tensor [] does not require grad (no input of the ops that made it requires "
         "grad)"},
    });
}
