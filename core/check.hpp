#pragma once
// Input checks shared by the ops, each throwing an Error that names the op and the inputs.
// Internal header.

#include <string>

#include "core/tensor.hpp"

namespace glimpse {

std::string describe(const Tensor& x);  // "[3, 4] float32"

void check_defined(const char* op, const Tensor& x);
void check_floating(const char* op, const Tensor& x);
void check_dtype(const char* op, const Tensor& x, DType expected, const char* what);
void check_same_dtype(const char* op, const Tensor& a, const Tensor& b);
Shape broadcast_or_throw(const char* op, const Tensor& a, const Tensor& b);

}  // namespace glimpse
