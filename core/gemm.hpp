// The one matrix multiply of glimpse: every Linear layer, every fused RNN cell and every
// attention score ends up here. The implementation (core/gemm.cpp) is a lesson of its own on
// making a CPU run near its peak: packing, register tiles, cache blocks, two cores.
#pragma once

#include <cstdint>

namespace glimpse::kernels {

// C[m, n] (+)= op(A)[m, k] @ op(B)[k, n], all row-major with leading dimensions.
// op(A) = A, or A^T when trans_a (then A is stored [k, m] with leading dim lda); same for B.
// accumulate = false overwrites C (whatever it held, even NaN); true adds to it.
// Any m, n, k >= 0 is valid. Defined for T = float and T = double.
template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda,
          const T* b, int64_t ldb, T* c, int64_t ldc, bool accumulate);

}  // namespace glimpse::kernels
