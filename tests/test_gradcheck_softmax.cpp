// gradcheck of softmax, log_softmax and cross_entropy (ops_softmax.cpp): every dim, views,
// masked entries, large logits, and each cross-entropy option.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <limits>

#include "core/ops.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;
using namespace glimpse::testing;  // check_gradient, Inputs, Args

namespace {

using Normalizer = Tensor (*)(const Tensor&, int64_t);

const std::vector<std::pair<std::string, Normalizer>> kNormalizers = {
    {"softmax", [](const Tensor& x, int64_t dim) { return softmax(x, dim); }},
    {"log_softmax", [](const Tensor& x, int64_t dim) { return log_softmax(x, dim); }},
};

}  // namespace

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: softmax and log_softmax along every dim and on views") {
        Inputs inputs(61);
        const Shape s = inputs.shape(3);
        for (const auto& [name, op] : kNormalizers) {
            for (const int64_t dim : {0, 1, -1}) {
                check_gradient(fmt::format("{} dim {} {}", name, dim, shape_str(s)),
                               [op = op, dim](const Args& in) { return op(in[0], dim); },
                               {inputs.uniform(s, -2, 2)});
            }
            check_gradient(fmt::format("{} dim 1 transposed", name),
                           [op = op](const Args& in) { return op(in[0], 1); },
                           {inputs.uniform({4, 3}, -2, 2).t()});
            check_gradient(
                fmt::format("{} dim 0 then transposed (upstream gradient transposed)", name),
                [op = op](const Args& in) { return op(in[0], 0).t(); },
                {inputs.uniform({3, 4}, -2, 2)});
            check_gradient(fmt::format("{} of large logits (+100)", name),
                           [op = op](const Args& in) { return op(in[0] + 100.0, -1); },
                           {inputs.uniform({2, 5}, -2, 2)});
            check_gradient(fmt::format("{} [5] 1-D", name),
                           [op = op](const Args& in) { return op(in[0], 0); },
                           {inputs.uniform({5}, -2, 2)});
        }
        const Tensor mask = tensor({0, 1, 0, 0, 1, 0, 1, 1}, {2, 4}, DType::Bool);
        check_gradient("softmax with masked (-inf) entries, attention style",
                       [](const Args& in) {
                           const double inf = std::numeric_limits<double>::infinity();
                           return softmax(masked_fill(in[0], in[1], -inf), -1);
                       },
                       {inputs.uniform({2, 4}, -2, 2), mask});
    }

    TEST_CASE("gradcheck: cross_entropy with each reduction and option") {
        Inputs inputs(62);
        const int64_t classes = inputs.extent(3, 5);
        const Tensor target = tensor({0, 2, 1, 2}, {4}, DType::Int64);
        const auto loss = [](const CrossEntropyOptions& options) {
            return [options](const Args& in) { return cross_entropy(in[0], in[1], options); };
        };
        const std::vector<std::pair<std::string, CrossEntropyOptions>> cases = {
            {"mean", {}},
            {"sum", {.reduction = Reduction::Sum}},
            {"none", {.reduction = Reduction::None}},
            {"mean, ignore_index 2", {.ignore_index = 2}},
            {"sum, ignore_index 0", {.ignore_index = 0, .reduction = Reduction::Sum}},
            {"none, ignore_index 1", {.ignore_index = 1, .reduction = Reduction::None}},
            {"mean, label_smoothing 0.1", {.label_smoothing = 0.1}},
            {"none, label_smoothing 0.2, ignore_index 2",
             {.ignore_index = 2, .reduction = Reduction::None, .label_smoothing = 0.2}},
        };
        for (const auto& [name, options] : cases) {
            check_gradient(fmt::format("cross_entropy [4, {}] {}", classes, name), loss(options),
                           {inputs.uniform({4, classes}, -2, 2), target});
        }
        check_gradient("cross_entropy transposed logits", loss({}),
                       {inputs.uniform({classes, 4}, -2, 2).t(), target});
        check_gradient("cross_entropy [C] logits, 0-d target", loss({}),
                       {inputs.uniform({classes}, -2, 2), tensor({1}, {}, DType::Int64)});
        check_gradient(
            "cross_entropy of a linear layer's logits",
            [](const Args& in) { return cross_entropy(matmul(in[0], in[1]) + in[2], in[3]); },
            {inputs.uniform({4, 3}), inputs.uniform({3, classes}), inputs.uniform({classes}),
             target});
    }
}
