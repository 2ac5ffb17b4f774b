// The one matrix multiply of glimpse: every Linear layer, every fused RNN cell and every
// attention score ends up here. The implementation (core/gemm.cpp) is a lesson of its own on
// making a CPU run near its peak: packing, register tiles, cache blocks, two cores.
#pragma once

#include <cstdint>
#include <memory>

namespace glimpse::kernels {

// C[m, n] (+)= op(A)[m, k] @ op(B)[k, n], all row-major with leading dimensions.
// op(A) = A, or A^T when trans_a (then A is stored [k, m] with leading dim lda); same for B.
// accumulate = false overwrites C (whatever it held, even NaN); true adds to it.
// Any m, n, k >= 0 is valid. Defined for T = float and T = double.
template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda,
          const T* b, int64_t ldb, T* c, int64_t ldc, bool accumulate);

// op(B) [k, n] packed once, for many products with it: a recurrent cell's weight meets a new
// state at every step, and gemm() above would pack it again at each one (gemm.cpp explains the
// packing). Holds a copy: later changes to B are not seen. Defined for T = float and T = double.
template <typename T>
class PackedMatrix {
  public:
    PackedMatrix(bool trans_b, int64_t k, int64_t n, const T* b, int64_t ldb);
    int64_t rows() const { return k_; }
    int64_t cols() const { return n_; }
    // For gemm.cpp: the packed slivers of columns [column, n) in the block of k starting at
    // pc (both at a block's or a sliver's start).
    const T* panel(int64_t pc, int64_t column) const;

  private:
    struct AlignedDelete {
        void operator()(T* p) const;
    };
    int64_t k_, n_, padded_n_;  // padded_n_: n rounded up to whole slivers
    std::unique_ptr<T, AlignedDelete> data_;
};

// C[m, n] (+)= op(A)[m, k] @ B, with B packed beforehand.
template <typename T>
void gemm(bool trans_a, int64_t m, const T* a, int64_t lda, const PackedMatrix<T>& b, T* c,
          int64_t ldc, bool accumulate);

}  // namespace glimpse::kernels
