#include "decode/encoder.hpp"

#include <fmt/format.h>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/gru.hpp"
#include "nn/lstm.hpp"
#include "nn/rnn.hpp"

namespace glimpse::decode {

namespace {

std::shared_ptr<nn::RecurrentLayer> make_layer(const EncoderOptions& o) {
    const nn::RecurrentOptions options{.num_layers = o.num_layers,
                                       .dropout = o.dropout,
                                       .bidirectional = o.bidirectional,
                                       .dtype = o.dtype};
    switch (o.cell) {
        case nn::CellKind::LSTM:
            return std::make_shared<nn::LSTM>(o.embedding_size, o.hidden_size, options);
        case nn::CellKind::GRU:
            return std::make_shared<nn::GRU>(o.embedding_size, o.hidden_size, options);
        case nn::CellKind::RNNTanh:
            return std::make_shared<nn::RNN>(o.embedding_size, o.hidden_size, options);
        case nn::CellKind::RNNReLU:
            return std::make_shared<nn::RNN>(o.embedding_size, o.hidden_size, options,
                                             nn::Nonlinearity::ReLU);
    }
    throw Error("Encoder: unknown cell kind");
}

void check_source(const Tensor& source, const Tensor& lengths) {
    check_defined("Encoder", source);
    if (source.dtype() != DType::Int64 || source.dim() != 2) {
        throw Error(
            fmt::format("Encoder: source must be int64 [batch, length], got {}", describe(source)));
    }
    if (lengths.defined() &&
        (lengths.dtype() != DType::Int64 || lengths.shape() != Shape{source.size(0)})) {
        throw Error(fmt::format("Encoder: lengths must be int64 [{}] for source {}, got {}",
                                source.size(0), describe(source), describe(lengths)));
    }
}

}  // namespace

Encoder::Encoder(const EncoderOptions& options) : Module("Encoder"), options_(options) {
    if (options.vocab_size <= 0 || options.embedding_size <= 0 || options.hidden_size <= 0) {
        throw Error(
            fmt::format("Encoder: sizes must be positive, got vocab_size={}, embedding_size={}, "
                        "hidden_size={}",
                        options.vocab_size, options.embedding_size, options.hidden_size));
    }
    embedding_ = register_module(
        "embedding", std::make_shared<nn::Embedding>(options.vocab_size, options.embedding_size,
                                                     options.pad, options.dtype));
    rnn_ = register_module("rnn", make_layer(options));
    if (options.bridge == Bridge::Final && options.bidirectional) {
        const int64_t h = options.hidden_size;
        bridge_h_ = register_module("bridge_h",
                                    std::make_shared<nn::Linear>(2 * h, h, true, options.dtype));
        if (options.cell == nn::CellKind::LSTM) {
            bridge_c_ = register_module(
                "bridge_c", std::make_shared<nn::Linear>(2 * h, h, true, options.dtype));
        }
    }
}

EncoderOutput Encoder::forward(const Tensor& source, const Tensor& lengths) const {
    check_source(source, lengths);
    const int64_t batch = source.size(0), steps = source.size(1);
    const Tensor embedded =
        dropout(embedding_->forward(source), options_.dropout, is_training());  // [B, S, E]
    const nn::RecurrentOutput result =
        nn::recurrent_forward("Encoder", options_.cell, embedded, Tensor(), Tensor(), lengths,
                              rnn_->weights(), rnn_->options(), is_training());
    EncoderOutput out;
    out.outputs = result.output;  // [B, S, D*H]
    out.initial = bridge(result);
    if (lengths.defined()) {
        // position s is real where s < length: [1, S] < [B, 1] -> [B, S]
        out.mask = lt(arange(steps).unsqueeze(0), lengths.unsqueeze(1));
        for (double v : lengths.to_vector()) out.lengths.push_back(static_cast<int64_t>(v));
    } else {
        out.lengths.assign(static_cast<std::size_t>(batch), steps);
    }
    return out;
}

nn::LSTMState Encoder::bridge(const nn::RecurrentOutput& result) const {
    if (options_.bridge == Bridge::Zero) return {};
    const bool lstm = options_.cell == nn::CellKind::LSTM;
    const int64_t top = options_.num_layers - 1;
    if (!options_.bidirectional) {  // the top layer's final state [B, H]
        return {result.h_n.select(0, top), lstm ? result.c_n.select(0, top) : Tensor()};
    }
    // [h_fwd; h_bwd] [B, 2H] of the top layer, mapped to [B, H]
    const auto both = [&](const Tensor& finals) {
        return cat({finals.select(0, 2 * top), finals.select(0, 2 * top + 1)}, 1);
    };
    return {tanh(bridge_h_->forward(both(result.h_n))),
            lstm ? tanh(bridge_c_->forward(both(result.c_n))) : Tensor()};
}

std::string Encoder::extra_repr() const {
    return fmt::format("{}, layers={}, bidirectional={}, bridge={}",
                       nn::cell_kind_name(options_.cell), options_.num_layers,
                       options_.bidirectional, options_.bridge == Bridge::Zero ? "zero" : "final");
}

}  // namespace glimpse::decode
