// Tests of the attention scorers (attention/additive, multiplicative, ...) through the one
// interface: parameter names, the invariants of the weights for every scorer (rows sum to 1,
// masked weights exactly 0, a fully masked row gives zeros and no NaN), select_rows for beam
// search, errors, and gradcheck of every scorer and of whole steps.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>

#include "attention/additive.hpp"
#include "attention/luong_output.hpp"
#include "attention/multiplicative.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "tests/attention_testing.hpp"
#include "tests/gradcheck_table.hpp"
#include "tests/parameter_gradcheck.hpp"

using namespace glimpse;
using namespace glimpse::attention;
using testing::Args;

namespace {

std::vector<std::string> parameter_names(const nn::Module& module) {
    std::vector<std::string> names;
    for (const auto& [name, p] : module.named_parameters()) {
        names.push_back(fmt::format("{}{}", name, shape_str(p.shape())));
    }
    return names;
}

// Hq = Hk for the scorers that need it, else Hq = 3 and Hk = 4.
int64_t query_size_for(const testing::ScorerKind& kind) {
    return kind.square ? 4 : 3;
}

}  // namespace

TEST_CASE("attention: parameters named as PyTorch attributes, shaped [out, in]") {
    CHECK(parameter_names(BahdanauAttention(3, 4, 5)) ==
          std::vector<std::string>{"query_proj.weight[5, 3]", "key_proj.weight[5, 4]",
                                   "key_proj.bias[5]", "v.weight[1, 5]"});
    CHECK(parameter_names(GeneralAttention(3, 4)) ==
          std::vector<std::string>{"key_proj.weight[3, 4]"});
    CHECK(parameter_names(ConcatAttention(3, 4, 5)) ==
          std::vector<std::string>{"proj.weight[5, 7]", "v.weight[1, 5]"});
    CHECK(DotAttention(4).named_parameters().empty());
    CHECK(ScaledDotAttention(4).named_parameters().empty());
    CHECK(parameter_names(LuongOutput(4, 3, 6)) ==
          std::vector<std::string>{"linear_out.weight[6, 7]"});
    CHECK(BahdanauAttention(3, 4, 5).summary().find(
              "BahdanauAttention(query_size=3, key_size=4, attention_size=5)") !=
          std::string::npos);
}

TEST_CASE("attention: every scorer's weights sum to 1, are 0 where masked, 0 on an empty row") {
    Generator generator(11);
    for (const testing::ScorerKind& kind : testing::scorer_kinds()) {
        for (const DType dtype : {DType::Float32, DType::Float64}) {
            INFO(kind.name, " ", dtype_name(dtype));
            const int64_t hq = query_size_for(kind);
            const auto attention = kind.make(hq, 4, dtype);
            const std::vector<int64_t> lengths = {5, 2, 0, 4};
            const testing::Source src =
                testing::random_source(4, 5, 4, 3, lengths, generator, dtype);
            const Tensor query = uniform({4, hq}, -1, 1, dtype, generator);
            const AttentionOutput out =
                attention->forward(query, attention->prepare(src.keys, src.values, src.mask));
            REQUIRE(out.weights.shape() == Shape{4, 5});
            REQUIRE(out.context.shape() == Shape{4, 3});
            const std::vector<double> w = out.weights.to_vector();
            const std::vector<double> c = out.context.to_vector();
            for (int64_t b = 0; b < 4; ++b) {
                double total = 0;
                for (int64_t s = 0; s < 5; ++s) {
                    const double weight = w[b * 5 + s];
                    CHECK_FALSE(std::isnan(weight));
                    CHECK(weight >= 0.0);
                    if (s >= lengths[b]) CHECK(weight == 0.0);
                    total += weight;
                }
                if (lengths[b] == 0) CHECK(total == 0.0);
                if (lengths[b] > 0 && kind.sums_to_one) {
                    CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
                }
                if (lengths[b] > 0 && !kind.sums_to_one) CHECK((total > 0 && total <= 1 + 1e-6));
            }
            for (int64_t h = 0; h < 3; ++h) CHECK(c[2 * 3 + h] == 0.0);  // the empty row
        }
    }
}

TEST_CASE("attention: select_rows gives each new row the source of the row it names") {
    Generator generator(12);
    for (const testing::ScorerKind& kind : testing::scorer_kinds()) {
        INFO(kind.name);
        const int64_t hq = query_size_for(kind);
        const auto attention = kind.make(hq, 4, DType::Float64);
        const testing::Source src = testing::random_source(3, 5, 4, 2, {5, 3, 4}, generator);
        const PreparedSource prepared = attention->prepare(src.keys, src.values, src.mask);
        const Tensor rows = tensor({2, 0, 2, 1}, {4}, DType::Int64);
        const PreparedSource picked = attention->select_rows(prepared, rows);
        const Tensor query = uniform({3, hq}, -1, 1, DType::Float64, generator);
        const AttentionOutput whole = attention->forward(query, prepared);
        const AttentionOutput part = attention->forward(index_select(query, 0, rows), picked);
        CHECK(part.weights.to_vector() == index_select(whole.weights, 0, rows).to_vector());
        CHECK(part.context.to_vector() == index_select(whole.context, 0, rows).to_vector());
    }
}

TEST_CASE("attention: select_rows gathers keys that are also the values once") {
    BahdanauAttention bahdanau(3, 4, 5);
    const Tensor states = uniform({2, 6, 4}, -1, 1);  // the encoder's states: keys and values
    const PreparedSource picked = bahdanau.select_rows(bahdanau.prepare(states, states),
                                                       tensor({1, 1, 0}, {3}, DType::Int64));
    CHECK(picked.values.impl() == picked.keys.impl());
    CHECK(picked.keys.to_vector() ==
          index_select(states, 0, tensor({1, 1, 0}, {3}, DType::Int64)).to_vector());
}

