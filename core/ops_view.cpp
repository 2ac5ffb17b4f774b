// Shapes and views. A view is a new handle on the same storage with other shape, strides and
// offset: nothing is copied. Its backward puts the gradient back where the view's elements
// came from.

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/strided_loop.hpp"

namespace glimpse {

using Grads = std::vector<Tensor>;

namespace {

Tensor make_view(const Tensor& x, Shape shape, Strides strides, int64_t offset) {
    Tensor view = x.detach();
    view.impl()->shape = std::move(shape);
    view.impl()->strides = std::move(strides);
    view.impl()->offset = offset;
    return view;
}

// Replaces one -1 extent with whatever makes the element count match.
Shape infer_shape(const char* op, const Tensor& x, const Shape& requested) {
    Shape shape = requested;
    int64_t known = 1;
    int64_t unknown = -1;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] == -1 && unknown < 0) {
            unknown = static_cast<int64_t>(d);
        } else if (shape[d] == -1) {
            throw Error(
                fmt::format("{}: only one extent may be -1, got {}", op, shape_str(requested)));
        } else if (shape[d] < 0) {
            throw Error(fmt::format("{}: negative extent in shape {}", op, shape_str(requested)));
        } else {
            known *= shape[d];
        }
    }
    if (unknown >= 0 && known != 0 && x.numel() % known == 0) shape[unknown] = x.numel() / known;
    if (numel(shape) != x.numel() || (unknown >= 0 && shape[unknown] < 0)) {
        throw Error(fmt::format("{}: shape {} is invalid for {} ({} elements)", op,
                                shape_str(requested), describe(x), x.numel()));
    }
    return shape;
}

// Gradient of a view taken out of a tensor of `shape`: zeros everywhere except the view's
// elements, which receive g. `take_view` cuts the same view out of the zero tensor.
template <typename TakeView>
Tensor scatter_into_zeros(const Tensor& g, const Shape& shape, TakeView take_view) {
    Tensor grad = zeros(shape, g.dtype());
    copy_(take_view(grad), g);
    return grad;
}

}  // namespace

Tensor view(const Tensor& x, const Shape& shape) {
    check_defined("view", x);
    const Shape target = infer_shape("view", x, shape);
    if (!x.is_contiguous()) {
        throw Error(
            fmt::format("view: {} is not contiguous (strides {}); use reshape(), which "
                        "copies when it must",
                        describe(x), shape_str(x.strides())));
    }
    Tensor out = make_view(x, target, contiguous_strides(target), x.offset());
    return record("view", {x}, out,
                  [shape = x.shape()](const Tensor& g) { return Grads{g.reshape(shape)}; });
}

Tensor reshape(const Tensor& x, const Shape& shape) {
    check_defined("reshape", x);
    return view(x.is_contiguous() ? x : contiguous(x), shape);
}

Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1) {
    check_defined("transpose", x);
    const int64_t a = normalize_dim("transpose", dim0, x.dim());
    const int64_t b = normalize_dim("transpose", dim1, x.dim());
    if (x.dim() < 2) return x;
    Shape shape = x.shape();
    Strides strides = x.strides();
    std::swap(shape[a], shape[b]);
    std::swap(strides[a], strides[b]);
    Tensor out = make_view(x, shape, strides, x.offset());
    return record("transpose", {x}, out,
                  [a, b](const Tensor& g) { return Grads{g.transpose(a, b)}; });
}

Tensor permute(const Tensor& x, const Shape& dims) {
    check_defined("permute", x);
    if (static_cast<int64_t>(dims.size()) != x.dim()) {
        throw Error(fmt::format("permute: {} dims given for {}", dims.size(), describe(x)));
    }
    Shape shape(dims.size());
    Strides strides(dims.size());
    Shape inverse(dims.size(), -1);
    for (std::size_t i = 0; i < dims.size(); ++i) {
        const int64_t d = normalize_dim("permute", dims[i], x.dim());
        if (inverse[d] != -1) {
            throw Error(fmt::format("permute: {} is not a permutation of the dims of {}",
                                    shape_str(dims), describe(x)));
        }
        inverse[d] = static_cast<int64_t>(i);
        shape[i] = x.shape()[d];
        strides[i] = x.strides()[d];
    }
    Tensor out = make_view(x, shape, strides, x.offset());
    return record("permute", {x}, out,
                  [inverse](const Tensor& g) { return Grads{g.permute(inverse)}; });
}

Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length) {
    check_defined("narrow", x);
    if (x.dim() == 0) throw Error("narrow: cannot narrow a 0-d tensor");
    const int64_t d = normalize_dim("narrow", dim, x.dim());
    if (length < 0) {
        throw Error(
            fmt::format("narrow: length {} is negative (dim {} of {})", length, dim, describe(x)));
    }
    if (start < 0 || start + length > x.shape()[d]) {
        throw Error(fmt::format("narrow: [{}, {}) is out of range for dim {} of {} (size {})",
                                start, start + length, dim, describe(x), x.shape()[d]));
    }
    Shape shape = x.shape();
    shape[d] = length;
    Tensor out = make_view(x, shape, x.strides(), x.offset() + start * x.strides()[d]);
    return record("narrow", {x}, out, [d, start, length, shape = x.shape()](const Tensor& g) {
        return Grads{scatter_into_zeros(
            g, shape, [&](const Tensor& zero) { return narrow(zero, d, start, length); })};
    });
}

Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t end) {
    check_defined("slice", x);
    const int64_t size = x.size(dim);
    // Python's rules: negative positions count from the end, and the range is clipped.
    const auto clip = [size](int64_t i) {
        return std::clamp(i < 0 ? i + size : i, int64_t{0}, size);
    };
    const int64_t first = clip(start);
    return narrow(x, dim, first, std::max(clip(end) - first, int64_t{0}));
}

