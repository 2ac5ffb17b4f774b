// Checks of assignment a2: the Minimal Gated Unit composed from core ops (the spec is in
// a2_mgu_cell.hpp).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tutorials/coursework/a2_mgu_cell.hpp"
#include "tutorials/coursework/checks/checker.hpp"
#include "tutorials/coursework/checks/mgu_testing.hpp"

namespace coursework::check {

using namespace glimpse;

namespace {

constexpr int64_t kInput = 5, kHidden = 4;  // the golden step's sizes

// A float64 cell of the golden step's sizes holding PyTorch's weights.
std::shared_ptr<MGUCell> golden_cell() {
    auto cell = std::make_shared<MGUCell>(kInput, kHidden, DType::Float64);
    const nn::CellWeights golden = golden_mgu_weights();
    const std::vector<Tensor> from = weight_list(golden);
    const std::vector<Tensor> to = weight_list(cell->weights);
    NoGradGuard no_grad;
    for (std::size_t k = 0; k < to.size(); ++k) {
        expect(to[k].defined() && to[k].shape() == from[k].shape(),
               fmt::format("MGUCell({}, {}).weights.{} is not {}: check the parameters first",
                           kInput, kHidden, kMGUWeightNames[k], shape_str(from[k].shape())));
        copy_(to[k], from[k]);
    }
    return cell;
}

// The cell's forward as an MGUStep (the weights are the cell's own parameters).
MGUStep through(const std::shared_ptr<MGUCell>& cell) {
    return [cell](const Tensor& x, const Tensor& h, const nn::CellWeights&) {
        return cell->forward(x, h);
    };
}

void check_parameters() {
    const MGUCell cell(3, 5);
    const auto named = cell.named_parameters();
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"weight_ih", {10, 3}}, {"weight_hh", {10, 5}}, {"bias_ih", {10}}, {"bias_hh", {10}}};
    std::string got;
    for (const auto& [name, value] : named) {
        got += fmt::format("{}{} {}", got.empty() ? "" : ", ", name, shape_str(value.shape()));
    }
    bool same = named.size() == expected.size();
    for (std::size_t k = 0; same && k < named.size(); ++k) {
        same = named[k].first == expected[k].first && named[k].second.shape() == expected[k].second;
    }
    expect(same, fmt::format("MGUCell(3, 5) should have weight_ih [10, 3], weight_hh [10, 5], "
                             "bias_ih [10], bias_hh [10]; it has: {}",
                             got.empty() ? "no parameters" : got));
    const std::vector<Tensor> held = weight_list(cell.weights);
    for (std::size_t k = 0; k < held.size(); ++k) {
        expect(held[k].impl_ptr() == named[k].second.impl_ptr(),
               fmt::format("weights.{} is not the registered parameter {}", kMGUWeightNames[k],
                           named[k].first));
    }
}

void check_initialisation() {
    manual_seed(5);
    const MGUCell cell(8, 16);
    const double bound = 1.0 / std::sqrt(16.0);
    for (const auto& [name, value] : cell.named_parameters()) {
        const std::vector<double> v = value.to_vector();
        const auto [low, high] = std::minmax_element(v.begin(), v.end());
        expect(*low >= -bound && *high <= bound,
               fmt::format("{} has values in [{:.4f}, {:.4f}], outside U(-1/sqrt(H), "
                           "1/sqrt(H)) = [-{:.4f}, {:.4f}] for H = 16",
                           name, *low, *high, bound, bound));
        expect(*high - *low > bound, fmt::format("{} spans only [{:.4f}, {:.4f}]: draw it from "
                                                 "U(-{:.4f}, {:.4f})",
                                                 name, *low, *high, bound, bound));
    }
}

}  // namespace

Assignment a2_mgu_cell() {
    return {
        "a2",
        "the Minimal Gated Unit, an nn::Module composed from core ops (a2_mgu_cell.cpp)",
        {
            {"parameters weight_ih, weight_hh, bias_ih, bias_hh, held in weights",
             check_parameters},
            {"parameters drawn from U(-1/sqrt(H), 1/sqrt(H))", check_initialisation},
            {"one step matches PyTorch",
             [] {
                 const auto cell = golden_cell();
                 expect_mgu_step_matches(through(cell), cell->weights);
             }},
            {"every gradient of one step matches PyTorch",
             [] {
                 const auto cell = golden_cell();
                 expect_mgu_gradients_match(through(cell), cell->weights);
             }},
            {"gradcheck through one and three steps: x, h and every weight",
             [] { expect_mgu_gradcheck(mgu_cell_composed); }},
            {"a missing state is zeros",
             [] {
                 const MGUCell cell(3, 4, DType::Float64);
                 const Tensor x = randn({2, 3}, DType::Float64);
                 expect_close("forward(x) against forward(x, zeros)", cell.forward(x),
                              cell.forward(x, zeros({2, 4}, DType::Float64)), 0, 0);
             }},
            {"wrong shapes are refused with an error naming MGUCell",
             [] {
                 const MGUCell cell(3, 4);
                 expect_error(
                     "forward of x [2, 5] for input size 3",
                     [&] {
                         cell.forward(zeros({2, 5}));
                     },
                     "MGUCell");
                 expect_error(
                     "forward of h [2, 3] for hidden size 4",
                     [&] {
                         cell.forward(zeros({2, 3}), zeros({2, 3}));
                     },
                     "MGUCell");
             }},
        },
    };
}

}  // namespace coursework::check
