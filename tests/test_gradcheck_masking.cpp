// gradcheck of the ops that pick elements by a mask: where and masked_fill (ops_select.cpp) and
// dropout (ops_dropout.cpp), whose random mask is made the same on every call by reseeding
// inside f.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <limits>

#include "core/ops.hpp"
#include "core/random.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;
using namespace glimpse::testing;  // check_gradient, Inputs, Args

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: where, with broadcasting and views") {
        Inputs inputs(51);
        const int64_t n = inputs.extent(3, 4);
        const Tensor condition = tensor({1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1}, {3, 4}, DType::Bool);
        const auto choose = [](const Args& in) { return where(in[0], in[1], in[2]); };
        check_gradient("where [3, 4] same shapes", choose,
                       {condition, inputs.uniform({3, 4}), inputs.uniform({3, 4})});
        check_gradient(
            fmt::format("where [3, 1] ? [3, {0}] : [{0}] broadcast", n), choose,
            {tensor({1, 0, 1}, {3, 1}, DType::Bool), inputs.uniform({3, n}), inputs.uniform({n})});
        check_gradient("where transposed a, 0-d b", choose,
                       {condition, inputs.uniform({4, 3}).t(), inputs.uniform({})});
        check_gradient("where(c, x, -x) (one input on both sides)",
                       [](const Args& in) { return where(in[0], in[1], -in[1]); },
                       {condition, inputs.uniform({3, 4})});
        check_gradient("where then transposed (upstream gradient transposed)",
                       [](const Args& in) { return where(in[0], in[1], in[2]).t(); },
                       {condition, inputs.uniform({3, 4}), inputs.uniform({3, 4})});
        check_gradient("where on a mask made inside f by gt",
                       [](const Args& in) { return where(gt(in[0], in[1]), in[0], in[1] * 2.0); },
                       {inputs.distinct({3, 4}), inputs.distinct({3, 4})});
    }

    TEST_CASE("gradcheck: masked_fill") {
        Inputs inputs(52);
        const Tensor mask = tensor({0, 1, 0, 1}, {1, 4}, DType::Bool);
        const auto fill = [](const Args& in) { return masked_fill(in[0], in[1], -2.5); };
        check_gradient("masked_fill [3, 4] with mask [1, 4] broadcast", fill,
                       {inputs.uniform({3, 4}), mask});
        check_gradient("masked_fill transposed", fill, {inputs.uniform({4, 3}).t(), mask});
        check_gradient(
            "masked_fill -inf then exp (attention-style mask)",
            [](const Args& in) {
                return exp(masked_fill(in[0], in[1], -std::numeric_limits<double>::infinity()));
            },
            {inputs.uniform({3, 4}), mask});
    }

    TEST_CASE("gradcheck: dropout with the mask fixed by reseeding inside f") {
        Inputs inputs(53);
        const Shape s = {inputs.extent(3, 5), inputs.extent(3, 5)};
        for (const double p : {0.0, 0.3, 0.7}) {
            check_gradient(fmt::format("dropout p={} {}", p, shape_str(s)),
                           [p](const Args& in) {
                               manual_seed(1234);
                               return dropout(in[0], p);
                           },
                           {inputs.uniform(s)});
        }
        check_gradient("dropout p=0.5 transposed, then transposed",
                       [](const Args& in) {
                           manual_seed(1234);
                           return dropout(in[0], 0.5).t();
                       },
                       {inputs.uniform({s[1], s[0]}).t()});
        check_gradient("dropout in eval mode (identity)",
                       [](const Args& in) { return dropout(in[0], 0.5, false); },
                       {inputs.uniform(s)});
    }
}
