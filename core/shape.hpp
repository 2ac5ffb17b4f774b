#pragma once
// Shapes and strides: plain vectors of extents, and the arithmetic every op shares.

#include <cstdint>
#include <string>
#include <vector>

namespace glimpse {

using Shape = std::vector<int64_t>;    // extents, outermost first: [B, S, H]
using Strides = std::vector<int64_t>;  // elements to skip per step along each dim

int64_t numel(const Shape& shape);
Strides contiguous_strides(const Shape& shape);   // row-major: the last dim moves fastest
std::string shape_str(const Shape& shape);        // "[3, 4]"
Shape unravel(int64_t flat, const Shape& shape);  // the multi-index of row-major position `flat`

// NumPy broadcasting: align from the right; each pair of extents is equal or one of them is 1.
// Returns false (leaving out untouched) when the shapes do not broadcast.
bool broadcast_shapes(const Shape& a, const Shape& b, Shape& out);

// Strides that read a tensor of `shape` as if it had the (broadcast) shape `target`: dims that are
// added or stretched from 1 get stride 0, so the same element is read again.
Strides broadcast_strides(const Shape& shape, const Strides& strides, const Shape& target);

// Turns a possibly negative dim (-1 = last) into 0..rank-1; throws naming `op` when out of range.
int64_t normalize_dim(const char* op, int64_t dim, int64_t rank);

}  // namespace glimpse
