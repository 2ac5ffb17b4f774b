// Joining, splitting and indexing. cat copies its inputs side by side and hands each input its
// slice of the gradient; stack is unsqueeze + cat; split and chunk are narrow views, whose backward
// narrow already has; index_select gathers rows and scatters their gradients back with +=.

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/strided_loop.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

namespace {

// "tensor 2 is [4] float32 but tensor 0 is [2, 3] float32": which input disagrees with the first.
std::string mismatch(const std::vector<Tensor>& tensors, std::size_t i) {
    return fmt::format("tensor {} is {} but tensor 0 is {}", i, describe(tensors[i]),
                       describe(tensors[0]));
}

// At least one tensor, every one defined and of one dtype: what cat and stack both need.
void check_joinable(const char* op, const std::vector<Tensor>& tensors) {
    if (tensors.empty()) throw Error(fmt::format("{}: expected at least one tensor, got none", op));
    for (const Tensor& t : tensors) check_defined(op, t);
    for (std::size_t i = 1; i < tensors.size(); ++i) {
        if (tensors[i].dtype() != tensors[0].dtype()) {
            throw Error(fmt::format("{}: dtypes differ: {}", op, mismatch(tensors, i)));
        }
    }
}

bool same_except(const Shape& a, const Shape& b, int64_t dim) {
    if (a.size() != b.size()) return false;
    for (std::size_t d = 0; d < a.size(); ++d) {
        if (static_cast<int64_t>(d) != dim && a[d] != b[d]) return false;
    }
    return true;
}

// Consecutive views of x along d with the given extents.
std::vector<Tensor> pieces(const Tensor& x, int64_t d, const std::vector<int64_t>& sizes) {
    std::vector<Tensor> result;
    int64_t start = 0;
    for (int64_t size : sizes) {
        result.push_back(x.narrow(d, start, size));
        start += size;
    }
    return result;
}

// The values of an int64 index [K], each checked to be a position along dim d of x.
std::vector<int64_t> checked_rows(const Tensor& x, int64_t d, int64_t dim, const Tensor& index) {
    const Tensor values = index.contiguous();
    const int64_t* first = values.data<int64_t>();
    std::vector<int64_t> rows(first, first + values.numel());
    const int64_t size = x.shape()[d];
    for (std::size_t k = 0; k < rows.size(); ++k) {
        if (rows[k] < 0 || rows[k] >= size) {
            throw Error(fmt::format(
                "index_select: index[{}] = {} is out of range for dim {} of {} (size {})", k,
                rows[k], dim, describe(x), size));
        }
    }
    return rows;
}

// f(p, s, n) for runs of n consecutive elements of `picked` (from offset p) and the elements of
// `source` they come from (from offset s), where position k of `picked` along d is position
// rows[k] of `source`. Whole contiguous rows (embedding lookups, the loss's picks, a beam's
// reordered states) are one run each, which f copies or adds with one vectorised loop; any other
// layout goes one element at a time.
template <typename F>
void for_each_picked(const Tensor& picked, const Tensor& source, int64_t d,
                     const std::vector<int64_t>& rows, F f) {
    if (d == 0 && picked.is_contiguous() && source.is_contiguous()) {
        int64_t row = 1;  // elements per row: the product of the other dims
        for (int64_t e = 1; e < picked.dim(); ++e) row *= picked.shape()[e];
        for (std::size_t k = 0; k < rows.size(); ++k) {
            f(static_cast<int64_t>(k) * row, rows[k] * row, row);
        }
        return;
    }
    Shape row_shape = picked.shape();
    Strides picked_strides = picked.strides();
    Strides source_strides = source.strides();
    row_shape.erase(row_shape.begin() + d);
    picked_strides.erase(picked_strides.begin() + d);
    source_strides.erase(source_strides.begin() + d);
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const int64_t picked_row = static_cast<int64_t>(k) * picked.strides()[d];
        const int64_t source_row = rows[k] * source.strides()[d];
        for_each_position<2>(
            row_shape, {&picked_strides, &source_strides},
            [&](const std::array<int64_t, 2>& o) { f(picked_row + o[0], source_row + o[1], 1); });
    }
}

}  // namespace

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
    check_joinable("cat", tensors);
    const Tensor& first = tensors[0];
    if (first.dim() == 0) {
        throw Error(
            fmt::format("cat: tensor 0 is {}: a 0-d tensor cannot be concatenated (use stack)",
                        describe(first)));
    }
    const int64_t d = normalize_dim("cat", dim, first.dim());
    Shape shape = first.shape();
    shape[d] = 0;
    std::vector<int64_t> sizes;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (!same_except(tensors[i].shape(), first.shape(), d)) {
            throw Error(fmt::format("cat: {}: shapes must match except along dim {}",
                                    mismatch(tensors, i), dim));
        }
        sizes.push_back(tensors[i].shape()[d]);
        shape[d] += sizes.back();
    }
    Tensor out = empty(shape, first.dtype());
    const std::vector<Tensor> slots = pieces(out, d, sizes);
    for (std::size_t i = 0; i < tensors.size(); ++i) copy_(slots[i], tensors[i]);
    // Each input was copied into one slice of the output: its gradient is that slice of g.
    return record("cat", tensors, out, [d, sizes](const Tensor& g) { return pieces(g, d, sizes); });
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
    check_joinable("stack", tensors);
    for (std::size_t i = 1; i < tensors.size(); ++i) {
        if (tensors[i].shape() != tensors[0].shape()) {
            throw Error(fmt::format("stack: {}: shapes must be equal", mismatch(tensors, i)));
        }
    }
    const int64_t d = normalize_dim("stack", dim, tensors[0].dim() + 1);
    std::vector<Tensor> slices;
    for (const Tensor& t : tensors) slices.push_back(t.unsqueeze(d));
    return cat(slices, d);
}

