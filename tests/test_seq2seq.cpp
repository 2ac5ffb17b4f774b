// Seq2Seq (decode/seq2seq.cpp) with each decoder: parameter names, shapes, padding invariance,
// scheduled sampling, and decoding through StepModel agreeing with teacher forcing. The
// gradients are checked in tests/test_gradcheck_seq2seq.cpp.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "decode/seq2seq.hpp"
#include "tests/recurrent_testing.hpp"
#include "tests/seq2seq_testing.hpp"

using namespace glimpse;
using decode::Seq2Seq;
using decode::Seq2SeqConfig;
using testing::max_difference;
using testing::padded_batch;

namespace {

constexpr int64_t kSourceVocab = 9, kTargetVocab = 7;

struct NamedConfig {
    std::string name;
    Seq2SeqConfig config;
};

// Small float64 models, one per decoder and cell, bridges of both kinds.
std::vector<NamedConfig> small_models() {
    const Seq2SeqConfig base{.source_vocab = kSourceVocab,
                             .target_vocab = kTargetVocab,
                             .embedding_size = 4,
                             .hidden_size = 5,
                             .attention = decode::AttentionKind::None,
                             .dtype = DType::Float64};
    std::vector<NamedConfig> models;
    Seq2SeqConfig c = base;
    c.num_layers = 2;
    c.bidirectional = true;
    models.push_back({"plain, 2-layer biLSTM encoder, bridged", c});
    c = base;
    c.cell = nn::CellKind::GRU;
    models.push_back({"plain, GRU", c});
    c = base;
    c.cell = nn::CellKind::RNNTanh;
    c.bidirectional = true;
    models.push_back({"plain, biRNN, bridged", c});
    c = base;
    c.attention = decode::AttentionKind::Bahdanau;
    c.bidirectional = true;
    models.push_back({"Bahdanau, biLSTM encoder bridged", c});
    c.cell = nn::CellKind::GRU;
    c.bridge = decode::Bridge::Zero;
    c.bahdanau_output = {.embedding = false};
    models.push_back({"Bahdanau, GRU, zero initial state, output [s; c]", c});
    c = base;
    c.attention = decode::AttentionKind::Luong;
    c.scorer = "general";
    c.bidirectional = true;
    models.push_back({"Luong general, biLSTM encoder bridged", c});
    c.bidirectional = false;
    c.cell = nn::CellKind::GRU;
    c.scorer = "dot";
    models.push_back({"Luong dot, GRU", c});
    return models;
}

const testing::TokenLists kSources = {{3, 4, 5}, {6, 7, 8, 3, 4, 5}, {5, 3}};
const testing::TokenLists kTargets = {{4, 5, 6}, {3}, {6, 6, 5, 4, 3}};

}  // namespace

TEST_CASE("Seq2Seq: PyTorch-like dotted parameter names") {
    manual_seed(0);
    const Seq2Seq model(small_models()[0].config);
    std::vector<std::string> names;
    for (const auto& [name, value] : model.named_parameters()) names.push_back(name);
    const std::vector<std::string> expected = {
        "encoder.embedding.weight",
        "encoder.rnn.weight_ih_l0",
        "encoder.rnn.weight_hh_l0",
        "encoder.rnn.bias_ih_l0",
        "encoder.rnn.bias_hh_l0",
        "encoder.rnn.weight_ih_l0_reverse",
        "encoder.rnn.weight_hh_l0_reverse",
        "encoder.rnn.bias_ih_l0_reverse",
        "encoder.rnn.bias_hh_l0_reverse",
        "encoder.rnn.weight_ih_l1",
        "encoder.rnn.weight_hh_l1",
        "encoder.rnn.bias_ih_l1",
        "encoder.rnn.bias_hh_l1",
        "encoder.rnn.weight_ih_l1_reverse",
        "encoder.rnn.weight_hh_l1_reverse",
        "encoder.rnn.bias_ih_l1_reverse",
        "encoder.rnn.bias_hh_l1_reverse",
        "encoder.bridge_h.weight",
        "encoder.bridge_h.bias",
        "encoder.bridge_c.weight",
        "encoder.bridge_c.bias",
        "decoder.embedding.weight",
        "decoder.cell.weight_ih",
        "decoder.cell.weight_hh",
        "decoder.cell.bias_ih",
        "decoder.cell.bias_hh",
        "decoder.output.weight",
        "decoder.output.bias",
    };
    CHECK(names == expected);
}

