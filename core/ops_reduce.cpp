// Reductions: sum and mean over all or some dims, sum_to (the broadcast undo), max and argmax.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/strided_loop.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

namespace {

// The reduced dims as a flag per dim, after checking each is in range and appears once.
std::vector<bool> reduced_dims(const char* op, const Tensor& x, const std::vector<int64_t>& dims) {
    std::vector<bool> reduce(x.dim(), false);
    for (int64_t dim : dims) {
        const int64_t d = normalize_dim(op, dim, x.dim());
        if (x.dim() == 0) continue;
        if (reduce[d]) throw Error(fmt::format("{}: dim {} is listed twice", op, dim));
        reduce[d] = true;
    }
    return reduce;
}

Shape keepdim_shape(const Shape& shape, const std::vector<bool>& reduce) {
    Shape out = shape;
    for (std::size_t d = 0; d < out.size(); ++d) {
        if (reduce[d]) out[d] = 1;
    }
    return out;
}

Shape dropped_shape(const Shape& shape, const std::vector<bool>& reduce) {
    Shape out;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        if (!reduce[d]) out.push_back(shape[d]);
    }
    return out;
}

// x's shape seen as [outer, reduced, inner] when the dims that `kept` reduces (1 there, more in
// x) are adjacent, as in a bias's gradient (sum over the rows of [B*T, G*H]: [1, B*T, G*H]) or
// a broadcast undone (sum of [B, S, H] over B and S: [1, B*S, H]). Nothing when they are not.
std::optional<std::array<int64_t, 3>> as_column_sums(const Shape& shape, const Shape& kept) {
    std::array<int64_t, 3> sizes{1, 1, 1};
    int part = 0;  // 0 before the reduced dims, 1 among them, 2 after
    for (std::size_t d = 0; d < shape.size(); ++d) {
        const bool reduced = kept[d] == 1 && shape[d] != 1;
        if (reduced && part == 2) return std::nullopt;  // a second run of reduced dims
        if (reduced) part = 1;
        if (!reduced && part == 1 && shape[d] != 1) part = 2;
        sizes[part] *= shape[d];
    }
    return sizes;
}

// Sums x into a tensor of `kept` shape (x's shape with reduced dims set to 1). Accumulates in
// double so that long float32 sums stay accurate.
Tensor sum_kept(const Tensor& x, const Shape& kept) {
    std::vector<double> totals(numel(kept), 0.0);
    Tensor out = empty(kept, x.dtype());
    const auto columns = as_column_sums(x.shape(), kept);
    dispatch_floating(x.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T* in = x.data<T>();
        if (x.is_contiguous() && columns) {
            // The common case, [outer, reduced, inner]: row after row added into `inner`
            // totals, a loop that `omp simd` vectorises (GCC at -O2 would leave it scalar).
            const auto [outer, reduced, inner] = *columns;
            for (int64_t o = 0; o < outer; ++o) {
                double* total = totals.data() + o * inner;
                for (int64_t r = 0; r < reduced; ++r) {
                    const T* row = in + (o * reduced + r) * inner;
#pragma omp simd
                    for (int64_t i = 0; i < inner; ++i) total[i] += row[i];
                }
            }
        } else {
            // Any layout: the output is walked with stride 0 along reduced dims, so every
            // element of a reduced line lands in one slot.
            Strides out_strides = contiguous_strides(kept);
            for (std::size_t d = 0; d < kept.size(); ++d) {
                if (kept[d] == 1) out_strides[d] = 0;
            }
            for_each_position<2>(
                x.shape(), {&x.strides(), &out_strides},
                [&](const std::array<int64_t, 2>& o) { totals[o[1]] += in[o[0]]; });
        }
        std::copy(totals.begin(), totals.end(), out.data<T>());
    });
    return out;
}

}  // namespace

Tensor sum(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
    check_floating("sum", x);
    const std::vector<bool> reduce = reduced_dims("sum", x, dims);
    const Shape kept = keepdim_shape(x.shape(), reduce);
    Tensor out = sum_kept(x, kept);
    if (!keepdim) out = out.view(dropped_shape(x.shape(), reduce));
    // Every input element contributed once: its gradient is the output's, spread back.
    return record("sum", {x}, out, [kept, shape = x.shape()](const Tensor& g) {
        return Grads{expand(g.reshape(kept), shape)};
    });
}

