#include "decode/seq2seq.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <vector>

#include "attention/additive.hpp"
#include "attention/multiplicative.hpp"
#include "core/autograd.hpp"
#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/packed_weights.hpp"
#include "decode/decoder_luong.hpp"
#include "decode/decoder_plain.hpp"

namespace glimpse::decode {

namespace {

int64_t source_size(const Seq2SeqConfig& c) {
    return c.hidden_size * (c.bidirectional ? 2 : 1);
}

// The config itself, once its sizes are known to be positive: checked before any module is
// built, so that the error names the config rather than whichever module sees a 0 first.
const Seq2SeqConfig& checked(const Seq2SeqConfig& c) {
    if (c.source_vocab < 1 || c.target_vocab < 1 || c.embedding_size < 1 || c.hidden_size < 1 ||
        c.num_layers < 1) {
        throw Error(fmt::format(
            "Seq2Seq: source_vocab, target_vocab, embedding_size, hidden_size and num_layers must "
            "be at least 1, got {}, {}, {}, {} and {}",
            c.source_vocab, c.target_vocab, c.embedding_size, c.hidden_size, c.num_layers));
    }
    return c;
}

// make_scorer's own names; register_scorer adds others.
const std::vector<std::string> kBuiltInScorers = {"bahdanau", "concat", "dot", "scaled_dot",
                                                  "general"};

// The scorers added by register_scorer, by name.
std::map<std::string, ScorerFactory>& registered_scorers() {
    static std::map<std::string, ScorerFactory> scorers;
    return scorers;
}

std::shared_ptr<attention::Attention> default_scorer(const Seq2SeqConfig& c) {
    if (c.attention == AttentionKind::None) return nullptr;
    return make_scorer(c.scorer, c.hidden_size, source_size(c),
                       c.attention_size > 0 ? c.attention_size : c.hidden_size, c.dtype);
}

std::shared_ptr<Decoder> make_decoder(const Seq2SeqConfig& c,
                                      std::shared_ptr<attention::Attention> scorer) {
    const DecoderOptions options{.vocab_size = c.target_vocab,
                                 .embedding_size = c.embedding_size,
                                 .hidden_size = c.hidden_size,
                                 .source_size = source_size(c),
                                 .cell = c.cell,
                                 .dropout = c.dropout,
                                 .pad = c.pad,
                                 .dtype = c.dtype};
    switch (c.attention) {
        case AttentionKind::None:
            if (c.bridge == Bridge::Zero) {
                throw Error(
                    "Seq2Seq: a decoder without attention needs Bridge::Final: starting "
                    "from zeros, it would never see the source");
            }
            return std::make_shared<PlainDecoder>(options);
        case AttentionKind::Bahdanau:
            return std::make_shared<BahdanauDecoder>(options, std::move(scorer), c.bahdanau_output);
        case AttentionKind::Luong:
            return std::make_shared<LuongDecoder>(options, std::move(scorer));
    }
    throw Error("Seq2Seq: unknown attention kind");
}

// Token ids must lie in their vocabulary; the embedding would otherwise name only its table.
void check_token_ids(const char* who, const char* what, const Tensor& tokens, int64_t vocab_size,
                     int64_t pad) {
    const std::vector<double> ids = tokens.to_vector();  // row-major [B, length]
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] < 0 || ids[i] >= static_cast<double>(vocab_size)) {
            const int64_t length = tokens.size(1);
            throw Error(
                fmt::format("{}: {} {} holds token {} at [{}, {}], outside the vocabulary "
                            "of {} tokens (ids 0..{}, pad {})",
                            who, what, describe(tokens), ids[i], static_cast<int64_t>(i) / length,
                            static_cast<int64_t>(i) % length, vocab_size, vocab_size - 1, pad));
        }
    }
}

void check_batch(const Batch& batch, const Seq2SeqConfig& config) {
    for (const Tensor* t : {&batch.source, &batch.target_input, &batch.target_output}) {
        check_defined("Seq2Seq::loss", *t);
        if (t->dtype() != DType::Int64 || t->dim() != 2) {
            throw Error(fmt::format("Seq2Seq::loss: batch tokens must be int64 [B, length], got {}",
                                    describe(*t)));
        }
    }
    check_token_ids("Seq2Seq::loss", "source", batch.source, config.source_vocab, config.pad);
    check_token_ids("Seq2Seq::loss", "target_input", batch.target_input, config.target_vocab,
                    config.pad);
    check_token_ids("Seq2Seq::loss", "target_output", batch.target_output, config.target_vocab,
                    config.pad);
    if (batch.target_input.shape() != batch.target_output.shape() ||
        batch.target_input.size(0) != batch.source.size(0)) {
        throw Error(fmt::format(
            "Seq2Seq::loss: source {}, target_input {} and target_output {} must share the batch, "
            "and the targets their shape",
            describe(batch.source), describe(batch.target_input), describe(batch.target_output)));
    }
}

