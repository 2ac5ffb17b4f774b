#pragma once
// Tensors print like PyTorch's repr, through fmt or a stream:
//
//     fmt::print("{}\n", x);   or   std::cout << x;
//
//     tensor([[ 0.1000, -1.2000],
//             [ 3.0000,  4.0000]], dtype=float32, shape=[2, 2], grad_fn=<mul>)
//
// Floats show 4 decimals (scientific when magnitudes span more than 1000x, or are tiny or huge),
// int64 as integers, bool as True/False, all aligned. Beyond 1000 elements only the first and
// last 3 entries of each dim are shown, around `...`. The values are followed by the dtype and
// shape, then the op that made the tensor (grad_fn) or requires_grad=True on a leaf that requires
// grad. A 0-d tensor reads as a number, `tensor(3.5000)`: no shape, and its dtype only when it is
// not float32.

#include <fmt/format.h>

#include <iosfwd>
#include <string>

#include "core/tensor.hpp"

namespace glimpse {

std::string to_string(const Tensor& x);
std::ostream& operator<<(std::ostream& out, const Tensor& x);

}  // namespace glimpse

template <>
struct fmt::formatter<glimpse::Tensor> : fmt::formatter<std::string_view> {
    fmt::format_context::iterator format(const glimpse::Tensor& x, fmt::format_context& ctx) const;
};
