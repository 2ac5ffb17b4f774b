#include "core/debug_print.hpp"

#include <cstdio>

#include "core/print.hpp"

namespace glimpse {

void debug_print(const Tensor& x) {
    fmt::print("{}\n", x);
    std::fflush(stdout);
}

}  // namespace glimpse
