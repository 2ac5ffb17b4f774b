#pragma once
// A tensor printer for debuggers. In gdb, on any glimpse program:
//
//     (gdb) call glimpse::debug_print(t)
//     tensor([[ 0.1000, -1.2000],
//             [ 3.0000,  4.0000]], dtype=float32, shape=[2, 2], grad_fn=<mul>)
//
// prints t as `std::cout << t` would (core/print.hpp). Programs never call it, so the Makefile
// links it into every binary explicitly (--undefined), ready for the debugger. gdb's `print t`
// shows a tensor's metadata and first values without running any code (core/tensor_gdb.py).

#include "core/tensor.hpp"

namespace glimpse {

// Prints x with the library's formatting and a newline to stdout, and flushes.
void debug_print(const Tensor& x);

}  // namespace glimpse
