// gradcheck of joining, splitting and indexing (ops_join.cpp): cat, stack, split, chunk and
// index_select, on views and with repeated indices (their gradients must add up).

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/ops.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;
using namespace glimpse::testing;  // check_gradient, Inputs, Args

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: cat and stack") {
        Inputs inputs(41);
        const int64_t n = inputs.extent(2, 4);
        const auto cat0 = [](const Args& in) { return cat(in, 0); };
        check_gradient(fmt::format("cat dim 0 [2, {0}] [1, {0}] [3, {0}]", n), cat0,
                       {inputs.uniform({2, n}), inputs.uniform({1, n}), inputs.uniform({3, n})});
        check_gradient("cat dim -1 of 3-D", [](const Args& in) { return cat(in, -1); },
                       {inputs.uniform({2, n, 1}), inputs.uniform({2, n, 3})});
        check_gradient("cat dim 0 transposed and narrowed", cat0,
                       {inputs.uniform({n, 2}).t(), inputs.uniform({4, n}).narrow(0, 1, 2)});
        check_gradient("cat with a constant", cat0,
                       {inputs.uniform({2, n}), inputs.uniform({1, n}).detach()});
        check_gradient("cat of one tensor", cat0, {inputs.uniform({2, n})});
        for (const int64_t dim : {0, 1, -1}) {
            check_gradient(
                fmt::format("stack dim {} of three [2, {}]", dim, n),
                [dim](const Args& in) { return stack(in, dim); },
                {inputs.uniform({2, n}), inputs.uniform({2, n}), inputs.uniform({2, n})});
        }
        check_gradient("stack dim 0 transposed", [](const Args& in) { return stack(in, 0); },
                       {inputs.uniform({n, 2}).t(), inputs.uniform({2, n})});
    }

    TEST_CASE("gradcheck: split and chunk, each piece and pieces combined") {
        Inputs inputs(42);
        const Shape s = {5, inputs.extent(2, 4)};
        for (int64_t piece = 0; piece < 3; ++piece) {
            check_gradient(fmt::format("split {} size 2 dim 0, piece {}", shape_str(s), piece),
                           [piece](const Args& in) { return split(in[0], 2, 0)[piece]; },
                           {inputs.uniform(s)});
        }
        check_gradient("split size 2 dim 0, pieces 0 * 1",
                       [](const Args& in) {
                           const std::vector<Tensor> parts = split(in[0], 2, 0);
                           return parts[0] * parts[1];
                       },
                       {inputs.uniform(s)});
        check_gradient("split of transposed, last (short) piece",
                       [](const Args& in) { return split(in[0], 2, 1).back(); },
                       {inputs.uniform({s[1], 5}).t()});
        check_gradient(fmt::format("chunk {} into 3 dim 0, pieces 0 * tanh(1) + 2", shape_str(s)),
                       [](const Args& in) {
                           const std::vector<Tensor> parts = chunk(in[0], 3, 0);
                           return parts[0] * tanh(parts[1]) + parts[2].sum();
                       },
                       {inputs.uniform(s)});
        check_gradient("chunk into 2 dim 1, piece 1",
                       [](const Args& in) { return chunk(in[0], 2, 1)[1]; },
                       {inputs.uniform({3, 4})});
    }

    TEST_CASE("gradcheck: index_select adds the gradients of a row picked twice") {
        Inputs inputs(43);
        const int64_t n = inputs.extent(2, 4);
        const Tensor repeated = tensor({2, 0, 2, 3}, {4}, DType::Int64);
        const auto pick0 = [](const Args& in) { return index_select(in[0], 0, in[1]); };
        check_gradient(fmt::format("index_select dim 0 [4, {}] rows [2, 0, 2, 3]", n), pick0,
                       {inputs.uniform({4, n}), repeated});
        check_gradient("index_select dim 1 rows [1, 1]",
                       [](const Args& in) { return index_select(in[0], 1, in[1]); },
                       {inputs.uniform({3, 4}), tensor({1, 1}, {2}, DType::Int64)});
        check_gradient("index_select dim 0 of transposed", pick0,
                       {inputs.uniform({n, 4}).t(), repeated});
        check_gradient("index_select then transposed (upstream gradient transposed)",
                       [](const Args& in) { return index_select(in[0], 0, in[1]).t(); },
                       {inputs.uniform({4, n}), repeated});
        check_gradient("embedding lookup of a [2, 3] batch of ids",
                       [](const Args& in) {
                           return index_select(in[0], 0, in[1].view({-1})).view({2, 3, -1});
                       },
                       {inputs.uniform({5, n}), tensor({4, 0, 4, 1, 1, 2}, {2, 3}, DType::Int64)});
    }
}