// One source batch being decoded: the decoder's state, one row per hypothesis, and the prepared
// source, whose rows follow the hypotheses' sentences.
class Seq2SeqDecoding : public StepModel {
  public:
    Seq2SeqDecoding(const Decoder& decoder, const EncoderOutput& encoded)
        : decoder_(decoder),
          lengths_(encoded.lengths),
          sentences_(decoder.prepare(encoded)),
          source_(sentences_),
          state_(decoder.initial_state(encoded)) {
        for (int64_t b = 0; b < batch_size(); ++b) sentence_of_row_.push_back(b);
    }

    int64_t batch_size() const override { return static_cast<int64_t>(lengths_.size()); }
    int64_t source_length(int64_t b) const override {
        if (b < 0 || b >= batch_size()) {
            throw Error(fmt::format("StepModel::source_length: sentence {} is outside [0, {})", b,
                                    batch_size()));
        }
        return lengths_[static_cast<std::size_t>(b)];
    }

    StepOutput step(const Tensor& tokens) override {
        const NoGradGuard no_grad;
        const int64_t rows = state_.h.size(0);
        if (tokens.dtype() != DType::Int64 || tokens.shape() != Shape{rows}) {
            throw Error(
                fmt::format("StepModel::step: tokens must be int64 [{}] (one per row), "
                            "got {}",
                            rows, describe(tokens)));
        }
        DecoderStep out = decoder_.step(tokens, state_, source_, t_++);
        state_ = std::move(out.state);
        return {log_softmax(out.logits, 1), out.attention};
    }

    void select_rows(const Tensor& rows) override {
        const NoGradGuard no_grad;
        if (rows.dtype() != DType::Int64 || rows.dim() != 1) {
            throw Error(fmt::format("StepModel::select_rows: rows must be int64 [N], got {}",
                                    describe(rows)));
        }
        const auto current = static_cast<int64_t>(sentence_of_row_.size());
        std::vector<int64_t> sentences;
        for (double r : rows.to_vector()) {
            const auto row = static_cast<int64_t>(r);
            if (row < 0 || row >= current) {
                throw Error(
                    fmt::format("StepModel::select_rows: row {} is outside [0, {})", row, current));
            }
            sentences.push_back(sentence_of_row_[static_cast<std::size_t>(row)]);
        }
        state_ = decode::select_rows(state_, rows);
        // Rows of one sentence share its source: the source is reindexed only when the
        // sentences of the rows change (beam search's first step, a sentence leaving), not at
        // every reordering of the hypotheses within their sentences.
        if (sentences != sentence_of_row_) {
            std::vector<double> indices(sentences.begin(), sentences.end());
            source_ = decoder_.select_source_rows(
                sentences_, tensor(indices, {static_cast<int64_t>(indices.size())}, DType::Int64));
            sentence_of_row_ = std::move(sentences);
        }
    }

  private:
    const Decoder& decoder_;
    std::vector<int64_t> lengths_;
    attention::PreparedSource sentences_;  // one row per sentence, as prepared
    attention::PreparedSource source_;     // one row per current row
    std::vector<int64_t> sentence_of_row_;
    DecoderState state_;
    int64_t t_ = 0;
};

}  // namespace

std::shared_ptr<attention::Attention> make_scorer(const std::string& name, int64_t query_size,
                                                  int64_t key_size, int64_t attention_size,
                                                  DType dtype) {
    using namespace attention;
    if (name == "bahdanau") {
        return std::make_shared<BahdanauAttention>(query_size, key_size, attention_size, dtype);
    }
    if (name == "concat") {
        return std::make_shared<ConcatAttention>(query_size, key_size, attention_size, dtype);
    }
    if (name == "general") return std::make_shared<GeneralAttention>(query_size, key_size, dtype);
    if (name == "dot" || name == "scaled_dot") {
        if (query_size != key_size) {
            throw Error(
                fmt::format("make_scorer: {} needs queries and keys of one size, got {} "
                            "and {} (a bidirectional encoder's states are twice the "
                            "decoder's: use general)",
                            name, query_size, key_size));
        }
        if (name == "dot") return std::make_shared<DotAttention>(query_size);
        return std::make_shared<ScaledDotAttention>(query_size);
    }
    const auto registered = registered_scorers().find(name);
    if (registered != registered_scorers().end()) {
        auto scorer = registered->second(query_size, key_size, attention_size, dtype);
        if (!scorer)
            throw Error(fmt::format("make_scorer: the factory of '{}' made no scorer", name));
        return scorer;
    }
    std::string known = fmt::format("{}", fmt::join(kBuiltInScorers, ", "));
    for (const auto& [other, factory] : registered_scorers()) known += ", " + other;
    throw Error(fmt::format("make_scorer: unknown scorer '{}' ({}; register_scorer adds one)", name,
                            known));
}

