// gradcheck of the shape and view ops (ops_view.cpp). A view is linear, so its backward only has
// to put each gradient back where the element came from; the random upstream gradient makes a
// misplaced one show.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/ops.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;
using namespace glimpse::testing;  // check_gradient, Inputs, Args

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: view and reshape") {
        Inputs inputs(21);
        const Shape s = inputs.shape(2);
        check_gradient(fmt::format("view {} -> [-1]", shape_str(s)),
                       [](const Args& in) { return in[0].view({-1}); }, {inputs.uniform(s)});
        check_gradient("view [2, 6] -> [3, 2, 2]",
                       [](const Args& in) {
                           return in[0].view({3, 2, 2});
                       },
                       {inputs.uniform({2, 6})});
        check_gradient("view of rows narrowed (still contiguous)",
                       [](const Args& in) { return in[0].narrow(0, 1, 2).view({-1}); },
                       {inputs.uniform({4, 3})});
        check_gradient("reshape [2, 6] -> [4, 3]",
                       [](const Args& in) {
                           return in[0].reshape({4, 3});
                       },
                       {inputs.uniform({2, 6})});
        check_gradient("reshape transposed (copies)",
                       [](const Args& in) { return in[0].reshape({-1}); },
                       {inputs.uniform({3, 4}).t()});
        check_gradient("reshape of transpose inside f, then tanh",
                       [](const Args& in) {
                           return tanh(in[0].t().reshape({2, 6}));
                       },
                       {inputs.uniform({3, 4})});
    }

    TEST_CASE("gradcheck: transpose and permute") {
        Inputs inputs(22);
        const Shape s = inputs.shape(3);
        check_gradient(fmt::format("transpose(0, 2) {}", shape_str(s)),
                       [](const Args& in) { return in[0].transpose(0, 2); }, {inputs.uniform(s)});
        check_gradient("transpose(-1, -2) of transposed",
                       [](const Args& in) { return in[0].transpose(-1, -2); },
                       {inputs.uniform(s).transpose(0, 1)});
        check_gradient("t() then mul", [](const Args& in) { return in[0].t() * in[1]; },
                       {inputs.uniform({s[0], s[1]}), inputs.uniform({s[1], s[0]})});
        for (const Shape& dims : {Shape{2, 0, 1}, Shape{1, 2, 0}, Shape{0, 2, 1}}) {
            check_gradient(fmt::format("permute {} of {}", shape_str(dims), shape_str(s)),
                           [&](const Args& in) { return in[0].permute(dims); },
                           {inputs.uniform(s)});
        }
    }

    TEST_CASE("gradcheck: narrow, slice and select") {
        Inputs inputs(23);
        const Shape s = {inputs.extent(3, 5), inputs.extent(3, 5)};
        check_gradient("narrow dim 1", [](const Args& in) { return in[0].narrow(1, 1, 2); },
                       {inputs.uniform(s)});
        check_gradient("narrow dim 0 of transposed",
                       [](const Args& in) { return in[0].narrow(0, 0, 2); },
                       {inputs.uniform(s).t()});
        check_gradient("slice dim 0 [1, -1)", [](const Args& in) { return slice(in[0], 0, 1, -1); },
                       {inputs.uniform(s)});
        check_gradient("slice dim -1 [-2, 100) clipped",
                       [](const Args& in) { return slice(in[0], -1, -2, 100); },
                       {inputs.uniform(s)});
        check_gradient("select dim 0 index 1", [](const Args& in) { return in[0].select(0, 1); },
                       {inputs.uniform(s)});
        check_gradient("select dim 1 index -1", [](const Args& in) { return in[0].select(1, -1); },
                       {inputs.uniform(s)});
        check_gradient("select of narrowed, twice into one sum",
                       [](const Args& in) {
                           const Tensor part = in[0].narrow(1, 1, 2);
                           return part.select(1, 0) * 2.0 + part.select(1, 1) * part.select(1, 0);
                       },
                       {inputs.uniform(s)});
    }

    TEST_CASE("gradcheck: expand, unsqueeze and squeeze") {
        Inputs inputs(24);
        const int64_t n = inputs.extent(2, 4);
        check_gradient("expand [3, 1] -> [3, 4]",
                       [](const Args& in) {
                           return in[0].expand({3, 4});
                       },
                       {inputs.uniform({3, 1})});
        check_gradient(fmt::format("expand [{}] -> [2, 3, {}]", n, n),
                       [n](const Args& in) {
                           return in[0].expand({2, 3, n});
                       },
                       {inputs.uniform({n})});
        check_gradient(fmt::format("expand transposed [1, {}] -> [3, -1]", n),
                       [](const Args& in) {
                           return in[0].expand({3, -1});
                       },
                       {inputs.uniform({n, 1}).t()});
        check_gradient("expand 0-d -> [3]", [](const Args& in) { return in[0].expand({3}); },
                       {inputs.uniform({})});
        check_gradient("expand then mul (bias outer product)",
                       [](const Args& in) {
                           return in[0].unsqueeze(1).expand({-1, 4}) * in[1];
                       },
                       {inputs.uniform({n}), inputs.uniform({n, 4})});
        for (const int64_t dim : {0, 1, -1}) {
            check_gradient(fmt::format("unsqueeze {}", dim),
                           [dim](const Args& in) { return in[0].unsqueeze(dim); },
                           {inputs.uniform({n, 3})});
        }
        check_gradient("unsqueeze of transposed", [](const Args& in) { return in[0].unsqueeze(1); },
                       {inputs.uniform({3, n}).t()});
        check_gradient("squeeze 1 of [n, 1, 3]", [](const Args& in) { return in[0].squeeze(1); },
                       {inputs.uniform({n, 1, 3})});
        check_gradient("squeeze of a dim that is not 1 (no-op)",
                       [](const Args& in) { return in[0].squeeze(0); }, {inputs.uniform({n, 3})});
    }

    TEST_CASE("gradcheck: contiguous, clone and to") {
        Inputs inputs(25);
        const Shape s = inputs.shape(2);
        check_gradient("contiguous of transposed",
                       [](const Args& in) { return in[0].contiguous(); }, {inputs.uniform(s).t()});
        check_gradient("contiguous of contiguous (the input itself)",
                       [](const Args& in) { return in[0].contiguous(); }, {inputs.uniform(s)});
        check_gradient("clone", [](const Args& in) { return in[0].clone(); }, {inputs.uniform(s)});
        check_gradient("clone of narrowed", [](const Args& in) { return in[0].clone(); },
                       {inputs.uniform({s[0] + 1, s[1]}).narrow(0, 1, s[0])});
        check_gradient("to float64 (the input itself)",
                       [](const Args& in) { return in[0].to(DType::Float64); },
                       {inputs.uniform(s)});
        // float32 keeps about 7 digits: a step of 1e-6 would be lost in its rounding, so the
        // round trip is measured with a step of 1e-3 (exact for a linear function).
        check_gradient("to float32 and back (eps 1e-3)",
                       [](const Args& in) { return in[0].to(DType::Float32).to(DType::Float64); },
                       {inputs.uniform(s)}, {.eps = 1e-3});
    }
}
