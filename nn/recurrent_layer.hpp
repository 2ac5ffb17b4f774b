#pragma once
// What the sequence layers RNN, LSTM and GRU share. A sequence layer runs its cell over a whole
// batch of sequences, input [B, T, I] (batch_first, the default), with PyTorch's options:
//   num_layers     stacked layers: layer l reads the outputs of layer l-1
//   bidirectional  a second cell per layer reads each sequence backwards; the output of a step is
//                  [forward h_t, reverse h_t], [B, T, 2H]
//   dropout        on the outputs of every layer but the last, in training mode only
// and PyTorch's parameter names: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, then
// weight_ih_l0_reverse ... for the reverse direction, then _l1 ..., so that weights move
// between glimpse and PyTorch unchanged.
//
// A padded batch gives each sequence's real length (Lengths): steps past it never change that
// sequence's final state and their outputs are zero, and the reverse direction starts at the
// sequence's own last step, as with PyTorch's pack_padded_sequence.
//
// Every layer runs on the fused recurrence (nn/fused_recurrence.cpp): per layer, one GEMM
// projects the inputs of all steps at once, and each step is one GEMM plus one fused kernel.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "nn/fused_recurrence.hpp"
#include "nn/recurrent_cell.hpp"

namespace glimpse::nn {

struct RecurrentOptions {
    int64_t num_layers = 1;
    bool bias = true;
    bool batch_first = true;  // [batch, time, features]; false: [time, batch, features]
    double dropout = 0.0;     // between layers, in training mode only
    bool bidirectional = false;
    DType dtype = DType::Float32;
};

// The real length of each sequence of a padded batch: B values in [1, T], from an int64 tensor
// [B] or a list. Given none, every sequence is T steps long.
class Lengths {
  public:
    Lengths() = default;
    Lengths(std::vector<int64_t> values) : values_(std::move(values)), given_(true) {}
    Lengths(std::initializer_list<int64_t> values) : values_(values), given_(true) {}
    Lengths(const Tensor& values);  // int64 [B]; an undefined tensor gives none

    bool given() const { return given_; }
    const std::vector<int64_t>& values() const { return values_; }

  private:
    std::vector<int64_t> values_;
    bool given_ = false;
};

// What a sequence layer returns, as PyTorch does: output [B, T, D*H] (D = 2 when
// bidirectional; [T, B, D*H] when not batch_first), zero at padded steps; and the final states
// [num_layers * D, B, H], layer by layer, forward before reverse.
struct RecurrentOutput {
    Tensor output;
    Tensor h_n;
    Tensor c_n;  // LSTM only
};

// The layers as a function of their weights: what RNN, LSTM and GRU's forward run with their
// parameters, and what the gradient checks run with their own. `weights` holds
// num_layers * D cells, layer by layer, forward before reverse. h0 (and c0 for LSTM) are
// [num_layers * D, B, H], zeros when undefined. Errors name `who` ("LSTM").
RecurrentOutput recurrent_forward(const std::string& who, CellKind kind, const Tensor& input,
                                  const Tensor& h0, const Tensor& c0, const Lengths& lengths,
                                  const std::vector<CellWeights>& weights,
                                  const RecurrentOptions& options, bool training);

// The base of the three sequence modules: sizes, options, and the registered weights.
class RecurrentLayer : public RecurrentModule {
  public:
    int64_t input_size() const { return input_size_; }
    int64_t hidden_size() const { return hidden_size_; }
    const RecurrentOptions& options() const { return options_; }
    int64_t num_directions() const { return options_.bidirectional ? 2 : 1; }
    // One CellWeights per layer and direction, in recurrent_forward's order.
    const std::vector<CellWeights>& weights() const { return weights_; }
    std::string extra_repr() const override;

  protected:
    RecurrentLayer(std::string type_name, CellKind kind, int64_t input_size, int64_t hidden_size,
                   RecurrentOptions options);
    RecurrentOutput run(const Tensor& input, const Tensor& h0, const Tensor& c0,
                        const Lengths& lengths) const;

  private:
    CellKind kind_;
    int64_t input_size_;
    int64_t hidden_size_;
    RecurrentOptions options_;
    std::vector<CellWeights> weights_;
};

}  // namespace glimpse::nn
