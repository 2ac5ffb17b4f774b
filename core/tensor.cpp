#include "core/tensor.hpp"

#include <fmt/format.h>
#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/strided_loop.hpp"

namespace glimpse {

namespace {

// 64-byte alignment lets the compiler use aligned vector loads on fresh buffers.
constexpr std::size_t kAlignment = 64;

template <typename T>
constexpr DType dtype_of() {
    if constexpr (std::is_same_v<T, double>) return DType::Float64;
    if constexpr (std::is_same_v<T, int64_t>) return DType::Int64;
    if constexpr (std::is_same_v<T, uint8_t>) return DType::Bool;
    return DType::Float32;
}

// A training step allocates the same large tensors as the step before. glibc hands a freed
// block of 128 KiB or more straight back to the operating system, and then every 4 KiB of the
// next step's tensor costs a page fault (a third of a small LSTM layer's time). So blocks up to
// 32 MiB come from the heap and freed memory stays with the process, to be reused warm. The
// block is a plain malloc, aligned by hand: aligned_alloc asks glibc for more than the size and
// gives the rest back, and the fragments keep a freed block from fitting the next request.
void keep_freed_memory() {
    static const bool once = [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        return true;
    }();
    (void)once;
}

// The malloc'd block behind aligned data is remembered just before it.
void*& block_of(std::byte* data) {
    return reinterpret_cast<void**>(data)[-1];
}

}  // namespace

Storage::Storage(std::size_t size) : nbytes(size) {
    keep_freed_memory();
    const std::size_t rounded =
        (std::max<std::size_t>(size, 1) + kAlignment - 1) / kAlignment * kAlignment;
    void* block = std::malloc(rounded + kAlignment);
    if (block == nullptr) throw Error(fmt::format("out of memory allocating {} bytes", size));
    // The first aligned address with room for the block's address before it.
    const auto first = reinterpret_cast<std::uintptr_t>(block) + sizeof(void*);
    data = reinterpret_cast<std::byte*>((first + kAlignment - 1) / kAlignment * kAlignment);
    block_of(data) = block;
}

Storage::~Storage() {
    std::free(block_of(data));
}

int64_t Tensor::size(int64_t dim) const {
    // normalize_dim lets dim 0 or -1 name the whole of a 0-d tensor (for reductions), but a 0-d
    // tensor has no extent to return.
    if (this->dim() == 0) {
        throw Error(fmt::format("size: dim {} of a 0-d tensor, which has no dims", dim));
    }
    return shape()[normalize_dim("size", dim, this->dim())];
}

int64_t Tensor::numel() const {
    return glimpse::numel(shape());
}

bool Tensor::is_contiguous() const {
    int64_t expected = 1;
    for (std::size_t d = shape().size(); d-- > 0;) {
        if (shape()[d] != 1 && strides()[d] != expected) return false;
        expected *= shape()[d];
    }
    return true;
}

template <typename T>
T* Tensor::data() const {
    if (!defined()) throw Error("data: the tensor is undefined");
    if (dtype() != dtype_of<T>()) {
        throw Error(fmt::format("data: the tensor is {}, but its data was read as {}",
                                dtype_name(dtype()), dtype_name(dtype_of<T>())));
    }
    return reinterpret_cast<T*>(impl_->storage->data) + impl_->offset;
}
template float* Tensor::data<float>() const;
template double* Tensor::data<double>() const;
template int64_t* Tensor::data<int64_t>() const;
template uint8_t* Tensor::data<uint8_t>() const;

double Tensor::item() const {
    if (numel() != 1) {
        throw Error(fmt::format("item: expected a tensor with one element, got shape {}",
                                shape_str(shape())));
    }
    return to_vector()[0];
}

std::vector<double> Tensor::to_vector() const {
    std::vector<double> values;
    values.reserve(numel());
    dispatch_all(dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T* base = data<T>();
        for_each_element(shape(), strides(), [&](int64_t offset) {
            values.push_back(static_cast<double>(base[offset]));
        });
    });
    return values;
}

Tensor& Tensor::requires_grad_(bool on) {
    if (!is_leaf()) {
        throw Error("requires_grad_: only leaf tensors can be marked; this one was computed by '" +
                    grad_fn()->op + "' (use detach() to make a leaf)");
    }
    if (on && !is_floating(dtype())) {
        throw Error(fmt::format("requires_grad_: only floating tensors have gradients, got {}",
                                dtype_name(dtype())));
    }
    impl_->requires_grad = on;
    return *this;
}

bool Tensor::is_leaf() const {
    return impl_->grad_fn == nullptr;
}
Tensor Tensor::grad() const {
    return impl_->grad;
}

