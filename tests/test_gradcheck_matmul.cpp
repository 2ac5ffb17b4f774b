// gradcheck of matmul (ops_matmul.cpp) in every supported shape, on operands the GEMM reads in
// place (transposed), ones it must copy first (expanded), and with a transposed upstream gradient.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/ops.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;
using namespace glimpse::testing;  // check_gradient, Inputs, Args

namespace {

Tensor product(const Args& in) {
    return matmul(in[0], in[1]);
}

}  // namespace

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: matmul in each supported shape") {
        Inputs inputs(31);
        const int64_t b = inputs.extent(2, 3), m = inputs.extent(2, 4), k = inputs.extent(2, 4),
                      n = inputs.extent(2, 4);
        const std::vector<std::pair<Shape, Shape>> cases = {
            {{m, k}, {k, n}}, {{b, m, k}, {k, n}},    {{2, b, m, k}, {k, n}},
            {{m, k}, {k}},    {{b, m, k}, {k}},       {{k}, {k, n}},
            {{k}, {k}},       {{b, m, k}, {b, k, n}}, {{2, b, m, k}, {2, b, k, n}},
        };
        for (const auto& [left, right] : cases) {
            check_gradient(fmt::format("matmul {} @ {}", shape_str(left), shape_str(right)),
                           product, {inputs.uniform(left), inputs.uniform(right)});
        }
    }

    TEST_CASE("gradcheck: matmul on views and with a non-contiguous upstream gradient") {
        Inputs inputs(32);
        const int64_t b = inputs.extent(2, 3), m = inputs.extent(2, 4), k = inputs.extent(2, 4),
                      n = inputs.extent(2, 4);
        check_gradient("matmul transposed @ transposed", product,
                       {inputs.uniform({k, m}).t(), inputs.uniform({n, k}).t()});
        check_gradient("matmul narrowed @ narrowed", product,
                       {inputs.uniform({m, k + 2}).narrow(1, 1, k),
                        inputs.uniform({k + 1, n}).narrow(0, 1, k)});
        check_gradient(
            "matmul batched, both transposed(1, 2)", product,
            {inputs.uniform({b, k, m}).transpose(1, 2), inputs.uniform({b, n, k}).transpose(1, 2)});
        check_gradient("matmul [B, M, K] @ [1, K, N] expanded inside f",
                       [b](const Args& in) {
                           return matmul(in[0], in[1].expand({b, -1, -1}));
                       },
                       {inputs.uniform({b, m, k}), inputs.uniform({1, k, n})});
        check_gradient("matmul [1, K] expanded to [M, K] inside f (copied first)",
                       [m](const Args& in) {
                           return matmul(in[0].expand({m, -1}), in[1]);
                       },
                       {inputs.uniform({1, k}), inputs.uniform({k, n})});
        check_gradient("matmul of select(2, 0): steps in both dims (copied first)",
                       [](const Args& in) { return matmul(in[0].select(2, 0), in[1]); },
                       {inputs.uniform({m, k, 2}), inputs.uniform({k, n})});
        check_gradient("matmul then transposed (upstream gradient transposed)",
                       [](const Args& in) { return matmul(in[0], in[1]).t(); },
                       {inputs.uniform({m, k}), inputs.uniform({k, n})});
        check_gradient("matmul x @ x.t() (one input twice)",
                       [](const Args& in) { return matmul(in[0], in[0].t()); },
                       {inputs.uniform({m, k})});
    }

    TEST_CASE("gradcheck: matmul across the GEMM's register tiles and a linear layer") {
        Inputs inputs(33);
        // 13 rows and 17 columns: one more than the 12-row tile, one more than 16 float64 columns.
        check_gradient("matmul [13, 20] @ [20, 17] (partial GEMM tiles)", product,
                       {inputs.uniform({13, 20}), inputs.uniform({20, 17})});
        check_gradient("linear tanh(x @ W.t() + b)",
                       [](const Args& in) { return tanh(matmul(in[0], in[1].t()) + in[2]); },
                       {inputs.uniform({4, 3}), inputs.uniform({5, 3}), inputs.uniform({5})});
    }
}
