#pragma once
// Weights packed once for the GEMM while a WeightPacking scope is open on this thread.
//
// A decoder runs its recurrent cell once per target step, each time with the same W_ih and
// W_hh, and kernels::gemm would copy them into its micro-kernel's order ("packing") at every
// step: at H = 256 those copies took a tenth of a training step. While a scope is open, the
// first step packs a weight and the later ones reuse the copy (kernels::PackedMatrix). A copy is
// used only while the weight is unchanged: the same storage, the same version (every in-place
// op bumps it, the optimizers' updates too), the same data and shape.
//
// The scopes are passes in which no weight changes: Seq2Seq's teacher-forced forward pass, a
// greedy or beam search, and each backward() pass.

#include <memory>

#include "core/gemm.hpp"
#include "core/tensor.hpp"

namespace glimpse {

struct PackedWeightCache;

// RAII. Scopes nest: the outermost one owns the packed copies, and drops them when it closes.
class WeightPacking {
  public:
    WeightPacking();
    ~WeightPacking();
    WeightPacking(const WeightPacking&) = delete;
    WeightPacking& operator=(const WeightPacking&) = delete;

  private:
    std::unique_ptr<PackedWeightCache> cache_;  // null in a nested scope
};

// op(w) packed: w^T when `transposed` (for products x @ w^T), else w itself. w is a contiguous
// 2-D tensor of T. Null when no scope is open on this thread: the caller multiplies as usual.
template <typename T>
const kernels::PackedMatrix<T>* packed_weight(const Tensor& w, bool transposed);

}  // namespace glimpse