TEST_CASE("Seq2Seq: the attention decoders' parameters, named after their modules") {
    const auto names_of = [](const Seq2Seq& model) {
        std::vector<std::string> names;
        for (const auto& [name, value] : model.named_parameters()) {
            if (name.starts_with("decoder.")) names.push_back(name);
        }
        return names;
    };
    Seq2SeqConfig config{.source_vocab = 5, .target_vocab = 4, .bidirectional = true};
    const std::vector<std::string> bahdanau = {"decoder.embedding.weight",
                                               "decoder.attention.query_proj.weight",
                                               "decoder.attention.key_proj.weight",
                                               "decoder.attention.key_proj.bias",
                                               "decoder.attention.v.weight",
                                               "decoder.cell.weight_ih",
                                               "decoder.cell.weight_hh",
                                               "decoder.cell.bias_ih",
                                               "decoder.cell.bias_hh",
                                               "decoder.output.weight",
                                               "decoder.output.bias"};
    CHECK(names_of(Seq2Seq(config)) == bahdanau);
    // [s_t; c_t; emb] = 64 + 128 + 32 inputs by default, [s_t; c_t] when asked
    CHECK(Seq2Seq(config).decoder().named_parameters().back().second.shape() == Shape{4});
    config.bahdanau_output = {.embedding = false};
    const auto parameters = Seq2Seq(config).named_parameters();
    CHECK(parameters[parameters.size() - 2].second.shape() == Shape{4, 192});

    config.attention = decode::AttentionKind::Luong;
    config.scorer = "general";
    const std::vector<std::string> luong = {"decoder.embedding.weight",
                                            "decoder.attention.key_proj.weight",
                                            "decoder.cell.weight_ih",
                                            "decoder.cell.weight_hh",
                                            "decoder.cell.bias_ih",
                                            "decoder.cell.bias_hh",
                                            "decoder.attention_output.linear_out.weight",
                                            "decoder.output.weight",
                                            "decoder.output.bias"};
    CHECK(names_of(Seq2Seq(config)) == luong);
}

TEST_CASE("Seq2Seq: logits [B, T, V], a finite loss, and a gradient for every parameter") {
    const decode::Batch batch = padded_batch(kSources, kTargets);
    for (const auto& [name, config] : small_models()) {
        CAPTURE(name);
        manual_seed(1);
        const Seq2Seq model(config);
        CHECK(model.forward(batch).shape() == Shape{3, 6, kTargetVocab});
        const Tensor loss = model.loss(batch);
        CHECK(loss.dim() == 0);
        CHECK(std::isfinite(loss.item()));
        loss.backward();
        for (const auto& [parameter, value] : model.named_parameters()) {
            CAPTURE(parameter);
            REQUIRE(value.grad().defined());
            CHECK(sum(value.grad() * value.grad()).item() > 0);
        }
    }
}

TEST_CASE("Seq2Seq: a sentence's logits and loss are the same alone and padded in a batch") {
    const decode::Batch batch = padded_batch(kSources, kTargets);
    for (const auto& [name, config] : small_models()) {
        CAPTURE(name);
        manual_seed(2);
        const Seq2Seq model(config);
        const Tensor together = model.forward(batch);  // [3, 6, V]
        for (std::size_t k = 0; k < kSources.size(); ++k) {
            CAPTURE(k);
            const decode::Batch one = padded_batch({kSources[k]}, {kTargets[k]});
            const Tensor alone = model.forward(one);  // [1, T_k, V]
            const int64_t steps = alone.size(1);
            const Tensor same_rows =
                together.narrow(0, static_cast<int64_t>(k), 1).narrow(1, 0, steps);
            CHECK(max_difference(alone, same_rows) < 1e-12);
            const Tensor loss_in_batch = cross_entropy(same_rows.reshape({-1, kTargetVocab}),
                                                       one.target_output.reshape({-1}));
            CHECK(std::abs(model.loss(one).item() - loss_in_batch.item()) < 1e-12);
        }
    }
}