TEST_CASE("attention: errors name the scorer, the call and the shapes") {
    BahdanauAttention bahdanau(3, 4, 5);
    const Tensor keys = zeros({2, 6, 4});
    CHECK_THROWS_WITH_AS(bahdanau.prepare(zeros({2, 6, 3}), keys),
                         doctest::Contains("BahdanauAttention.prepare: keys [2, 6, 3] float32 "
                                           "must end in key_size 4"),
                         Error);
    CHECK_THROWS_WITH_AS(bahdanau.prepare(keys, zeros({2, 5, 4})),
                         doctest::Contains("must be [B, S, Hk] and [B, S, Hv]"), Error);
    CHECK_THROWS_WITH_AS(bahdanau.prepare(keys, keys, ones({2, 5}, DType::Bool)),
                         doctest::Contains("mask [2, 5] bool must be [B, S] = [2, 6]"), Error);
    CHECK_THROWS_WITH_AS(bahdanau.prepare(keys, keys, ones({2, 6})),
                         doctest::Contains("mask must be bool"), Error);
    const PreparedSource source = bahdanau.prepare(keys, keys);
    CHECK_THROWS_WITH_AS(bahdanau.forward(zeros({2, 4}), source),
                         doctest::Contains("BahdanauAttention.forward: query [2, 4] float32 must "
                                           "be [B, query_size] = [2, 3]"),
                         Error);
    CHECK_THROWS_WITH_AS(bahdanau.forward(zeros({2, 3}, DType::Float64), source),
                         doctest::Contains("BahdanauAttention.forward"), Error);
    CHECK_THROWS_WITH_AS(DotAttention(0), doctest::Contains("DotAttention: sizes must be positive"),
                         Error);
    CHECK_THROWS_WITH_AS(LuongOutput(4, 3, 2).forward(zeros({2, 3}), zeros({2, 3})),
                         doctest::Contains("LuongOutput.forward: context [2, 3] float32 and "
                                           "hidden [2, 3] float32 must be [B, 4] and [B, 3]"),
                         Error);
}

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: every scorer's scores w.r.t. query, keys and every parameter") {
        Generator generator(13);
        testing::Inputs inputs(413);
        for (const testing::ScorerKind& kind : testing::scorer_kinds()) {
            const int64_t hq = query_size_for(kind);
            const auto attention = kind.make(hq, 4, DType::Float64);
            const testing::Source src = testing::random_source(2, 3, 4, 2, {}, generator);
            testing::check_gradient_with_parameters(
                fmt::format("attention score {} [2, {}] keys [2, 3, 4]", kind.name, hq),
                [&](const Args& in) {
                    return attention->score(in[0], attention->prepare(in[1], in[1]));
                },
                {inputs.uniform({2, hq}), src.keys}, attention->parameters());
        }
    }

    TEST_CASE("gradcheck: a whole attention step of every scorer, with and without a mask") {
        Generator generator(14);
        testing::Inputs inputs(414);
        for (const testing::ScorerKind& kind : testing::scorer_kinds()) {
            const int64_t hq = query_size_for(kind);
            const auto attention = kind.make(hq, 4, DType::Float64);
            for (const bool masked : {false, true}) {
                const std::vector<int64_t> lengths =
                    masked ? std::vector<int64_t>{4, 2, 0} : std::vector<int64_t>{};
                const testing::Source src = testing::random_source(3, 4, 4, 3, lengths, generator);
                testing::check_gradient_with_parameters(
                    fmt::format("attention step {} {}", kind.name,
                                masked ? "masked (lengths 4, 2, 0)" : "unmasked"),
                    [&](const Args& in) {
                        return testing::attention_step(*attention, in[0], in[1], in[2], src.mask);
                    },
                    {inputs.uniform({3, hq}), src.keys, src.values}, attention->parameters());
            }
        }
    }

    TEST_CASE("gradcheck: a step on selected rows (beam search) and on transposed keys") {
        Generator generator(15);
        testing::Inputs inputs(415);
        BahdanauAttention attention(3, 4, 5, DType::Float64);
        const testing::Source src = testing::random_source(2, 4, 4, 3, {4, 3}, generator);
        const Tensor rows = tensor({1, 1, 0}, {3}, DType::Int64);
        testing::check_gradient_with_parameters(
            "attention step bahdanau on select_rows {1, 1, 0}",
            [&](const Args& in) {
                const PreparedSource picked =
                    attention.select_rows(attention.prepare(in[1], in[2], src.mask), rows);
                const AttentionOutput out = attention.forward(in[0], picked);
                return cat({out.context, out.weights}, 1);
            },
            {inputs.uniform({3, 3}), src.keys, src.values}, attention.parameters());
        GeneralAttention general(3, 4, DType::Float64);
        testing::check_gradient_with_parameters(
            "attention step general, keys and values as transposed views",
            [&](const Args& in) {
                return testing::attention_step(general, in[0], in[1].transpose(1, 2),
                                               in[2].transpose(1, 2), src.mask);
            },
            {inputs.uniform({2, 3}), inputs.uniform({2, 4, 4}), inputs.uniform({2, 3, 4})},
            general.parameters());
    }

    TEST_CASE("gradcheck: LuongOutput w.r.t. context, hidden and W_c") {
        testing::Inputs inputs(416);
        LuongOutput output(4, 3, 5, DType::Float64);
        testing::check_gradient_with_parameters(
            "LuongOutput tanh(W_c [c; h]) [2, 4] + [2, 3] -> [2, 5]",
            [&](const Args& in) { return output.forward(in[0], in[1]); },
            {inputs.uniform({2, 4}), inputs.uniform({2, 3})}, output.parameters());
    }
}
