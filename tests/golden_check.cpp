#include "tests/golden_check.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <set>

#include "core/ops.hpp"

namespace glimpse::golden {

namespace {

// A fresh leaf holding x's values in `dtype`. When strided, it is a non-contiguous view: every
// other element of a buffer twice as large.
Tensor fresh_copy(const Tensor& x, DType dtype, bool strided) {
    Tensor copy;
    if (strided && x.dim() > 0) {
        Shape wide = x.shape();
        wide.push_back(2);
        copy = zeros(wide, dtype).select(-1, 0);
    } else {
        copy = empty(x.shape(), dtype);
    }
    copy_(copy, x);
    return copy;
}

bool close(double got, double expected, Tolerance tolerance) {
    if (std::isnan(expected) || std::isnan(got)) return std::isnan(expected) && std::isnan(got);
    if (std::isinf(expected) || std::isinf(got)) return got == expected;
    return std::abs(got - expected) <= tolerance.abs + tolerance.rel * std::abs(expected);
}

// "[1, 2]": the position of the flat (row-major) index in `shape`.
std::string position(int64_t flat, const Shape& shape) {
    Shape index(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        index[d] = flat % shape[d];
        flat /= shape[d];
    }
    return shape_str(index);
}

// How `got` differs from PyTorch's `expected`, or "" when it agrees everywhere.
std::string difference(const Tensor& got, const Tensor& expected, Tolerance tolerance) {
    if (!got.defined()) return "glimpse gave none";
    if (got.shape() != expected.shape()) {
        return fmt::format("shape {}, PyTorch's is {}", shape_str(got.shape()),
                           shape_str(expected.shape()));
    }
    const bool floating = is_floating(expected.dtype());
    if (floating ? !is_floating(got.dtype()) : got.dtype() != expected.dtype()) {
        return fmt::format("dtype {}, PyTorch's is {}", dtype_name(got.dtype()),
                           dtype_name(expected.dtype()));
    }
    const std::vector<double> a = got.to_vector();
    const std::vector<double> b = expected.to_vector();
    int64_t differing = 0;
    int64_t first = -1;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (floating ? close(a[i], b[i], tolerance) : a[i] == b[i]) continue;
        if (differing++ == 0) first = static_cast<int64_t>(i);
    }
    if (differing == 0) return "";
    return fmt::format("{} of {} values differ; the first, at {}: {} where PyTorch has {}",
                       differing, a.size(), position(first, expected.shape()), a[first], b[first]);
}

void compare(const std::string& name, const Tensor& got, const Tensor& expected,
             Tolerance tolerance) {
    const std::string problem = difference(got, expected, tolerance);
    CHECK_MESSAGE(problem.empty(), fmt::format("{}: {}", name, problem));
}

}  // namespace

Tensor Inputs::operator[](const std::string& name) {
    for (const auto& [taken_name, input] : taken_) {
        if (taken_name == name) return input;
    }
    const Tensor& golden = golden_.tensor(name);
    const bool floating = is_floating(golden.dtype());
    Tensor input = fresh_copy(golden, floating ? dtype_ : golden.dtype(), strided_);
    if (floating && golden_.has("grad_" + name)) input.requires_grad_();
    taken_.emplace_back(name, input);
    return input;
}

std::vector<Tensor> Inputs::numbered(const std::string& prefix) {
    std::vector<Tensor> inputs;
    for (int i = 0; golden_.has(prefix + std::to_string(i)); ++i) {
        inputs.push_back((*this)[prefix + std::to_string(i)]);
    }
    return inputs;
}

void check_case(const Case& golden, const Runner& run, const RunOptions& options) {
    const std::string context =
        fmt::format("golden case {} ({}), {}{}", golden.name, golden.where,
                    dtype_name(options.dtype), options.strided ? ", non-contiguous inputs" : "");
    INFO(context);
    try {
        Inputs in(golden, options.dtype, options.strided);
        const Outputs outputs = run(golden, in);
        std::set<std::string> used;
        // Backpropagating sum(out * grad_out), summed over the outputs, gives each output
        // exactly its upstream gradient grad_out.
        Tensor loss;
        for (const auto& [name, out] : outputs) {
            used.insert(name);
            compare(name, out, golden.tensor(name), options.tolerance);
            const std::string grad_name = "grad_" + name;
            if (!golden.has(grad_name)) continue;
            used.insert(grad_name);
            if (!out.requires_grad()) {
                FAIL_CHECK(fmt::format("output {} has no gradient, PyTorch's has", name));
                continue;
            }
            const Tensor term = sum(out * golden.tensor(grad_name).to(out.dtype()));
            loss = loss.defined() ? loss + term : term;
        }
        if (loss.defined()) loss.backward();
        for (const auto& [name, input] : in.taken()) {
            used.insert(name);
            const std::string grad_name = "grad_" + name;
            if (!golden.has(grad_name)) continue;
            used.insert(grad_name);
            compare(grad_name, input.grad(), golden.tensor(grad_name), options.tolerance);
        }
        for (const auto& [name, tensor] : golden.tensors) {
            CHECK_MESSAGE(used.count(name) > 0,
                          fmt::format("tensor {} is neither an input the op took nor an output "
                                      "it returned",
                                      name));
        }
    } catch (const std::exception& error) {
        FAIL_CHECK(fmt::format("the op threw: {}", error.what()));
    }
}

}  // namespace glimpse::golden
