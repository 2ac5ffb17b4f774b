// Matrix multiply. Every case ends in kernels::gemm reading the operands where they lie: a
// transposed operand (a weight used as W.t()) goes to the GEMM with its transpose flag, and only
// strides that no GEMM can read (a broadcast, steps in both dims) are copied first.
//
// A vector operand becomes a matrix with one row or column (unsqueeze), is multiplied, and the
// extra dim is squeezed away again; those views carry the gradient back to the vector shape.

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/gemm.hpp"
#include "core/ops.hpp"
#include "core/strided_loop.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

namespace {

// The dims in front of the last two (none for a matrix or a vector).
Shape batch_dims(const Tensor& x) {
    if (x.dim() <= 2) return {};
    return Shape(x.shape().begin(), x.shape().end() - 2);
}

void check_matmul(const Tensor& a, const Tensor& b) {
    check_floating("matmul", a);
    check_floating("matmul", b);
    check_same_dtype("matmul", a, b);
    if (a.dim() == 0 || b.dim() == 0) {
        throw Error(fmt::format("matmul: both operands need at least 1 dim, got {} @ {}",
                                describe(a), describe(b)));
    }
    const int64_t a_inner = a.size(-1);
    const int64_t b_inner = b.dim() == 1 ? b.size(0) : b.size(-2);
    if (a_inner != b_inner) {
        throw Error(fmt::format("matmul: inner dimensions differ: {} @ {} ({} != {})",
                                shape_str(a.shape()), shape_str(b.shape()), a_inner, b_inner));
    }
    // A matrix on the right is shared by every batch of the left; batched operands must agree.
    if (b.dim() >= 3 && batch_dims(a) != batch_dims(b)) {
        throw Error(fmt::format(
            "matmul: batch dimensions differ: {} @ {} ({} != {}); batches are not broadcast",
            shape_str(a.shape()), shape_str(b.shape()), shape_str(batch_dims(a)),
            shape_str(batch_dims(b))));
    }
}

// How kernels::gemm reads a matrix in place: row-major with leading dim `ld`, or (trans) as the
// transpose of a row-major matrix stored the other way round.
struct GemmLayout {
    bool trans;
    int64_t ld;
};

// The layout of a [rows, cols] matrix whose elements step by row_stride and col_stride, if the
// GEMM can read it without a copy.
std::optional<GemmLayout> gemm_layout(int64_t rows, int64_t cols, int64_t row_stride,
                                      int64_t col_stride) {
    if (rows == 0 || cols == 0) return GemmLayout{false, std::max<int64_t>(cols, 1)};
    // A stride along an extent of 1 is never used, so such a dim fits either layout.
    if (cols == 1 || col_stride == 1) {
        const int64_t ld = rows == 1 ? cols : row_stride;
        if (ld >= cols) return GemmLayout{false, ld};
    }
    if (rows == 1 || row_stride == 1) {
        const int64_t ld = cols == 1 ? rows : col_stride;
        if (ld >= rows) return GemmLayout{true, ld};
    }
    return std::nullopt;
}

// The stride between rows when all dims of x but the last read as one dim of rows (they step
// through memory like the dims of one contiguous block), so one GEMM covers every batch.
std::optional<int64_t> folded_row_stride(const Tensor& x) {
    std::optional<int64_t> row_stride;
    int64_t next_stride = 0;  // the stride the next outer dim needs to continue the block
    for (int64_t d = x.dim() - 2; d >= 0; --d) {
        const int64_t extent = x.shape()[d];
        const int64_t stride = x.strides()[d];
        if (extent == 1) continue;
        if (row_stride && stride != next_stride) return std::nullopt;
        if (!row_stride) row_stride = stride;
        next_stride = stride * extent;
    }
    return row_stride.value_or(0);  // a single row: its stride is never used
}

// x as a GEMM operand: with `fold`, all leading dims as rows of one matrix; without, each matrix
// of the last two dims. Replaces x by a contiguous copy only when the GEMM cannot read its strides.
GemmLayout readable_layout(Tensor& x, bool fold) {
    const auto layout = [&x, fold]() -> std::optional<GemmLayout> {
        const int64_t cols = x.size(-1);
        const int64_t rows = fold ? numel(x.shape()) / std::max<int64_t>(cols, 1) : x.size(-2);
        const std::optional<int64_t> row_stride =
            fold ? folded_row_stride(x) : std::optional<int64_t>(x.strides()[x.dim() - 2]);
        if (!row_stride) return std::nullopt;
        return gemm_layout(rows, cols, *row_stride, x.strides().back());
    };
    if (const std::optional<GemmLayout> in_place = layout()) return *in_place;
    x = contiguous(x);
    return *layout();
}

// [..., M, K] @ [K, N] -> [..., M, N] as one GEMM over all rows, or batched [..., M, K] @
// [..., K, N] -> [..., M, N] as one GEMM per batch. a and b are graph-free (detached).
Tensor multiply(Tensor a, Tensor b) {
    const bool shared_right = b.dim() == 2;
    const GemmLayout layout_a = readable_layout(a, shared_right);
    const GemmLayout layout_b = readable_layout(b, false);
    const int64_t m = a.size(-2);
    const int64_t k = a.size(-1);
    const int64_t n = b.size(-1);
    Shape shape = a.shape();
    shape.back() = n;
    Tensor out = empty(shape, a.dtype());
    dispatch_floating(a.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T* pa = a.data<T>();
        const T* pb = b.data<T>();
        T* pc = out.data<T>();
        if (shared_right) {
            const int64_t rows = numel(batch_dims(out)) * m;
            kernels::gemm<T>(layout_a.trans, layout_b.trans, rows, n, k, pa, layout_a.ld, pb,
                             layout_b.ld, pc, n, false);
            return;
        }
        const Shape batch = batch_dims(out);
        const Strides batch_a(a.strides().begin(), a.strides().end() - 2);
        const Strides batch_b(b.strides().begin(), b.strides().end() - 2);
        T* pc_batch = pc;
        for_each_position<2>(batch, {&batch_a, &batch_b}, [&](const std::array<int64_t, 2>& o) {
            kernels::gemm<T>(layout_a.trans, layout_b.trans, m, n, k, pa + o[0], layout_a.ld,
                             pb + o[1], layout_b.ld, pc_batch, n, false);
            pc_batch += m * n;
        });
    });
    return out;
}

