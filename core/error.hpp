#pragma once
// glimpse's one exception type. Messages name the op, each input's shape and dtype, and what was
// expected, e.g. "matmul: inner dimensions differ: [3, 4] @ [5, 6] (4 != 5)".

#include <stdexcept>
#include <string>

namespace glimpse {

class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace glimpse
