#include "decode/decoder.hpp"

#include <fmt/format.h>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/gru_cell.hpp"
#include "nn/lstm_cell.hpp"
#include "nn/rnn_cell.hpp"

namespace glimpse::decode {

namespace {

Tensor rows_of(const Tensor& x, const Tensor& rows) {
    return x.defined() ? index_select(x, 0, rows) : x;
}

std::shared_ptr<nn::RecurrentCell> make_cell(nn::CellKind kind, int64_t input, int64_t hidden,
                                             DType dtype) {
    const nn::CellOptions options{.dtype = dtype};
    switch (kind) {
        case nn::CellKind::LSTM:
            return std::make_shared<nn::LSTMCell>(input, hidden, options);
        case nn::CellKind::GRU:
            return std::make_shared<nn::GRUCell>(input, hidden, options);
        case nn::CellKind::RNNTanh:
            return std::make_shared<nn::RNNCell>(input, hidden, options);
        case nn::CellKind::RNNReLU:
            return std::make_shared<nn::RNNCell>(input, hidden, options, nn::Nonlinearity::ReLU);
    }
    throw Error("Decoder: unknown cell kind");
}

}  // namespace

DecoderState select_rows(const DecoderState& state, const Tensor& rows) {
    return {rows_of(state.h, rows), rows_of(state.c, rows), rows_of(state.feed, rows)};
}

Decoder::Decoder(std::string name, const DecoderOptions& options)
    : Module(std::move(name)), options_(options) {
    if (options.vocab_size <= 0 || options.embedding_size <= 0 || options.hidden_size <= 0) {
        throw Error(fmt::format(
            "{}: sizes must be positive, got vocab_size={}, embedding_size={}, hidden_size={}",
            type_name(), options.vocab_size, options.embedding_size, options.hidden_size));
    }
    embedding_ = register_module(
        "embedding", std::make_shared<nn::Embedding>(options.vocab_size, options.embedding_size,
                                                     options.pad, options.dtype));
}

void Decoder::register_cell(int64_t input_size) {
    cell_ = register_module(
        "cell", make_cell(options_.cell, input_size, options_.hidden_size, options_.dtype));
}

void Decoder::register_attention(std::shared_ptr<attention::Attention> attention) {
    if (!attention) throw Error(fmt::format("{}: the attention is missing", type_name()));
    const int64_t keys = attention->key_size;
    if (attention->query_size != options_.hidden_size ||
        (keys != -1 && keys != options_.source_size)) {
        throw Error(fmt::format(
            "{}: the attention {} takes queries of {} and keys of {}; this decoder's queries "
            "(its hidden state) have {} and its keys (the encoder's states) {}",
            type_name(), attention->type_name(), attention->query_size, keys, options_.hidden_size,
            options_.source_size));
    }
    attention_ = register_module("attention", std::move(attention));
}

attention::PreparedSource Decoder::prepare(const EncoderOutput& encoded) const {
    if (!attention_) return {};
    return attention_->prepare(encoded.outputs, encoded.outputs, encoded.mask);
}

DecoderState Decoder::initial_state(const EncoderOutput& encoded) const {
    const Shape shape{encoded.outputs.size(0), options_.hidden_size};
    const auto or_zeros = [&](const Tensor& x) {
        if (!x.defined()) return zeros(shape, options_.dtype);
        if (x.shape() != shape) {
            throw Error(fmt::format("{}: the encoder's final state {} must be {} (batch, hidden)",
                                    type_name(), describe(x), shape_str(shape)));
        }
        return x;
    };
    const bool lstm = options_.cell == nn::CellKind::LSTM;
    return {or_zeros(encoded.initial.h), lstm ? or_zeros(encoded.initial.c) : Tensor(), Tensor()};
}

attention::PreparedSource Decoder::select_source_rows(const attention::PreparedSource& source,
                                                      const Tensor& rows) const {
    return attention_ ? attention_->select_rows(source, rows) : source;
}

Tensor Decoder::embed(const Tensor& tokens) const {
    return drop(embedding_->forward(tokens));
}

Tensor Decoder::drop(const Tensor& x) const {
    return dropout(x, options_.dropout, is_training());
}

nn::LSTMState Decoder::advance(const Tensor& x, const DecoderState& state) const {
    switch (options_.cell) {
        case nn::CellKind::LSTM:
            return static_cast<const nn::LSTMCell&>(*cell_).forward(x, {state.h, state.c});
        case nn::CellKind::GRU:
            return {static_cast<const nn::GRUCell&>(*cell_).forward(x, state.h), Tensor()};
        case nn::CellKind::RNNTanh:
        case nn::CellKind::RNNReLU:
            return {static_cast<const nn::RNNCell&>(*cell_).forward(x, state.h), Tensor()};
    }
    throw Error("Decoder: unknown cell kind");
}

std::string Decoder::extra_repr() const {
    return fmt::format("{}, vocab={}, hidden={}", cell_name(options_.cell), options_.vocab_size,
                       options_.hidden_size);
}

}  // namespace glimpse::decode
