#pragma once
// The runtime element type of a tensor, and the one place that turns it into a C++ type.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace glimpse {

// float32 trains, float64 checks gradients, int64 holds indices and targets, bool holds masks.
enum class DType { Float32, Float64, Int64, Bool };

std::string_view dtype_name(DType dtype);  // "float32", as PyTorch prints it
std::size_t dtype_size(DType dtype);       // bytes per element
inline bool is_floating(DType dtype) {
    return dtype == DType::Float32 || dtype == DType::Float64;
}

// Calls f(T{}) with T the C++ type of a floating dtype: the single place where kernels written
// once as templates meet the runtime dtype. Callers check is_floating() first.
template <typename F>
decltype(auto) dispatch_floating(DType dtype, F&& f) {
    if (dtype == DType::Float64) return f(double{});
    return f(float{});
}

// As dispatch_floating, for every dtype (bool is stored as one byte).
template <typename F>
decltype(auto) dispatch_all(DType dtype, F&& f) {
    switch (dtype) {
        case DType::Float64:
            return f(double{});
        case DType::Int64:
            return f(int64_t{});
        case DType::Bool:
            return f(uint8_t{});
        case DType::Float32:
            break;
    }
    return f(float{});
}

}  // namespace glimpse
