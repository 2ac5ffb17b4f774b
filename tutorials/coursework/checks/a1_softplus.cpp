// Checks of assignment a1: softplus and its backward (the spec is in a1_softplus.hpp).

#include <fmt/format.h>

#include "core/check.hpp"
#include "tutorials/coursework/a1_softplus.hpp"
#include "tutorials/coursework/checks/checker.hpp"
#include "tutorials/coursework/checks/golden.hpp"

namespace coursework::check {

using namespace glimpse;

namespace {

// Runs softplus on the golden case's input and compares the values with PyTorch's.
void forward_matches(const std::string& name) {
    const golden::Case& c = golden_case(name);
    const Tensor out = softplus(c.tensor("input"), c.number("beta"), c.number("threshold"));
    expect_close(fmt::format("softplus(x) for {}", name), out, c.tensor("out"), 1e-12, 1e-9);
}

// Backpropagates PyTorch's upstream gradient through softplus and compares dx with PyTorch's.
void backward_matches(const std::string& name) {
    const golden::Case& c = golden_case(name);
    Tensor x = c.tensor("input").clone().requires_grad_();
    softplus(x, c.number("beta"), c.number("threshold")).backward(c.tensor("grad_out"));
    expect_close(fmt::format("the gradient of x for {}", name), grad_or_zeros(x),
                 c.tensor("grad_input"), 1e-12, 1e-9);
}

}  // namespace

Assignment a1_softplus() {
    return {
        "a1",
        "softplus: an elementwise op with its backward (a1_softplus.cpp)",
        {
            {"forward matches PyTorch, beta 1", [] { forward_matches("softplus/beta1"); }},
            {"forward matches PyTorch, beta 2 and threshold 5",
             [] { forward_matches("softplus/beta2_threshold5"); }},
            {"forward far out: x = -1000 ... 1000 gives no inf or NaN",
             [] { forward_matches("softplus/far"); }},
            {"backward matches PyTorch, beta 1",
             [] {
                 backward_matches("softplus/beta1");
                 backward_matches("softplus/far");
             }},
            {"backward matches PyTorch, beta 2 and threshold 5",
             [] { backward_matches("softplus/beta2_threshold5"); }},
            {"gradcheck, beta 1.5, on a transposed (non-contiguous) input",
             [] {
                 Generator generator(11);
                 const Tensor x = uniform({4, 3}, -4, 4, DType::Float64, generator);
                 expect_gradcheck(
                     "softplus(x.t(), beta 1.5)",
                     [](const std::vector<Tensor>& in) { return softplus(in[0], 1.5); },
                     {x.t().requires_grad_()}, {"x"});
             }},
            {"one graph node named softplus, whose input is x",
             [] {
                 Tensor x = zeros({2, 3}, DType::Float64).requires_grad_();
                 const Tensor y = softplus(x);
                 expect(y.grad_fn() != nullptr,
                        "softplus(x) of an x that requires grad has no grad_fn: call record()");
                 expect(y.grad_fn()->op == "softplus",
                        fmt::format("the output's node is '{}', expected one record(\"softplus\", "
                                    "...) rather than a chain of core ops",
                                    y.grad_fn()->op));
                 expect(
                     y.grad_fn()->edges.size() == 1 && y.grad_fn()->edges[0].leaf == x.impl_ptr(),
                     "the softplus node should have exactly one input, x itself");
             }},
            {"float32 in, float32 out",
             [] {
                 const golden::Case& c = golden_case("softplus/beta1");
                 const Tensor out = softplus(c.tensor("input").to(DType::Float32));
                 expect(out.dtype() == DType::Float32,
                        fmt::format("float32 input gave {}", describe(out)));
                 expect_close("softplus(x) in float32", out, c.tensor("out"), 1e-5, 1e-5);
             }},
            {"bad input is refused with an error naming softplus",
             [] {
                 expect_error(
                     "softplus of an int64 tensor", [] { softplus(arange(4)); }, "softplus");
                 expect_error(
                     "softplus with beta = 0", [] { softplus(ones({2}), 0.0); }, "softplus");
             }},
        },
    };
}

}  // namespace coursework::check