Tensor select(const Tensor& x, int64_t dim, int64_t index) {
    check_defined("select", x);
    if (x.dim() == 0) throw Error("select: cannot select from a 0-d tensor");
    const int64_t d = normalize_dim("select", dim, x.dim());
    const int64_t size = x.shape()[d];
    if (index < -size || index >= size) {
        throw Error(fmt::format("select: index {} is out of range for dim {} of {} (size {})",
                                index, dim, describe(x), size));
    }
    const int64_t i = index < 0 ? index + size : index;
    Shape shape = x.shape();
    Strides strides = x.strides();
    const int64_t offset = x.offset() + i * strides[d];
    shape.erase(shape.begin() + d);
    strides.erase(strides.begin() + d);
    Tensor out = make_view(x, shape, strides, offset);
    return record("select", {x}, out, [d, i, shape = x.shape()](const Tensor& g) {
        return Grads{
            scatter_into_zeros(g, shape, [&](const Tensor& zero) { return select(zero, d, i); })};
    });
}

Tensor expand(const Tensor& x, const Shape& shape) {
    check_defined("expand", x);
    if (shape.size() < x.shape().size()) {
        throw Error(fmt::format("expand: cannot expand {} to fewer dims {}", describe(x),
                                shape_str(shape)));
    }
    const std::size_t lead = shape.size() - x.shape().size();
    Shape target = shape;
    for (std::size_t d = 0; d < x.shape().size(); ++d) {
        const int64_t have = x.shape()[d];
        int64_t& want = target[lead + d];
        if (want == -1) want = have;
        if (have != want && have != 1) {
            throw Error(fmt::format("expand: {} cannot expand to {} (dim {} is {}, not 1)",
                                    describe(x), shape_str(shape), d, have));
        }
    }
    // Left over: a -1 in a new leading dim (there is no extent to keep) or another negative.
    for (std::size_t d = 0; d < target.size(); ++d) {
        if (target[d] < 0) {
            throw Error(fmt::format("expand: {} cannot expand to {} (extent {} at dim {})",
                                    describe(x), shape_str(shape), target[d], d));
        }
    }
    if (target == x.shape()) return x;
    Tensor out =
        make_view(x, target, broadcast_strides(x.shape(), x.strides(), target), x.offset());
    // Each input element was read several times: the engine's sum_to adds those gradients up.
    return record("expand", {x}, out, [](const Tensor& g) { return Grads{g}; });
}

Tensor unsqueeze(const Tensor& x, int64_t dim) {
    check_defined("unsqueeze", x);
    const int64_t d = normalize_dim("unsqueeze", dim, x.dim() + 1);
    Shape shape = x.shape();
    Strides strides = x.strides();
    shape.insert(shape.begin() + d, 1);
    strides.insert(strides.begin() + d, d < x.dim() ? x.strides()[d] * x.shape()[d] : 1);
    Tensor out = make_view(x, shape, strides, x.offset());
    return record("unsqueeze", {x}, out,
                  [shape = x.shape()](const Tensor& g) { return Grads{g.reshape(shape)}; });
}

Tensor squeeze(const Tensor& x, int64_t dim) {
    check_defined("squeeze", x);
    if (x.dim() == 0) return x;
    const int64_t d = normalize_dim("squeeze", dim, x.dim());
    if (x.shape()[d] != 1) return x;  // as in PyTorch: only a dim of extent 1 is removed
    Shape shape = x.shape();
    Strides strides = x.strides();
    shape.erase(shape.begin() + d);
    strides.erase(strides.begin() + d);
    Tensor out = make_view(x, shape, strides, x.offset());
    return record("squeeze", {x}, out,
                  [shape = x.shape()](const Tensor& g) { return Grads{g.reshape(shape)}; });
}

