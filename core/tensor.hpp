#pragma once
// Tensor: a cheap handle to shared storage plus shape, strides and offset, with a runtime dtype.
// Copying a Tensor copies the handle, never the data (like a PyTorch tensor in Python).
// Views (transpose, narrow, select, expand, view) make a new handle over the same storage.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/dtype.hpp"
#include "core/shape.hpp"

namespace glimpse {

struct Storage;
struct TensorImpl;
struct Node;

class Tensor {
  public:
    Tensor() = default;  // an undefined tensor: no data (an unset .grad, say)
    explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

    bool defined() const { return impl_ != nullptr; }
    const Shape& shape() const;
    const Strides& strides() const;
    int64_t offset() const;
    DType dtype() const;
    int64_t dim() const { return static_cast<int64_t>(shape().size()); }
    int64_t size(int64_t dim) const;  // extent of one dim; negative counts from the end
    int64_t numel() const;
    bool is_contiguous() const;

    // Typed pointer to the first element; throws if T does not match the dtype.
    template <typename T>
    T* data() const;
    double item() const;                    // the value of a one-element tensor
    std::vector<double> to_vector() const;  // every value, row-major

    // --- autograd (core/autograd.hpp has the engine) ---
    bool requires_grad() const;
    Tensor& requires_grad_(bool on = true);  // marks a leaf as a parameter to differentiate
    bool is_leaf() const;                    // not produced by a recorded op
    Tensor grad() const;                     // accumulated gradient; undefined until backward
    void set_grad(const Tensor& grad) const;
    void zero_grad() const;  // forget the accumulated gradient (PyTorch: grad = None)
    const std::shared_ptr<Node>& grad_fn() const;
    // Backpropagates from this tensor. Without `grad` it must hold one element (a loss).
    void backward(const Tensor& grad = Tensor(), bool retain_graph = false) const;
    Tensor detach() const;  // same data, cut from the graph
    // How many times the data was changed in place (copy_, fill_, an optimizer's step), shared by
    // every view of the same storage, as PyTorch's tensor._version: backward() refuses to run an
    // op's backward when a tensor it used has changed since (its gradient would be wrong).
    uint64_t version() const;
    void bump_version() const;  // what every in-place change calls

    // --- conversions and views: methods for the free functions of core/ops.hpp ---
    Tensor to(DType dtype) const;
    Tensor contiguous() const;
    Tensor clone() const;
    Tensor view(const Shape& shape) const;
    Tensor reshape(const Shape& shape) const;
    Tensor transpose(int64_t dim0, int64_t dim1) const;
    Tensor t() const;  // transpose of a 2-D tensor
    Tensor permute(const Shape& dims) const;
    Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
    Tensor select(int64_t dim, int64_t index) const;
    Tensor expand(const Shape& shape) const;
    Tensor unsqueeze(int64_t dim) const;
    Tensor squeeze(int64_t dim) const;
    Tensor sum() const;
    Tensor mean() const;

    TensorImpl* impl() const { return impl_.get(); }
    const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

  private:
    std::shared_ptr<TensorImpl> impl_;
};

// An owning, aligned buffer of bytes. Many tensors (views) may share one.
struct Storage {
    explicit Storage(std::size_t nbytes);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    std::byte* data;
    std::size_t nbytes;
    uint64_t version = 0;  // in-place changes so far (Tensor::version)
};

// What a Tensor handle points to. Element (i, j, ...) lives at
// storage->data + (offset + i*strides[0] + j*strides[1] + ...) * dtype_size(dtype).
struct TensorImpl {
    std::shared_ptr<Storage> storage;
    Shape shape;
    Strides strides;
    int64_t offset = 0;
    DType dtype = DType::Float32;
    bool requires_grad = false;
    Tensor grad;                    // accumulated by backward() on leaves
    std::shared_ptr<Node> grad_fn;  // the op that produced this tensor (none on leaves)

    ~TensorImpl();  // releases long graphs without deep recursion (see core/autograd.cpp)
};

inline const Shape& Tensor::shape() const {
    return impl_->shape;
}
inline const Strides& Tensor::strides() const {
    return impl_->strides;
}
inline int64_t Tensor::offset() const {
    return impl_->offset;
}
inline DType Tensor::dtype() const {
    return impl_->dtype;
}
inline bool Tensor::requires_grad() const {
    return impl_ && impl_->requires_grad;
}
inline const std::shared_ptr<Node>& Tensor::grad_fn() const {
    return impl_->grad_fn;
}
inline uint64_t Tensor::version() const {
    return impl_->storage->version;
}
inline void Tensor::bump_version() const {
    ++impl_->storage->version;
}

// --- factories (dtype float32 unless given) ---
Tensor empty(const Shape& shape, DType dtype = DType::Float32);  // uninitialised values
Tensor zeros(const Shape& shape, DType dtype = DType::Float32);
Tensor ones(const Shape& shape, DType dtype = DType::Float32);
Tensor full(const Shape& shape, double value, DType dtype = DType::Float32);
Tensor arange(int64_t end, DType dtype = DType::Int64);  // 0, 1, ..., end-1
Tensor arange(double start, double end, double step = 1.0, DType dtype = DType::Float32);
Tensor scalar_tensor(double value, DType dtype = DType::Float32);  // shape []
// A tensor from values in row-major order: tensor({1, 2, 3, 4, 5, 6}, {2, 3}).
Tensor tensor(const std::vector<double>& values, const Shape& shape, DType dtype = DType::Float32);
Tensor zeros_like(const Tensor& x);
Tensor ones_like(const Tensor& x);

}  // namespace glimpse
