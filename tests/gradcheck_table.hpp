#pragma once
// Helpers for the gradcheck suite (tests/test_gradcheck_*.cpp).
//
// check_gradient() runs gradcheck inside a doctest CHECK and adds a row to the table that
// `make gradcheck` prints at exit (when GLIMPSE_GRADCHECK_TABLE=1): one row per check, named
// after the op and the case, e.g. "mul [3, 1]*[1, 4] broadcast".
//
// Inputs draws float64 inputs that require grad from a seeded generator, kept away from the
// kinks where a derivative jumps (relu at 0, clamp at its bounds, ties for max):
// central differences straddling a kink measure neither side's slope.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/gradcheck.hpp"
#include "core/random.hpp"
#include "core/tensor.hpp"

namespace glimpse::testing {

using Args = std::vector<Tensor>;  // what f receives: [](const Args& in) { return tanh(in[0]); }
using Function = std::function<Tensor(const Args&)>;

void check_gradient(const std::string& name, const Function& f, const std::vector<Tensor>& inputs,
                    const GradcheckOptions& options = {});

class Inputs {
  public:
    explicit Inputs(uint64_t seed) : generator_(seed) {}

    int64_t extent(int64_t low, int64_t high);  // a random extent in [low, high]
    // Extents in [2, 4]: small enough to check fast, never 1, which would hide a mix-up of dims.
    Shape shape(std::size_t rank);

    // Every tensor below is a float64 leaf that requires grad; views of it require grad too, so
    // `uniform({4, 3}).t()` is a transposed input. detach() one to pass it as a constant.
    Tensor uniform(const Shape& shape, double low = -1, double high = 1);
    // Uniform in [low, high] but at least `margin` from each of the `kinks`.
    Tensor avoiding(const Shape& shape, const std::vector<double>& kinks, double low = -1,
                    double high = 1, double margin = 0.05);
    // A shuffle of distinct values 0.1 apart (plus a little noise): no ties anywhere.
    Tensor distinct(const Shape& shape);

  private:
    double number(double low, double high);
    Generator generator_;
};

}  // namespace glimpse::testing
