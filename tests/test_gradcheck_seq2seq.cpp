// gradcheck of the whole seq2seq loss with respect to every parameter of a small float64 model,
// on a padded batch: the encoder (with its bridge), each decoder and the loss, backpropagated
// together. The model reads its own parameters, so each check runs through a wrapper op
// (model_loss below): its value is the model's loss at the values gradcheck gives, and its
// backward returns the gradients that the model's own backward pass computed.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/autograd.hpp"
#include "core/ops.hpp"
#include "decode/seq2seq.hpp"
#include "tests/gradcheck_table.hpp"
#include "tests/seq2seq_testing.hpp"

using namespace glimpse;
using decode::Seq2Seq;
using decode::Seq2SeqConfig;
using testing::Args;

namespace {

// The model's loss on `batch` as a function of `values`, one per parameter in
// named_parameters() order: the values are copied into the parameters, the loss is computed,
// and (when a graph is wanted) backpropagated through the model, whose parameter gradients
// become the gradients of `values`.
Tensor model_loss(const Seq2Seq& model, const decode::Batch& batch, const Args& values) {
    const std::vector<Tensor> parameters = model.parameters();
    {
        const NoGradGuard no_grad;
        for (std::size_t k = 0; k < parameters.size(); ++k) copy_(parameters[k], values[k]);
    }
    const Tensor loss = model.loss(batch);
    if (!grad_enabled()) return loss;
    for (const Tensor& p : parameters) p.zero_grad();
    loss.backward();
    std::vector<Tensor> gradients;
    for (const Tensor& p : parameters) {
        gradients.push_back(p.grad().defined() ? p.grad() : zeros_like(p));
    }
    return record("seq2seq_loss", values, loss.detach(), [gradients](const Tensor& g) {
        std::vector<Tensor> out;
        for (const Tensor& gradient : gradients) out.push_back(g * gradient);
        return out;
    });
}

void check_model(const std::string& name, const Seq2SeqConfig& config) {
    manual_seed(11);
    const Seq2Seq model(config);
    // three sentences of different lengths: sources and targets padded
    const decode::Batch batch =
        testing::padded_batch({{3, 4, 5, 6}, {5, 3}, {6, 6, 4}}, {{3}, {4, 5, 3}, {5, 4}});
    testing::check_gradient(
        "seq2seq loss, " + name,
        [&model, &batch](const Args& values) { return model_loss(model, batch, values); },
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