TEST_CASE("Seq2Seq: the loss is the mean cross-entropy over the non-pad target tokens") {
    const decode::Batch batch = padded_batch(kSources, kTargets);
    manual_seed(3);
    const Seq2Seq model(small_models()[1].config);
    const Tensor logits = model.forward(batch);
    double total = 0;
    int64_t tokens = 0;
    const Tensor log_probs = log_softmax(logits, 2);
    for (int64_t b = 0; b < 3; ++b) {
        for (int64_t t = 0; t < batch.target_output.size(1); ++t) {
            const auto y =
                static_cast<int64_t>(batch.target_output.select(0, b).select(0, t).item());
            if (y == 0) continue;
            total -= log_probs.select(0, b).select(0, t).select(0, y).item();
            ++tokens;
        }
    }
    CHECK(tokens == 12);  // 4 + 2 + 6 target tokens with their <eos>
    CHECK(std::abs(model.loss(batch).item() - total / static_cast<double>(tokens)) < 1e-12);
}

TEST_CASE("Seq2Seq: scheduled sampling feeds the model's own predictions, from a seeded coin") {
    const decode::Batch batch = padded_batch(kSources, kTargets);
    manual_seed(4);
    const Seq2Seq model(small_models()[0].config);
    Generator unused(7), first(8), second(8);
    const double teacher = model.loss(batch).item();
    CHECK(model.loss(batch, 1.0, &unused).item() == teacher);
    const double own = model.loss(batch, 0.0, &unused).item();
    CHECK(own != teacher);  // the first steps' predictions are not the reference tokens
    CHECK(model.loss(batch, 0.3, &first).item() == model.loss(batch, 0.3, &second).item());
    CHECK_THROWS_WITH_AS(model.loss(batch, 1.5), doctest::Contains("teacher_forcing_ratio"), Error);
}

TEST_CASE("Seq2Seq: decoding step by step gives the teacher-forced log-probabilities") {
    const decode::Batch batch = padded_batch(kSources, kTargets);
    for (const auto& [name, config] : small_models()) {
        CAPTURE(name);
        manual_seed(5);
        const Seq2Seq model(config);
        const Tensor expected = log_softmax(model.forward(batch), 2);  // [B, T, V]
        auto decoding = model.start_decoding(batch.source, batch.source_lengths);
        CHECK(decoding->batch_size() == 3);
        CHECK(decoding->source_length(1) == 6);
        for (int64_t t = 0; t < batch.target_input.size(1); ++t) {
            CAPTURE(t);
            const decode::StepOutput out =
                decoding->step(batch.target_input.select(1, t).contiguous());
            CHECK_FALSE(out.log_probs.requires_grad());
            CHECK(max_difference(out.log_probs, expected.select(1, t)) < 1e-12);
        }
        CHECK_THROWS_WITH_AS(decoding->step(tensor({1, 1}, {2}, DType::Int64)),
                             doctest::Contains("tokens must be int64 [3]"), Error);
    }
}

TEST_CASE("Seq2Seq: select_rows makes each new row continue the old row it names") {
    const decode::Batch batch = padded_batch(kSources, kTargets);
    for (const auto& [name, config] : small_models()) {
        CAPTURE(name);
        manual_seed(6);
        const Seq2Seq model(config);
        const Tensor expected = log_softmax(model.forward(batch), 2);
        auto decoding = model.start_decoding(batch.source, batch.source_lengths);
        decoding->step(batch.target_input.select(1, 0).contiguous());
        // rows 2, 0, 0, 1: sentence 0 twice, in a new order
        const Tensor rows = tensor({2, 0, 0, 1}, {4}, DType::Int64);
        decoding->select_rows(rows);
        const Tensor next = index_select(batch.target_input.select(1, 1), 0, rows);
        const Tensor log_probs = decoding->step(next).log_probs;  // [4, V]
        CHECK(max_difference(log_probs, index_select(expected.select(1, 1), 0, rows)) < 1e-12);
        // a reordering within the sentences, then sentence 0 leaves
        const Tensor within = tensor({0, 2, 1, 3}, {4}, DType::Int64);
        decoding->select_rows(within);
        const Tensor third = index_select(batch.target_input.select(1, 2), 0, rows);
        const Tensor after = decoding->step(index_select(third, 0, within)).log_probs;
        CHECK(after.size(0) == 4);
        decoding->select_rows(tensor({0, 3}, {2}, DType::Int64));  // sentences 2 and 1
        const Tensor fourth = tensor({batch.target_input.select(0, 2).select(0, 3).item(),
                                      batch.target_input.select(0, 1).select(0, 3).item()},
                                     {2}, DType::Int64);
        const Tensor last = decoding->step(fourth).log_probs;
        CHECK(max_difference(last.select(0, 0), expected.select(0, 2).select(0, 3)) < 1e-12);
        CHECK(max_difference(last.select(0, 1), expected.select(0, 1).select(0, 3)) < 1e-12);
        CHECK_THROWS_WITH_AS(decoding->select_rows(tensor({2}, {1}, DType::Int64)),
                             doctest::Contains("row 2 is outside [0, 2)"), Error);
    }
}