Tensor sum(const Tensor& x) {
    std::vector<int64_t> all(x.defined() ? x.dim() : 0);
    for (std::size_t d = 0; d < all.size(); ++d) all[d] = static_cast<int64_t>(d);
    return sum(x, all, false);
}

Tensor mean(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
    check_floating("mean", x);
    const std::vector<bool> reduce = reduced_dims("mean", x, dims);
    int64_t count = 1;
    for (std::size_t d = 0; d < reduce.size(); ++d) {
        if (reduce[d]) count *= x.shape()[d];
    }
    return sum(x, dims, keepdim) / static_cast<double>(count);
}

Tensor mean(const Tensor& x) {
    return sum(x) / static_cast<double>(std::max<int64_t>(x.numel(), 1));
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
    check_floating("sum_to", x);
    if (x.shape() == shape) return x;
    const std::size_t lead = x.dim() - std::min<std::size_t>(x.dim(), shape.size());
    std::vector<int64_t> dims;
    bool reducible = shape.size() <= x.shape().size();
    for (std::size_t d = 0; d < x.shape().size() && reducible; ++d) {
        if (d < lead) {
            dims.push_back(static_cast<int64_t>(d));  // a leading dim that broadcasting added
        } else if (shape[d - lead] == 1 && x.shape()[d] != 1) {
            dims.push_back(static_cast<int64_t>(d));  // a dim that broadcasting stretched from 1
        } else if (shape[d - lead] != x.shape()[d]) {
            reducible = false;
        }
    }
    if (!reducible) {
        throw Error(
            fmt::format("sum_to: shape {} does not reduce to {} (it is not a broadcast of it)",
                        shape_str(x.shape()), shape_str(shape)));
    }
    return sum(x, dims, true).reshape(shape);
}

std::pair<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim) {
    check_floating("max", x);
    const int64_t d = normalize_dim("max", dim, x.dim());
    if (x.dim() > 0 && x.shape()[d] == 0) {
        throw Error(fmt::format("max: dim {} of {} is empty", dim, describe(x)));
    }
    Shape out_shape = x.shape();
    if (x.dim() > 0) out_shape[d] = 1;
    Tensor values = empty(out_shape, x.dtype());
    Tensor indices = empty(out_shape, DType::Int64);
    const int64_t length = x.dim() == 0 ? 1 : x.shape()[d];
    const int64_t step = x.dim() == 0 ? 0 : x.strides()[d];
    dispatch_floating(x.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T* in = x.data<T>();
        T* best_value = values.data<T>();
        int64_t* best_index = indices.data<int64_t>();
        auto scan = [&](int64_t first, int64_t line) {
            int64_t best = 0;
            for (int64_t i = 1; i < length; ++i) {
                if (in[first + i * step] > in[first + best * step]) best = i;
            }
            best_value[line] = in[first + best * step];
            best_index[line] = best;
        };
        if (x.dim() == 0) {
            scan(0, 0);
        } else {
            for_each_line(x.shape(), x.strides(), d, scan);
        }
    });
    if (!keepdim && x.dim() > 0) {
        values = values.squeeze(d);
        indices = indices.squeeze(d);
    }
    // The gradient flows only to the position that won.
    values = record("max", {x}, values, [indices, d, keepdim, shape = x.shape()](const Tensor& g) {
        Tensor grad = zeros(shape, g.dtype());
        if (shape.empty()) return Grads{g.reshape({})};
        const Tensor winners = (keepdim ? indices : indices.unsqueeze(d)).contiguous();
        const Tensor upstream = (keepdim ? g : g.unsqueeze(d)).contiguous();
        dispatch_floating(g.dtype(), [&](auto zero) {
            using T = decltype(zero);
            T* out = grad.data<T>();
            const T* from = upstream.data<T>();
            const int64_t* where = winners.data<int64_t>();
            const int64_t line_step = grad.strides()[d];
            for_each_line(shape, grad.strides(), d, [&](int64_t first, int64_t line) {
                out[first + where[line] * line_step] += from[line];
            });
        });
        return Grads{grad};
    });
    return {values, indices};
}

Tensor argmax(const Tensor& x, int64_t dim, bool keepdim) {
    NoGradGuard no_grad;
    return max(x, dim, keepdim).second;
}

}  // namespace glimpse
