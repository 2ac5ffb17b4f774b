#pragma once
// Checks glimpse against a golden case (tests/golden_reader.hpp): runs the op under test on the
// case's inputs, compares its outputs with PyTorch's, backpropagates PyTorch's upstream gradients
// and compares the input gradients. Any test file with golden data (core ops, nn modules,
// attention) uses it with its own table of runners.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tests/golden_reader.hpp"

namespace glimpse::golden {

// The inputs of one case as the op under test receives them: floating ones in the run's dtype,
// requiring grad when the case holds their gradient; in a strided run every input is a
// non-contiguous view. Remembers what was taken, so that a tensor nobody used is reported.
class Inputs {
  public:
    Inputs(const Case& golden, DType dtype, bool strided)
        : golden_(golden), dtype_(dtype), strided_(strided) {}

    Tensor operator[](const std::string& name);
    std::vector<Tensor> numbered(const std::string& prefix);  // x0, x1, ... while they exist
    const std::vector<std::pair<std::string, Tensor>>& taken() const { return taken_; }

  private:
    const Case& golden_;
    DType dtype_;
    bool strided_;
    std::vector<std::pair<std::string, Tensor>> taken_;
};

// What the op returned, by the names the case gives its outputs.
using Outputs = std::vector<std::pair<std::string, Tensor>>;
// Runs the op under test: inputs from `in`, params from the case.
using Runner = std::function<Outputs(const Case& golden, Inputs& in)>;

// How far a value may be from PyTorch's: |got - expected| <= abs + rel * |expected|. NaN matches
// only NaN, and an infinity only itself.
struct Tolerance {
    double abs;
    double rel;
};
inline constexpr Tolerance kFloat64Tolerance{1e-10, 1e-10};
inline constexpr Tolerance kFloat32Tolerance{1e-5, 1e-5};

struct RunOptions {
    DType dtype = DType::Float64;
    bool strided = false;  // inputs as non-contiguous views, to test strided kernels too
    Tolerance tolerance = kFloat64Tolerance;
};

// Checks `run` on `golden` with doctest: every output and every input gradient of the case, and
// that every tensor of the case was used. An exception from the op fails the check, naming the
// case.
void check_case(const Case& golden, const Runner& run, const RunOptions& options = {});

}  // namespace glimpse::golden