// x [..., K] as the rows of one matrix [rows, K] (a view when x's strides allow).
Tensor as_rows(const Tensor& x) {
    return x.dim() == 2 ? x : x.reshape({-1, x.size(-1)});
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
    check_matmul(a, b);
    if (a.dim() == 1 && b.dim() == 1) {
        return matmul(a.unsqueeze(0), b.unsqueeze(1)).squeeze(1).squeeze(0);  // [1, 1] -> []
    }
    if (a.dim() == 1) return matmul(a.unsqueeze(0), b).squeeze(-2);  // [1, N] -> [N]
    if (b.dim() == 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);  // [..., M, 1] -> [..., M]

    Tensor out = multiply(a.detach(), b.detach());
    // C = A B: dA = dC B^T and dB = A^T dC, each only when asked for. A shared right matrix B
    // [K, N] met every row of A, so dB sums over all of them: A [rows, K]^T @ dC [rows, N].
    return record("matmul", {a, b}, out, [a, b](const Tensor& g) {
        const Tensor da = a.requires_grad() ? matmul(g, b.transpose(-2, -1)) : Tensor();
        Tensor db;
        if (b.requires_grad()) {
            db = b.dim() == 2 ? matmul(as_rows(a).t(), as_rows(g)) : matmul(a.transpose(-2, -1), g);
        }
        return Grads{da, db};
    });
}

}  // namespace glimpse