void copy_(const Tensor& dst, const Tensor& src) {
    check_defined("copy_", dst);
    check_defined("copy_", src);
    Shape common;
    if (!broadcast_shapes(src.shape(), dst.shape(), common) || common != dst.shape()) {
        throw Error(fmt::format("copy_: source {} does not broadcast to destination {}",
                                describe(src), describe(dst)));
    }
    const Strides from = broadcast_strides(src.shape(), src.strides(), dst.shape());
    // Both contiguous and alike (clone, contiguous): one copy of the whole block.
    const bool flat = dst.is_contiguous() && src.is_contiguous() && src.shape() == dst.shape();
    // Else rows that are contiguous on both sides (a slot of cat, a narrow's gradient): one copy
    // per row. std::copy_n is a memmove when the dtypes match, a converting loop otherwise.
    const std::size_t last = dst.shape().size() - 1;
    const bool by_rows = dst.dim() > 0 && dst.strides()[last] == 1 && from[last] == 1;
    dst.bump_version();
    dispatch_all(dst.dtype(), [&](auto dst_zero) {
        using To = decltype(dst_zero);
        To* out = dst.data<To>();
        dispatch_all(src.dtype(), [&](auto src_zero) {
            using From = decltype(src_zero);
            const From* in = src.data<From>();
            if (flat) {
                std::copy_n(in, dst.numel(), out);
            } else if (by_rows) {
                Shape rows = dst.shape();  // [..., 1]: the first element of every row
                const int64_t length = rows[last];
                rows[last] = 1;
                for_each_position<2>(rows, {&dst.strides(), &from},
                                     [&](const std::array<int64_t, 2>& o) {
                                         std::copy_n(in + o[1], length, out + o[0]);
                                     });
            } else {
                for_each_position<2>(dst.shape(), {&dst.strides(), &from},
                                     [&](const std::array<int64_t, 2>& o) {
                                         out[o[0]] = static_cast<To>(in[o[1]]);
                                     });
            }
        });
    });
}

void fill_(const Tensor& dst, double value) {
    copy_(dst, scalar_tensor(value, DType::Float64));
}

Tensor clone(const Tensor& x) {
    check_defined("clone", x);
    Tensor out = empty(x.shape(), x.dtype());
    copy_(out, x);
    return record("clone", {x}, out, [](const Tensor& g) { return Grads{g}; });
}

Tensor contiguous(const Tensor& x) {
    check_defined("contiguous", x);
    if (x.is_contiguous()) return x;
    return clone(x);
}

Tensor to(const Tensor& x, DType dtype) {
    check_defined("to", x);
    if (x.dtype() == dtype) return x;
    Tensor out = empty(x.shape(), dtype);
    copy_(out, x);
    if (!is_floating(dtype)) return out;  // integers and bools carry no gradient
    return record("to", {x}, out,
                  [from = x.dtype()](const Tensor& g) { return Grads{g.to(from)}; });
}

// The methods of Tensor that name the free functions above and in ops_reduce.cpp.
Tensor Tensor::to(DType dtype) const {
    return glimpse::to(*this, dtype);
}
Tensor Tensor::contiguous() const {
    return glimpse::contiguous(*this);
}
Tensor Tensor::clone() const {
    return glimpse::clone(*this);
}
Tensor Tensor::view(const Shape& shape) const {
    return glimpse::view(*this, shape);
}
Tensor Tensor::reshape(const Shape& shape) const {
    return glimpse::reshape(*this, shape);
}
Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
    return glimpse::transpose(*this, d0, d1);
}
Tensor Tensor::t() const {
    if (dim() != 2) throw Error(fmt::format("t: expected a 2-D tensor, got {}", describe(*this)));
    return glimpse::transpose(*this, 0, 1);
}
Tensor Tensor::permute(const Shape& dims) const {
    return glimpse::permute(*this, dims);
}
Tensor Tensor::narrow(int64_t dim, int64_t start, int64_t length) const {
    return glimpse::narrow(*this, dim, start, length);
}
Tensor Tensor::select(int64_t dim, int64_t index) const {
    return glimpse::select(*this, dim, index);
}
Tensor Tensor::expand(const Shape& shape) const {
    return glimpse::expand(*this, shape);
}
Tensor Tensor::unsqueeze(int64_t dim) const {
    return glimpse::unsqueeze(*this, dim);
}
Tensor Tensor::squeeze(int64_t dim) const {
    return glimpse::squeeze(*this, dim);
}
Tensor Tensor::sum() const {
    return glimpse::sum(*this);
}
Tensor Tensor::mean() const {
    return glimpse::mean(*this);
}

}  // namespace glimpse
