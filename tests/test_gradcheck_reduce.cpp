// gradcheck of the reductions (ops_reduce.cpp): sum and mean over all or some dims, with and
// without keepdim, sum_to, and max over a dim (on distinct values: a tie is a kink).

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/ops.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;
using namespace glimpse::testing;  // check_gradient, Inputs, Args

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: sum and mean of all elements") {
        Inputs inputs(11);
        const Shape s = inputs.shape(3);
        const auto sum_all = [](const Args& in) { return sum(in[0]); };
        const auto mean_all = [](const Args& in) { return mean(in[0]); };
        check_gradient(fmt::format("sum {}", shape_str(s)), sum_all, {inputs.uniform(s)});
        check_gradient("sum 0-d", sum_all, {inputs.uniform({})});
        check_gradient(fmt::format("sum {} permuted", shape_str(s)), sum_all,
                       {inputs.uniform(s).permute({2, 0, 1})});
        check_gradient(fmt::format("mean {}", shape_str(s)), mean_all, {inputs.uniform(s)});
        check_gradient(fmt::format("mean {} transposed(0, 2)", shape_str(s)), mean_all,
                       {inputs.uniform(s).transpose(0, 2)});
    }

    TEST_CASE("gradcheck: sum and mean over dims, keepdim or not") {
        Inputs inputs(12);
        const Shape s = inputs.shape(3);
        const std::vector<std::vector<int64_t>> dim_sets = {{0}, {1}, {-1}, {0, 2}, {2, 1, 0}};
        for (const std::vector<int64_t>& dims : dim_sets) {
            for (const bool keepdim : {false, true}) {
                const std::string how = fmt::format("dims {} {}{}", shape_str(dims), shape_str(s),
                                                    keepdim ? " keepdim" : "");
                check_gradient("sum " + how,
                               [&](const Args& in) { return sum(in[0], dims, keepdim); },
                               {inputs.uniform(s)});
                check_gradient("mean " + how,
                               [&](const Args& in) { return mean(in[0], dims, keepdim); },
                               {inputs.uniform(s)});
            }
        }
        check_gradient("sum dims [1] of transposed", [](const Args& in) { return sum(in[0], {1}); },
                       {inputs.uniform(s).transpose(0, 1)});
        check_gradient("mean dims [0] of narrowed",
                       [](const Args& in) { return mean(in[0], {0}, true); },
                       {inputs.uniform({s[0], s[1] + 2}).narrow(1, 1, s[1])});
    }

    TEST_CASE("gradcheck: sum_to, the step that undoes broadcasting") {
        Inputs inputs(13);
        const std::vector<std::pair<Shape, Shape>> cases = {
            {{2, 3}, {3}},       {{2, 3}, {2, 1}}, {{4, 2, 3}, {1, 3}},
            {{4, 2, 3}, {2, 1}}, {{2, 3}, {}},     {{2, 3}, {2, 3}},
        };
        for (const auto& [from, to] : cases) {
            check_gradient(fmt::format("sum_to {} -> {}", shape_str(from), shape_str(to)),
                           [to = to](const Args& in) { return sum_to(in[0], to); },
                           {inputs.uniform(from)});
        }
        check_gradient("sum_to transposed [3, 2] -> [3, 1]",
                       [](const Args& in) {
                           return sum_to(in[0], {3, 1});
                       },
                       {inputs.uniform({2, 3}).t()});
    }

    TEST_CASE("gradcheck: max over a dim sends the gradient to the winner") {
        Inputs inputs(14);
        const Shape s = inputs.shape(3);
        for (const int64_t dim : {0, 1, -1}) {
            for (const bool keepdim : {false, true}) {
                check_gradient(
                    fmt::format("max dim {} {}{}", dim, shape_str(s), keepdim ? " keepdim" : ""),
                    [=](const Args& in) { return max(in[0], dim, keepdim).first; },
                    {inputs.distinct(s)});
            }
        }
        check_gradient("max dim 1 transposed", [](const Args& in) { return max(in[0], 1).first; },
                       {inputs.distinct({s[1], s[0]}).t()});
        check_gradient("max dim 0 of 0-d", [](const Args& in) { return max(in[0], 0).first; },
                       {inputs.distinct({})});
        check_gradient("max dim 1 then tanh",
                       [](const Args& in) { return tanh(max(in[0], 1, true).first); },
                       {inputs.distinct(s)});
    }
}
