#include "nn/recurrent_layer.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::nn {

namespace {

void check_options(const std::string& who, const RecurrentOptions& options) {
    if (options.num_layers < 1) {
        throw Error(
            fmt::format("{}: num_layers must be at least 1, got {}", who, options.num_layers));
    }
    if (!(options.dropout >= 0.0 && options.dropout < 1.0)) {
        throw Error(fmt::format("{}: dropout must be in [0, 1), got {}", who, options.dropout));
    }
}

// Every cell of every layer fits its place: layer 0 reads the input, layer l > 0 reads the
// D*H outputs of layer l-1, and every cell has the hidden size of the first.
void check_weights(const std::string& who, CellKind kind, const std::vector<CellWeights>& weights,
                   const RecurrentOptions& options) {
    const int64_t directions = options.bidirectional ? 2 : 1;
    const int64_t expected = options.num_layers * directions;
    if (static_cast<int64_t>(weights.size()) != expected) {
        throw Error(
            fmt::format("{}: {} cells' weights given, expected num_layers * directions = {}", who,
                        weights.size(), expected));
    }
    const int64_t gates = gate_count(kind);
    for (const CellWeights& w : weights) check_cell_weights(who, w, gates);
    const int64_t hidden = weights[0].hidden_size(gates);
    for (std::size_t k = 0; k < weights.size(); ++k) {
        const int64_t layer = static_cast<int64_t>(k) / directions;
        const int64_t input = layer == 0 ? weights[0].input_size() : directions * hidden;
        if (weights[k].hidden_size(gates) != hidden || weights[k].input_size() != input ||
            weights[k].weight_hh.dtype() != weights[0].weight_hh.dtype()) {
            throw Error(fmt::format(
                "{}: the weights of layer {} (weight_ih {} {}) do not fit: expected input size "
                "{}, hidden size {} and dtype {}",
                who, layer, shape_str(weights[k].weight_ih.shape()),
                dtype_name(weights[k].weight_ih.dtype()), input, hidden,
                dtype_name(weights[0].weight_hh.dtype())));
        }
    }
}

const char* layout(bool batch_first) {
    return batch_first ? "batch, time, features" : "time, batch, features";
}

void check_input(const std::string& who, const Tensor& input, const CellWeights& first,
                 bool batch_first) {
    if (!input.defined()) throw Error(fmt::format("{}: the input is undefined", who));
    const int64_t features = first.input_size();
    if (input.dim() != 3 || input.size(2) != features) {
        throw Error(fmt::format("{}: input must be 3-D [{}] with {} features, got {}", who,
                                layout(batch_first), features, describe_tensor(input)));
    }
    if (input.dtype() != first.weight_hh.dtype()) {
        throw Error(fmt::format("{}: input is {} but the weights are {}", who,
                                describe_tensor(input), dtype_name(first.weight_hh.dtype())));
    }
    if (input.size(batch_first ? 1 : 0) == 0) {
        throw Error(fmt::format("{}: input {} [{}] has no time steps", who, describe_tensor(input),
                                layout(batch_first)));
    }
}

// The initial state `name` ("h_0"), or zeros when undefined: [num_layers * D, B, H].
Tensor initial_state(const std::string& who, const char* name, const Tensor& given,
                     const Shape& shape, DType dtype) {
    if (!given.defined()) return zeros(shape, dtype);
    if (given.shape() != shape || given.dtype() != dtype) {
        throw Error(fmt::format(
            "{}: {} must be {} {} (num_layers * num_directions, batch, hidden_size), got {}", who,
            name, shape_str(shape), dtype_name(dtype), describe_tensor(given)));
    }
    return given;
}

std::vector<int64_t> checked_lengths(const std::string& who, const Lengths& lengths,
                                     const Shape& x_shape) {
    const int64_t batch = x_shape[0];
    const int64_t steps = x_shape[1];
    if (!lengths.given()) return {};
    const std::vector<int64_t>& values = lengths.values();
    if (static_cast<int64_t>(values.size()) != batch) {
        throw Error(fmt::format("{}: lengths has {} values for a batch of {} sequences", who,
                                values.size(), batch));
    }
    for (std::size_t b = 0; b < values.size(); ++b) {
        if (values[b] < 1 || values[b] > steps) {
            throw Error(fmt::format(
                "{}: lengths[{}] = {} is out of range: a length must be in [1, {}], the input's "
                "time steps",
                who, b, values[b], steps));
        }
    }
    return values;
}

// Each layer's final states [D, B, H], one after the other: [num_layers * D, B, H].
Tensor stacked(const std::vector<Tensor>& per_layer) {
    if (per_layer.empty()) return Tensor();
    return per_layer.size() == 1 ? per_layer[0] : cat(per_layer, 0);
}

}  // namespace

