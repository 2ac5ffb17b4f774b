// nn::Embedding and nn::embedding: initialisation, lookups of any index shape, the padding row
// that never learns, gradients (gradcheck w.r.t. the weight), errors.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "nn/embedding.hpp"
#include "tests/golden_nn.hpp"
#include "tests/gradcheck_table.hpp"

using namespace glimpse;

namespace {

golden::Outputs run_embedding(const golden::Case& golden, golden::Inputs& in) {
    std::optional<int64_t> padding_idx;
    if (golden.has_param("padding_idx")) padding_idx = golden.integer("padding_idx");
    return {{"out", nn::embedding(in["indices"], in["weight"], padding_idx)}};
}

}  // namespace

TEST_CASE("Embedding: weight [num, dim] from N(0, 1), the padding row zero") {
    manual_seed(3);
    nn::Embedding table(100, 50, 2);
    CHECK(table.named_parameters().at(0).first == "weight");
    CHECK(table.weight.shape() == Shape{100, 50});
    const std::vector<double> padding_row = table.weight.select(0, 2).to_vector();
    CHECK(std::all_of(padding_row.begin(), padding_row.end(), [](double v) { return v == 0; }));
    const Tensor w = table.weight.detach();
    CHECK(std::abs(mean(w).item()) < 0.03);
    CHECK(std::sqrt(mean(w * w).item()) == doctest::Approx(1).epsilon(0.03));
    CHECK(table.summary().find("Embedding(100, 50, padding_idx=2)") != std::string::npos);
    CHECK(nn::Embedding(10, 4, -1).padding_idx == 9);  // counts from the end
}

TEST_CASE("Embedding: indices of any shape give [..., dim]") {
    nn::Embedding table(5, 3);
    copy_(table.weight, arange(0.0, 15.0).view({5, 3}));
    const Tensor ids = tensor({4, 0, 4, 1, 2, 3}, {2, 3}, DType::Int64);
    const Tensor out = table.forward(ids);
    CHECK(out.shape() == Shape{2, 3, 3});
    CHECK(out.select(0, 0).to_vector() == std::vector<double>{12, 13, 14, 0, 1, 2, 12, 13, 14});
    CHECK(table.forward(scalar_tensor(1, DType::Int64)).to_vector() ==
          std::vector<double>{3, 4, 5});
    CHECK(table.forward(ids.t()).select(0, 1).to_vector() ==
          std::vector<double>{0, 1, 2, 6, 7, 8});  // non-contiguous indices
    CHECK(table.forward(zeros({0, 7}, DType::Int64)).shape() == Shape{0, 7, 3});
}

TEST_CASE("Embedding: repeated ids add their gradients; the padding row gets none") {
    nn::Embedding table(4, 2, 0);
    copy_(table.weight.select(0, 0), tensor({5, 5}, {2}));  // a padding row that was changed
    const Tensor ids = tensor({0, 3, 3, 0, 1}, {5}, DType::Int64);
    const Tensor out = table.forward(ids);
    CHECK(out.select(0, 0).to_vector() == std::vector<double>{5, 5});  // still read as it is
    sum(out * 2.0).backward();
    CHECK(table.weight.grad().to_vector() == std::vector<double>{0, 0, 2, 2, 0, 0, 4, 4});
}

TEST_CASE("Embedding: PyTorch's values and weight gradients, padding included (golden)") {
    golden::check_nn_cases_every_way({{"embedding", run_embedding}});
}

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: Embedding w.r.t. its weight") {
        using testing::Args;
        testing::Inputs inputs(72);
        nn::Embedding table(6, 3, std::nullopt, DType::Float64);
        const Tensor ids = tensor({5, 0, 2, 2, 1, 5}, {2, 3}, DType::Int64);
        testing::check_gradient("Embedding [2, 3] ids -> [2, 3, 3]",
                                [&ids](const Args& in) { return nn::embedding(ids, in[0]); },
                                {table.weight});
        // Only with the padding row unused: a padding row that is looked up changes the output
        // yet gets no gradient (PyTorch's rule), which central differences would measure.
        testing::check_gradient("Embedding with padding_idx 3 (not looked up)",
                                [&ids](const Args& in) { return nn::embedding(ids, in[0], 3); },
                                {inputs.uniform({6, 3})});
        testing::check_gradient("Embedding of a transposed weight",
                                [&ids](const Args& in) { return nn::embedding(ids.t(), in[0]); },
                                {inputs.uniform({3, 6}).t()});
    }
}

TEST_CASE("Embedding: errors") {
    nn::Embedding table(4, 2);
    CHECK_THROWS_WITH_AS(table.forward(zeros({3})), doctest::Contains("embedding"), Error);
    CHECK_THROWS_WITH_AS(table.forward(tensor({1, 4}, {2}, DType::Int64)),
                         doctest::Contains("out of range"), Error);
    CHECK_THROWS_WITH_AS(nn::Embedding(4, 2, 4),
                         "Embedding: padding_idx 4 is out of range for 4 embeddings", Error);
    CHECK_THROWS_WITH_AS(nn::embedding(zeros({2}, DType::Int64), zeros({4}), std::nullopt),
                         "embedding: weight must be [num, dim], got [4] float32", Error);
    CHECK_THROWS_WITH_AS(nn::Embedding(-2, 3),
                         "Embedding: sizes must not be negative, got num=-2, dim=3", Error);
}