TEST_CASE("Seq2Seq: dropout acts in training mode only") {
    const decode::Batch batch = padded_batch(kSources, kTargets);
    Seq2SeqConfig config = small_models()[3].config;  // Bahdanau, biLSTM, 2 layers of dropout
    config.num_layers = 2;
    manual_seed(8);
    const Seq2Seq plain(config);
    config.dropout = 0.5;
    manual_seed(8);  // the same weights: dropout draws nothing when the model is made
    Seq2Seq dropped(config);
    const double first = dropped.loss(batch).item();
    CHECK(first != dropped.loss(batch).item());  // a new mask each time
    CHECK(first != plain.loss(batch).item());
    dropped.eval();
    CHECK(dropped.loss(batch).item() == plain.loss(batch).item());
}

TEST_CASE("Seq2Seq: bad batches and sizes are reported") {
    const Seq2Seq model(small_models()[1].config);
    decode::Batch batch = padded_batch(kSources, kTargets);
    batch.target_output = batch.target_output.narrow(1, 0, 2);
    CHECK_THROWS_WITH_AS(model.loss(batch), doctest::Contains("must share the batch"), Error);
    batch = padded_batch(kSources, kTargets);
    batch.source = batch.source.to(DType::Float32);
    CHECK_THROWS_WITH_AS(model.loss(batch), doctest::Contains("int64 [B, length]"), Error);
    CHECK_THROWS_WITH_AS(Seq2Seq({.source_vocab = 0, .target_vocab = 3}),
                         doctest::Contains("must be at least 1, got 0, 3,"), Error);
    CHECK_THROWS_WITH_AS(Seq2Seq({.source_vocab = 4,
                                  .target_vocab = 3,
                                  .bidirectional = true,
                                  .attention = decode::AttentionKind::Luong,
                                  .scorer = "dot"}),
                         doctest::Contains("dot needs queries and keys of one size"), Error);
    CHECK_THROWS_WITH_AS(Seq2Seq({.source_vocab = 4, .target_vocab = 3, .scorer = "cosine"}),
                         doctest::Contains("unknown scorer 'cosine'"), Error);
    CHECK_THROWS_WITH_AS(Seq2Seq({.source_vocab = 4,
                                  .target_vocab = 3,
                                  .bridge = decode::Bridge::Zero,
                                  .attention = decode::AttentionKind::None}),
                         doctest::Contains("needs Bridge::Final"), Error);
    CHECK_THROWS_WITH_AS(
        Seq2Seq({.source_vocab = 4, .target_vocab = 3, .hidden_size = 8},
                decode::make_scorer("general", 8, 16, 8)),
        doctest::Contains("keys of 16; this decoder's queries (its hidden state) have 8 and its "
                          "keys (the encoder's states) 8"),
        Error);
}

TEST_CASE("Seq2Seq: attention weights come with each decoding step, zero at padding") {
    const decode::Batch batch = padded_batch(kSources, kTargets);
    for (const auto& [name, config] : small_models()) {
        if (config.attention == decode::AttentionKind::None) continue;
        CAPTURE(name);
        const Seq2Seq model(config);
        auto decoding = model.start_decoding(batch.source, batch.source_lengths);
        const Tensor weights =
            decoding->step(batch.target_input.select(1, 0).contiguous()).attention;
        REQUIRE(weights.shape() == Shape{3, 6});
        CHECK(weights.select(0, 0).to_vector()[3] == 0.0);  // sentence 0 has 3 tokens
        CHECK(std::abs(sum(weights.select(0, 2)).item() - 1.0) < 1e-12);
    }
}
