// The program that `make test-gdb` runs under gdb (tests/gdb/run_printer_test.sh): it makes one
// tensor of each kind the printer must show, then calls inspect_here(), where gdb stops and
// prints them all. It prints nothing itself.

#include "core/autograd.hpp"
#include "core/ops.hpp"
#include "core/tensor.hpp"

using namespace glimpse;

// gdb's breakpoint: every tensor below exists when it is called.
[[gnu::noinline]] void inspect_here() {
    asm volatile("");
}

int main() {
    const Tensor matrix = tensor({1.5, -2, 0.25, 4, 5, 6}, {2, 3});  // [2, 3] float32
    const Tensor transposed = matrix.t();                            // [3, 2], strides [1, 3]
    const Tensor narrowed = matrix.narrow(1, 1, 2);                  // [2, 2], offset 1
    Tensor weight = tensor({0.5, -1}, {2}, DType::Float64);          // [2] float64 leaf
    weight.requires_grad_();
    const Tensor squared = weight * weight;                   // [2], grad_fn <mul>
    squared.sum().backward();                                 // weight.grad = 2 * weight
    const Tensor counts = arange(100).view({10, 10});         // [10, 10] int64: 16 shown
    const Tensor mask = tensor({1, 0, 1}, {3}, DType::Bool);  // [3] bool
    const Tensor number = scalar_tensor(3.5);                 // [] float32
    const Tensor undefined;                                   // no data at all
    inspect_here();
    return 0;
}
