#pragma once
// What the recurrent cells (RNNCell, LSTMCell, GRUCell) and the sequence layers built from them
// (RNN, LSTM, GRU) share: a cell's weights, named, shaped and initialised as in PyTorch; the
// choice between a cell's composed and fused implementation; and the checks of a step's inputs.

#include <cstdint>
#include <string>

#include "core/tensor.hpp"
#include "nn/module.hpp"

namespace glimpse::nn {

// How a cell computes a step. Both give the same numbers (tests/test_*_cell.cpp prove it):
//   Composed  the equations written with core ops, one op per term, so autograd derives the
//             backward: the one to read (nn/*_cell.cpp).
//   Fused     one GEMM for all gates, one elementwise pass for every nonlinearity and the new
//             state, and a hand-written backward: the one to run (nn/*_fused.hpp).
enum class CellImpl { Composed, Fused };

// The nonlinearity of a plain RNN cell: h' = tanh(...) or relu(...).
enum class Nonlinearity { Tanh, ReLU };

struct CellOptions {
    bool bias = true;  // with bias_ih and bias_hh
    CellImpl impl = CellImpl::Fused;
    DType dtype = DType::Float32;
};

// One cell's weights, with PyTorch's names and layout. The G gates' weights are stacked in one
// matrix, gate after gate (LSTM: i, f, g, o; GRU: r, z, n; RNN: one), so that one GEMM computes
// every gate. H is the hidden size, I the input size.
struct CellWeights {
    Tensor weight_ih;  // [G*H, I]
    Tensor weight_hh;  // [G*H, H]
    Tensor bias_ih;    // [G*H], or undefined without bias
    Tensor bias_hh;    // [G*H], or undefined without bias

    int64_t hidden_size(int64_t gates) const { return weight_hh.size(0) / gates; }
    int64_t input_size() const { return weight_ih.size(1); }
};

// Throws an Error naming `who` ("LSTMCell") unless the weights fit one another as a cell of
// `gates` gates: shapes, one floating dtype, biases both given or both absent.
void check_cell_weights(const std::string& who, const CellWeights& w, int64_t gates);

// Throws an Error naming `who` unless the weights fit (check_cell_weights) and x is [B, I] of
// their dtype.
void check_cell_input(const std::string& who, const Tensor& x, const CellWeights& w, int64_t gates);
// Throws an Error naming `who` and the state (`name`: "h", "c") unless it is [B, H], B being x's
// batch, of the weights' dtype. Check the input first.
void check_cell_state(const std::string& who, const char* name, const Tensor& state,
                      const Tensor& x, const CellWeights& w, int64_t gates);

// For the composed cells: gate k's term from the input, W_i* x + b_i*, and from the hidden
// state, W_h* h + b_h*, each from rows [k*H, (k+1)*H) of the stacked weights.
Tensor input_term(const Tensor& x, const CellWeights& w, int64_t gate, int64_t gates);
Tensor hidden_term(const Tensor& h, const CellWeights& w, int64_t gate, int64_t gates);

// "[3, 4] float32": how error messages show a tensor.
std::string describe_tensor(const Tensor& x);

// The base of the recurrent modules, cells and sequence layers: it registers a cell's weights.
class RecurrentModule : public Module {
  protected:
    using Module::Module;
    // Registers weight_ih<suffix>, weight_hh<suffix>, and with bias bias_ih<suffix> and
    // bias_hh<suffix>, for a cell of `gates` gates, each value drawn from U(-1/sqrt(H),
    // 1/sqrt(H)) as in PyTorch's reset_parameters().
    CellWeights register_cell_weights(const std::string& suffix, int64_t input_size,
                                      int64_t hidden_size, int64_t gates, bool bias, DType dtype);
};

// The base of the three cell modules: the sizes, the options and the registered weights.
class RecurrentCell : public RecurrentModule {
  public:
    int64_t input_size() const { return input_size_; }
    int64_t hidden_size() const { return hidden_size_; }
    const CellOptions& options() const { return options_; }
    const CellWeights& weights() const { return weights_; }
    std::string extra_repr() const override;

  protected:
    RecurrentCell(std::string type_name, int64_t input_size, int64_t hidden_size, int64_t gates,
                  CellOptions options);
    // state when given, else zeros [B, H]: a missing initial state is zero, as in PyTorch.
    Tensor state_or_zeros(const Tensor& state, const Tensor& x) const;

  private:
    int64_t input_size_;
    int64_t hidden_size_;
    CellOptions options_;
    CellWeights weights_;
};

// A module's sizes must be positive: throws an Error naming `who` otherwise.
void check_sizes(const std::string& who, int64_t input_size, int64_t hidden_size);

}  // namespace glimpse::nn
