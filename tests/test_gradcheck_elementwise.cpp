// gradcheck of every elementwise op (ops_elementwise.cpp): on random shapes, with broadcasting,
// on non-contiguous inputs (transposed, narrowed, expanded inside f), away from kinks.
// `make gradcheck` prints one row per check.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/ops.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;
using namespace glimpse::testing;  // check_gradient, Inputs, Args

namespace {

using MakeInput = std::function<Tensor(Inputs&, const Shape&)>;

// One unary op and a maker of inputs on which it is smooth.
struct Unary {
    std::string name;
    std::function<Tensor(const Tensor&)> op;
    MakeInput input;
};

std::vector<Unary> unary_ops() {
    const MakeInput any = [](Inputs& in, const Shape& s) { return in.uniform(s, -2, 2); };
    const MakeInput positive = [](Inputs& in, const Shape& s) { return in.uniform(s, 0.5, 3); };
    const MakeInput off_zero = [](Inputs& in, const Shape& s) {
        return in.avoiding(s, {0}, -2, 2);
    };
    const MakeInput off_bounds = [](Inputs& in, const Shape& s) {
        return in.avoiding(s, {-0.5, 0.5}, -1, 1);
    };
    return {
        {"neg", [](const Tensor& x) { return neg(x); }, any},
        {"exp", [](const Tensor& x) { return exp(x); }, any},
        {"log", [](const Tensor& x) { return log(x); }, positive},
        {"sqrt", [](const Tensor& x) { return sqrt(x); }, positive},
        {"tanh", [](const Tensor& x) { return tanh(x); }, any},
        {"sigmoid", [](const Tensor& x) { return sigmoid(x); }, any},
        {"relu", [](const Tensor& x) { return relu(x); }, off_zero},
        {"clamp(-0.5, 0.5)", [](const Tensor& x) { return clamp(x, -0.5, 0.5); }, off_bounds},
        {"pow 3", [](const Tensor& x) { return pow(x, 3); }, any},
        {"pow 2.5", [](const Tensor& x) { return pow(x, 2.5); }, positive},
        {"pow -1.5", [](const Tensor& x) { return pow(x, -1.5); }, positive},
    };
}

// One binary op, its symbol for the row names, and a maker of its right-hand inputs.
struct Binary {
    std::string name;
    std::string symbol;
    std::function<Tensor(const Tensor&, const Tensor&)> op;
    MakeInput right;
};

std::vector<Binary> binary_ops() {
    const MakeInput any = [](Inputs& in, const Shape& s) { return in.uniform(s, -2, 2); };
    const MakeInput away_from_zero = [](Inputs& in, const Shape& s) {
        return in.uniform(s, 0.5, 2);
    };
    return {
        {"add", "+", [](const Tensor& a, const Tensor& b) { return add(a, b); }, any},
        {"sub", "-", [](const Tensor& a, const Tensor& b) { return sub(a, b); }, any},
        {"mul", "*", [](const Tensor& a, const Tensor& b) { return mul(a, b); }, any},
        {"div", "/", [](const Tensor& a, const Tensor& b) { return div(a, b); }, away_from_zero},
    };
}

}  // namespace

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: unary ops, contiguous, transposed, narrowed, expanded and 0-d") {
        Inputs inputs(1);
        for (const Unary& u : unary_ops()) {
            const auto f = [op = u.op](const Args& in) { return op(in[0]); };
            const Shape s = inputs.shape(2);
            const std::string shape = shape_str(s);
            check_gradient(fmt::format("{} {}", u.name, shape), f, {u.input(inputs, s)});
            check_gradient(fmt::format("{} {} transposed", u.name, shape), f,
                           {u.input(inputs, {s[1], s[0]}).t()});
            check_gradient(fmt::format("{} {} narrowed", u.name, shape), f,
                           {u.input(inputs, {s[0] + 2, s[1]}).narrow(0, 1, s[0])});
            check_gradient(
                fmt::format("{} [1, {}] expanded to [3, {}] inside f", u.name, s[1], s[1]),
                [op = u.op](const Args& in) {
                    return op(in[0].expand({3, -1}));
                },
                {u.input(inputs, {1, s[1]})});
            check_gradient(fmt::format("{} 0-d", u.name), f, {u.input(inputs, {})});
        }
    }

    TEST_CASE("gradcheck: pow at x = 0, where x^(p-1) may be infinite") {
        const Tensor with_zero = tensor({0, 0.5, -1.5, 2}, {4}, DType::Float64).requires_grad_();
        for (const double p : {0.0, 1.0, 2.0, 3.0}) {
            check_gradient(fmt::format("pow {} at x = 0", p),
                           [p](const Args& in) { return pow(in[0], p); }, {with_zero});
        }
    }

    TEST_CASE("gradcheck: binary ops, same shapes, broadcasting and views") {
        Inputs inputs(2);
        for (const Binary& b : binary_ops()) {
            const auto f = [op = b.op](const Args& in) { return op(in[0], in[1]); };
            const auto row = [&b](const Shape& x, const Shape& y, const char* note) {
                return fmt::format("{} {}{}{} {}", b.name, shape_str(x), b.symbol, shape_str(y),
                                   note);
            };
            const Shape s = inputs.shape(2);
            const Shape s3 = {inputs.extent(2, 3), s[0], s[1]};
            check_gradient(row(s, s, "same shape"), f, {inputs.uniform(s), b.right(inputs, s)});
            check_gradient(row({s[0], 1}, {1, s[1]}, "broadcast"), f,
                           {inputs.uniform({s[0], 1}), b.right(inputs, {1, s[1]})});
            check_gradient(row(s3, {s[1]}, "broadcast"), f,
                           {inputs.uniform(s3), b.right(inputs, {s[1]})});
            check_gradient(row({s[1]}, s3, "broadcast"), f,
                           {inputs.uniform({s[1]}), b.right(inputs, s3)});
            check_gradient(row(s, {}, "with 0-d"), f, {inputs.uniform(s), b.right(inputs, {})});
            check_gradient(row({}, s, "with 0-d"), f, {inputs.uniform({}), b.right(inputs, s)});
            check_gradient(row(s, s, "transposed and narrowed"), f,
                           {inputs.uniform({s[1], s[0]}).t(),
                            b.right(inputs, {s[0], s[1] + 3}).narrow(1, 2, s[1])});
            check_gradient(
                row(s, {1, s[1]}, "expanded inside f"),
                [op = b.op](const Args& in) { return op(in[0], in[1].expand(in[0].shape())); },
                {inputs.uniform(s), b.right(inputs, {1, s[1]})});
            check_gradient(fmt::format("{} x{}x (one input twice)", b.name, b.symbol),
                           [op = b.op](const Args& in) { return op(in[0], in[0]); },
                           {b.right(inputs, s)});
        }
    }

    TEST_CASE("gradcheck: the scalar operators") {
        Inputs inputs(3);
        const Shape s = inputs.shape(2);
        const std::vector<std::pair<std::string, std::function<Tensor(const Tensor&)>>> cases = {
            {"x + 2.5", [](const Tensor& x) { return x + 2.5; }},
            {"2.5 + x", [](const Tensor& x) { return 2.5 + x; }},
            {"x - 2.5", [](const Tensor& x) { return x - 2.5; }},
            {"2.5 - x", [](const Tensor& x) { return 2.5 - x; }},
            {"x * 2.5", [](const Tensor& x) { return x * 2.5; }},
            {"2.5 * x", [](const Tensor& x) { return 2.5 * x; }},
            {"x / 2.5", [](const Tensor& x) { return x / 2.5; }},
            {"2.5 / x", [](const Tensor& x) { return 2.5 / x; }},
            {"-x", [](const Tensor& x) { return -x; }},
        };
        for (const auto& [name, op] : cases) {
            check_gradient(fmt::format("{} {}", name, shape_str(s)),
                           [op = op](const Args& in) { return op(in[0]); },
                           {inputs.uniform(s, 0.5, 2)});
        }
    }

    TEST_CASE("gradcheck: compositions of elementwise ops") {
        Inputs inputs(4);
        const int64_t batch = inputs.extent(2, 4), features = inputs.extent(2, 4);
        check_gradient("sigmoid(x * w + b) [B, H] with [H] params",
                       [](const Args& in) { return sigmoid(in[0] * in[1] + in[2]); },
                       {inputs.uniform({batch, features}), inputs.uniform({features}),
                        inputs.uniform({features})});
        check_gradient("mean squared error",
                       [](const Args& in) { return mean(pow(in[0] - in[1], 2)); },
                       {inputs.uniform({batch, features}), inputs.uniform({batch, features})});
        check_gradient("tanh(x) * sigmoid(x) (shared input)",
                       [](const Args& in) { return tanh(in[0]) * sigmoid(in[0]); },
                       {inputs.uniform({batch, features})});
        check_gradient("log(sqrt(x) + exp(-x))",
                       [](const Args& in) { return log(sqrt(in[0]) + exp(-in[0])); },
                       {inputs.uniform({batch, features}, 0.5, 2)});
    }
}