void Tensor::set_grad(const Tensor& grad) const {
    if (grad.defined() && (grad.shape() != shape() || grad.dtype() != dtype())) {
        throw Error(fmt::format("set_grad: gradient {} {} does not match the tensor {} {}",
                                shape_str(grad.shape()), dtype_name(grad.dtype()),
                                shape_str(shape()), dtype_name(dtype())));
    }
    impl_->grad = grad;
}

void Tensor::zero_grad() const {
    impl_->grad = Tensor();
}

Tensor Tensor::detach() const {
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = impl_->storage;
    impl->shape = impl_->shape;
    impl->strides = impl_->strides;
    impl->offset = impl_->offset;
    impl->dtype = impl_->dtype;
    return Tensor(std::move(impl));
}

namespace {

// The bytes a tensor of `shape` needs, checked: a product of extents that overflows would
// otherwise wrap around to a small buffer behind a huge shape.
std::size_t checked_nbytes(const Shape& shape, DType dtype) {
    bool has_zero = false;
    for (int64_t extent : shape) {
        if (extent < 0) {
            throw Error(fmt::format("empty: negative extent in shape {}", shape_str(shape)));
        }
        has_zero = has_zero || extent == 0;
    }
    if (has_zero) return 0;
    int64_t bytes = dtype_size(dtype);
    for (int64_t extent : shape) {
        if (__builtin_mul_overflow(bytes, extent, &bytes)) {
            throw Error(fmt::format("empty: shape {} {} has more bytes than a computer can address",
                                    shape_str(shape), dtype_name(dtype)));
        }
    }
    return static_cast<std::size_t>(bytes);
}

}  // namespace

Tensor empty(const Shape& shape, DType dtype) {
    const std::size_t nbytes = checked_nbytes(shape, dtype);
    auto impl = std::make_shared<TensorImpl>();
    try {
        impl->storage = std::make_shared<Storage>(nbytes);
    } catch (const Error&) {
        throw Error(fmt::format("empty: out of memory for shape {} {} ({} bytes)", shape_str(shape),
                                dtype_name(dtype), nbytes));
    }
    impl->shape = shape;
    impl->strides = contiguous_strides(shape);
    impl->dtype = dtype;
    return Tensor(std::move(impl));
}

Tensor full(const Shape& shape, double value, DType dtype) {
    Tensor out = empty(shape, dtype);
    dispatch_all(dtype, [&](auto zero) {
        using T = decltype(zero);
        std::fill_n(out.data<T>(), out.numel(), static_cast<T>(value));
    });
    return out;
}

Tensor zeros(const Shape& shape, DType dtype) {
    Tensor out = empty(shape, dtype);
    std::memset(out.impl()->storage->data, 0, out.impl()->storage->nbytes);
    return out;
}

Tensor ones(const Shape& shape, DType dtype) {
    return full(shape, 1.0, dtype);
}
Tensor scalar_tensor(double value, DType dtype) {
    return full({}, value, dtype);
}
Tensor zeros_like(const Tensor& x) {
    return zeros(x.shape(), x.dtype());
}
Tensor ones_like(const Tensor& x) {
    return ones(x.shape(), x.dtype());
}

Tensor arange(int64_t end, DType dtype) {
    return arange(0.0, static_cast<double>(end), 1.0, dtype);
}

Tensor arange(double start, double end, double step, DType dtype) {
    if (step == 0 || (end - start) / step < 0) {
        throw Error(
            fmt::format("arange: cannot go from {} to {} in steps of {}", start, end, step));
    }
    const auto count = static_cast<int64_t>(std::ceil((end - start) / step));
    Tensor out = empty({count}, dtype);
    dispatch_all(dtype, [&](auto zero) {
        using T = decltype(zero);
        T* values = out.data<T>();
        for (int64_t i = 0; i < count; ++i) values[i] = static_cast<T>(start + i * step);
    });
    return out;
}

Tensor tensor(const std::vector<double>& values, const Shape& shape, DType dtype) {
    if (static_cast<int64_t>(values.size()) != numel(shape)) {
        throw Error(fmt::format("tensor: {} values cannot fill shape {} ({} elements)",
                                values.size(), shape_str(shape), numel(shape)));
    }
    Tensor out = empty(shape, dtype);
    dispatch_all(dtype, [&](auto zero) {
        using T = decltype(zero);
        std::transform(values.begin(), values.end(), out.data<T>(),
                       [](double v) { return static_cast<T>(v); });
    });
    return out;
}

}  // namespace glimpse