Lengths::Lengths(const Tensor& values) {
    if (!values.defined()) return;
    if (values.dtype() != DType::Int64 || values.dim() != 1) {
        throw Error(fmt::format("Lengths: lengths must be an int64 tensor [batch], got {}",
                                describe_tensor(values)));
    }
    for (double v : values.to_vector()) values_.push_back(static_cast<int64_t>(v));
    given_ = true;
}

RecurrentOutput recurrent_forward(const std::string& who, CellKind kind, const Tensor& input,
                                  const Tensor& h0, const Tensor& c0, const Lengths& lengths,
                                  const std::vector<CellWeights>& weights,
                                  const RecurrentOptions& options, bool training) {
    check_options(who, options);
    check_weights(who, kind, weights, options);
    check_input(who, input, weights[0], options.batch_first);
    const Tensor x0 = options.batch_first ? input : input.transpose(0, 1);  // [B, T, I]
    const std::vector<int64_t> real_lengths = checked_lengths(who, lengths, x0.shape());
    const int64_t directions = options.bidirectional ? 2 : 1;
    const int64_t hidden = weights[0].hidden_size(gate_count(kind));
    const Shape state_shape{options.num_layers * directions, x0.size(0), hidden};
    const DType dtype = input.dtype();
    const Tensor h_start = initial_state(who, "h_0", h0, state_shape, dtype);
    const Tensor c_start =
        kind == CellKind::LSTM ? initial_state(who, "c_0", c0, state_shape, dtype) : Tensor();

    Tensor x = x0;
    std::vector<Tensor> h_n, c_n;
    for (int64_t layer = 0; layer < options.num_layers; ++layer) {
        const int64_t first = layer * directions;
        const std::vector<CellWeights> cells(weights.begin() + first,
                                             weights.begin() + first + directions);
        const Tensor c_layer = c_start.defined() ? c_start.narrow(0, first, directions) : Tensor();
        const FusedLayerResult result = fused_layer(kind, x, h_start.narrow(0, first, directions),
                                                    c_layer, cells, real_lengths);
        h_n.push_back(result.h_n);
        if (result.c_n.defined()) c_n.push_back(result.c_n);
        x = result.output;  // [B, T, D*H]
        const bool last = layer + 1 == options.num_layers;
        if (training && !last) x = dropout(x, options.dropout, true);
    }
    return {options.batch_first ? x : x.transpose(0, 1), stacked(h_n), stacked(c_n)};
}

RecurrentLayer::RecurrentLayer(std::string type_name, CellKind kind, int64_t input_size,
                               int64_t hidden_size, RecurrentOptions options)
    : RecurrentModule(std::move(type_name)),
      kind_(kind),
      input_size_(input_size),
      hidden_size_(hidden_size),
      options_(options) {
    check_sizes(this->type_name(), input_size, hidden_size);
    check_options(this->type_name(), options);
    const int64_t directions = num_directions();
    for (int64_t layer = 0; layer < options.num_layers; ++layer) {
        const int64_t layer_input = layer == 0 ? input_size : directions * hidden_size;
        for (int64_t d = 0; d < directions; ++d) {
            const std::string suffix = fmt::format("_l{}{}", layer, d == 1 ? "_reverse" : "");
            weights_.push_back(register_cell_weights(
                suffix, layer_input, hidden_size, gate_count(kind), options.bias, options.dtype));
        }
    }
}

RecurrentOutput RecurrentLayer::run(const Tensor& input, const Tensor& h0, const Tensor& c0,
                                    const Lengths& lengths) const {
    return recurrent_forward(type_name(), kind_, input, h0, c0, lengths, weights_, options_,
                             is_training());
}

std::string RecurrentLayer::extra_repr() const {
    return fmt::format(
        "input_size={}, hidden_size={}, num_layers={}, bias={}, batch_first={}, dropout={}, "
        "bidirectional={}",
        input_size_, hidden_size_, options_.num_layers, options_.bias, options_.batch_first,
        options_.dropout, options_.bidirectional);
}

}  // namespace glimpse::nn