std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim) {
    check_defined("split", x);
    if (x.dim() == 0)
        throw Error(fmt::format("split: cannot split a 0-d tensor ({})", describe(x)));
    const int64_t d = normalize_dim("split", dim, x.dim());
    const int64_t size = x.shape()[d];
    if (split_size < 0 || (split_size == 0 && size != 0)) {
        throw Error(fmt::format("split: split_size must be positive, got {} for dim {} of {}",
                                split_size, dim, describe(x)));
    }
    std::vector<int64_t> sizes;
    for (int64_t start = 0; start < size; start += split_size) {
        sizes.push_back(std::min(split_size, size - start));
    }
    if (sizes.empty()) sizes.push_back(0);  // as in PyTorch, an empty dim gives one empty piece
    return pieces(x, d, sizes);
}

std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim) {
    check_defined("chunk", x);
    if (x.dim() == 0)
        throw Error(fmt::format("chunk: cannot chunk a 0-d tensor ({})", describe(x)));
    if (chunks <= 0) {
        throw Error(
            fmt::format("chunk: chunks must be positive, got {} for {}", chunks, describe(x)));
    }
    const int64_t d = normalize_dim("chunk", dim, x.dim());
    const int64_t size = x.shape()[d];
    if (size == 0) return pieces(x, d, std::vector<int64_t>(chunks, 0));
    // As in PyTorch: pieces of ceil(size / chunks), so 5 in 4 chunks gives 2 + 2 + 1 (3 pieces).
    return split(x, (size + chunks - 1) / chunks, d);
}

Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index) {
    check_defined("index_select", x);
    check_dtype("index_select", index, DType::Int64, "index");
    if (x.dim() == 0) {
        throw Error(fmt::format("index_select: cannot index a 0-d tensor ({})", describe(x)));
    }
    if (index.dim() != 1) {
        throw Error(fmt::format("index_select: index must be 1-D [K], got {} (indexing {})",
                                describe(index), describe(x)));
    }
    const int64_t d = normalize_dim("index_select", dim, x.dim());
    const std::vector<int64_t> rows = checked_rows(x, d, dim, index);
    Shape shape = x.shape();
    shape[d] = static_cast<int64_t>(rows.size());
    Tensor out = empty(shape, x.dtype());
    dispatch_all(x.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T* in = x.data<T>();
        T* result = out.data<T>();
        for_each_picked(out, x, d, rows, [&](int64_t p, int64_t s, int64_t n) {
            std::copy_n(in + s, n, result + p);
        });
    });
    // Row k of the output is row rows[k] of x, so its gradient adds into that row: an index
    // picked twice (a word seen twice) gets the sum of both gradients.
    return record("index_select", {x, index}, out, [d, rows, shape = x.shape()](const Tensor& g) {
        Tensor grad = zeros(shape, g.dtype());
        dispatch_floating(g.dtype(), [&](auto zero) {
            using T = decltype(zero);
            const T* from = g.data<T>();
            T* to = grad.data<T>();
            // g and grad are different buffers, so `omp simd` may vectorise the adds.
            for_each_picked(g, grad, d, rows, [&](int64_t p, int64_t s, int64_t n) {
#pragma omp simd
                for (int64_t i = 0; i < n; ++i) to[s + i] += from[p + i];
            });
        });
        return Grads{grad, Tensor()};
    });
}

}  // namespace glimpse
