// gradcheck of the whole seq2seq loss with respect to every parameter of a small float64 model,
// on a padded batch: the encoder (with its bridge), each decoder and the loss, backpropagated
// together. The model reads its own parameters, so each check goes through
// check_gradient_with_parameters (tests/parameter_gradcheck.hpp).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/autograd.hpp"
#include "core/ops.hpp"
#include "decode/seq2seq.hpp"
#include "tests/gradcheck_table.hpp"
#include "tests/parameter_gradcheck.hpp"
#include "tests/seq2seq_testing.hpp"

using namespace glimpse;
using decode::Seq2Seq;
using decode::Seq2SeqConfig;
using testing::Args;

namespace {

void check_model(const std::string& name, const Seq2SeqConfig& config) {
    manual_seed(11);
    const Seq2Seq model(config);
    // three sentences of different lengths: sources and targets padded
    const decode::Batch batch =
        testing::padded_batch({{3, 4, 5, 6}, {5, 3}, {6, 6, 4}}, {{3}, {4, 5, 3}, {5, 4}});
    testing::check_gradient_with_parameters(
        "seq2seq loss, " + name, [&model, &batch](const Args&) { return model.loss(batch); }, {},
        model.parameters());
}

Seq2SeqConfig small(decode::AttentionKind attention, nn::CellKind cell, bool bidirectional) {
    return {.source_vocab = 7,
            .target_vocab = 6,
            .embedding_size = 3,
            .hidden_size = 3,
            .cell = cell,
            .bidirectional = bidirectional,
            .attention = attention,
            .dtype = DType::Float64};
}

}  // namespace

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: seq2seq loss without attention, padded batch, every parameter") {
        using decode::AttentionKind;
        check_model("plain decoder, biLSTM encoder bridged",
                    small(AttentionKind::None, nn::CellKind::LSTM, true));
        check_model("plain decoder, GRU", small(AttentionKind::None, nn::CellKind::GRU, false));
    }

    TEST_CASE("gradcheck: seq2seq loss with Bahdanau's decoder, padded batch, every parameter") {
        using decode::AttentionKind;
        check_model("Bahdanau decoder, biLSTM encoder bridged",
                    small(AttentionKind::Bahdanau, nn::CellKind::LSTM, true));
        Seq2SeqConfig benchmark_like = small(AttentionKind::Bahdanau, nn::CellKind::LSTM, true);
        benchmark_like.bridge = decode::Bridge::Zero;
        benchmark_like.bahdanau_output = {.embedding = false};
        check_model("Bahdanau decoder as the benchmark model (zero state, output [s; c])",
                    benchmark_like);
        check_model("Bahdanau decoder, GRU",
                    small(AttentionKind::Bahdanau, nn::CellKind::GRU, false));
    }

    TEST_CASE("gradcheck: seq2seq loss with Luong's decoder, padded batch, every parameter") {
        using decode::AttentionKind;
        Seq2SeqConfig general = small(AttentionKind::Luong, nn::CellKind::LSTM, true);
        general.scorer = "general";
        check_model("Luong decoder, general, biLSTM encoder bridged", general);
        Seq2SeqConfig dot = small(AttentionKind::Luong, nn::CellKind::RNNTanh, false);
        dot.scorer = "dot";
        check_model("Luong decoder, dot, RNN", dot);
    }
}