void register_scorer(const std::string& name, ScorerFactory factory) {
    if (name.empty() || !factory) {
        throw Error("register_scorer: a scorer needs a name and a factory");
    }
    const bool built_in =
        std::find(kBuiltInScorers.begin(), kBuiltInScorers.end(), name) != kBuiltInScorers.end();
    if (built_in || registered_scorers().count(name) > 0) {
        throw Error(fmt::format("register_scorer: the name '{}' is taken{}", name,
                                built_in ? " by a built-in scorer" : ""));
    }
    registered_scorers().emplace(name, std::move(factory));
}

Seq2Seq::Seq2Seq(const Seq2SeqConfig& config) : Seq2Seq(config, default_scorer(checked(config))) {}

Seq2Seq::Seq2Seq(const Seq2SeqConfig& config, std::shared_ptr<attention::Attention> scorer)
    : Module("Seq2Seq"), config_(checked(config)) {
    if (config.attention == AttentionKind::None && scorer) {
        throw Error("Seq2Seq: a scorer was given for a model without attention");
    }
    encoder_ = register_module(
        "encoder", std::make_shared<Encoder>(EncoderOptions{.vocab_size = config.source_vocab,
                                                            .embedding_size = config.embedding_size,
                                                            .hidden_size = config.hidden_size,
                                                            .cell = config.cell,
                                                            .num_layers = config.num_layers,
                                                            .bidirectional = config.bidirectional,
                                                            .bridge = config.bridge,
                                                            .dropout = config.dropout,
                                                            .pad = config.pad,
                                                            .dtype = config.dtype}));
    decoder_ = register_module("decoder", make_decoder(config, std::move(scorer)));
}

Tensor Seq2Seq::decode_target(const Batch& batch, double teacher_forcing_ratio,
                              Generator& generator) const {
    check_batch(batch, config_);
    if (!(teacher_forcing_ratio >= 0.0 && teacher_forcing_ratio <= 1.0)) {
        throw Error(fmt::format("Seq2Seq::loss: teacher_forcing_ratio must be in [0, 1], got {}",
                                teacher_forcing_ratio));
    }
    const WeightPacking packing;  // the weights, packed once for every step
    const EncoderOutput encoded = encoder_->forward(batch.source, batch.source_lengths);
    const attention::PreparedSource source = decoder_->prepare(encoded);
    DecoderState state = decoder_->initial_state(encoded);
    const int64_t batch_size = batch.target_input.size(0), steps = batch.target_input.size(1);
    std::vector<Tensor> logits;                                    // T x [B, V]
    Tensor tokens = batch.target_input.select(1, 0).contiguous();  // [B]: <sos>
    for (int64_t t = 0; t < steps; ++t) {
        DecoderStep out = decoder_->step(tokens, state, source, t);
        state = std::move(out.state);
        if (t + 1 < steps) {
            tokens = batch.target_input.select(1, t + 1).contiguous();
            if (teacher_forcing_ratio < 1.0) {  // scheduled sampling: some rows feed themselves
                const Tensor teacher =
                    bernoulli({batch_size}, teacher_forcing_ratio, DType::Bool, generator);
                tokens = where(teacher, tokens, argmax(out.logits.detach(), 1));
            }
        }
        logits.push_back(std::move(out.logits));
    }
    return stack(logits, 1);  // [B, T, V]
}

Tensor Seq2Seq::forward(const Batch& batch) const {
    return decode_target(batch, 1.0, default_generator());
}

Tensor Seq2Seq::loss(const Batch& batch, double teacher_forcing_ratio, Generator* generator) const {
    const Tensor logits =
        decode_target(batch, teacher_forcing_ratio, generator ? *generator : default_generator());
    return cross_entropy(logits.reshape({-1, config_.target_vocab}),
                         batch.target_output.reshape({-1}), {.ignore_index = config_.pad});
}

std::unique_ptr<StepModel> Seq2Seq::start_decoding(const Tensor& source,
                                                   const Tensor& lengths) const {
    const NoGradGuard no_grad;
    if (source.defined() && source.dtype() == DType::Int64 && source.dim() == 2) {
        check_token_ids("Seq2Seq::start_decoding", "source", source, config_.source_vocab,
                        config_.pad);
    }
    return std::make_unique<Seq2SeqDecoding>(*decoder_, encoder_->forward(source, lengths));
}

}  // namespace glimpse::decode
