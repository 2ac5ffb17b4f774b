// Tutorial 03: gradcheck — proving a backward function right with finite differences.
//
// A derivative is a limit: df/dx ~ (f(x + eps) - f(x - eps)) / (2 eps). That is slow (two
// evaluations of f per input element) but needs no calculus, so it is the perfect referee for a
// hand-written backward. gradcheck nudges every element of every input, in float64, and compares
// the result with what backward() says. This chapter writes a new op — a custom op, as a student
// would — first correctly, then with a deliberate mistake, and watches gradcheck point at it.

#include <cmath>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;
using Grads = std::vector<Tensor>;

// A custom op: f(x) = x^3 elementwise. The forward value is computed with no graph; record()
// attaches the backward: given dLoss/dy, return dLoss/dx = dLoss/dy * 3x^2.
static Tensor cube(const Tensor& x) {
    Tensor y;
    {
        NoGradGuard no_grad;
        y = x * x * x;
    }
    return record("cube", {x}, y, [x](const Tensor& g) { return Grads{g * 3.0 * x * x}; });
}

// The same op with a classic slip: the power rule's factor 3 forgotten.
static Tensor cube_wrong(const Tensor& x) {
    Tensor y;
    {
        NoGradGuard no_grad;
        y = x * x * x;
    }
    return record("cube_wrong", {x}, y, [x](const Tensor& g) { return Grads{g * x * x}; });
}

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 03: gradcheck and custom ops");
    manual_seed(3);
    const int64_t n = chapter.quick ? 4 : 6;

    chapter.step("finite differences by hand, for one element");
    Tensor x = randn({n}, DType::Float64).requires_grad_();
    const double eps = 1e-6;
    const double x0 = x.to_vector()[0];
    const double numeric = (std::pow(x0 + eps, 3) - std::pow(x0 - eps, 3)) / (2 * eps);
    fmt::print("x[0] = {:.6f}: (f(x+eps) - f(x-eps)) / 2eps = {:.9f}, exact 3x^2 = {:.9f}\n", x0,
               numeric, 3 * x0 * x0);

    chapter.step("a custom op with a correct backward");
    cube(x).sum().backward();
    fmt::print("backward() says dy/dx = {}\n", x.grad());
    const GradcheckResult right =
        gradcheck([](const std::vector<Tensor>& in) { return cube(in[0]); }, {x});
    fmt::print("gradcheck(cube): {}\n", right.summary());

    chapter.step("the same op with a wrong backward");
    const GradcheckResult wrong =
        gradcheck([](const std::vector<Tensor>& in) { return cube_wrong(in[0]); }, {x});
    fmt::print("gradcheck(cube_wrong): {}\n", wrong.summary());
    fmt::print(
        "The worst entry is named: input {}, index {}, analytic {:.6f} vs numeric {:.6f}.\n"
        "Off by a factor of 3 everywhere: the forgotten factor of the power rule.\n",
        wrong.input, shape_str(wrong.index), wrong.analytic, wrong.numeric);

    chapter.step("why float64: the same check in float32 is refused");
    try {
        gradcheck([](const std::vector<Tensor>& in) { return cube(in[0]); },
                  {randn({n}).requires_grad_()});
    } catch (const Error& e) {
        fmt::print("glimpse::Error: {}\n", e.what());
    }
    fmt::print(
        "With 7 significant digits, f(x+eps) - f(x-eps) for eps = 1e-6 is mostly rounding "
        "noise.\n");

    chapter.step("composed functions check too: a softmax-weighted sum with broadcasting");
    Tensor scores = randn({3, n}, DType::Float64).requires_grad_();  // [3, n]
    Tensor values = randn({n}, DType::Float64).requires_grad_();     // [n]
    const GradcheckResult composed =
        gradcheck([](const std::vector<Tensor>& in) { return sum(softmax(in[0], 1) * in[1], {1}); },
                  {scores, values});
    fmt::print("gradcheck(sum(softmax(scores) * values)): {}\n", composed.summary());

    fmt::print("\nEvery op in glimpse is checked this way: run `make gradcheck` for the table.\n");
    return right.passed && !wrong.passed && composed.passed ? 0 : 1;
}
