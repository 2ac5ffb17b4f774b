#include "nn/recurrent_cell.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"

namespace glimpse::nn {

namespace {

// Throws unless `t` is defined with exactly `expected` as its shape.
void check_shape(const std::string& who, const char* name, const Tensor& t, const Shape& expected,
                 const char* meaning) {
    if (!t.defined()) throw Error(fmt::format("{}: {} is undefined", who, name));
    if (t.shape() != expected) {
        throw Error(fmt::format("{}: {} must be {} ({}), got {}", who, name, shape_str(expected),
                                meaning, describe_tensor(t)));
    }
}

void check_dtype_matches(const std::string& who, const char* name, const Tensor& t,
                         const Tensor& weight) {
    if (t.dtype() != weight.dtype()) {
        throw Error(fmt::format("{}: {} is {} but the weights are {}", who, name,
                                describe_tensor(t), dtype_name(weight.dtype())));
    }
}

// W x + b, with b undefined meaning no bias.
Tensor affine(const Tensor& x, const Tensor& weight, const Tensor& bias) {
    const Tensor product = matmul(x, weight.t());
    return bias.defined() ? product + bias : product;
}

// Rows [k*H, (k+1)*H) of a stacked weight or bias: gate k's block (undefined stays undefined).
Tensor gate_block(const Tensor& stacked, int64_t gate, int64_t gates) {
    if (!stacked.defined()) return stacked;
    const int64_t H = stacked.size(0) / gates;
    return stacked.narrow(0, gate * H, H);
}

}  // namespace

std::string describe_tensor(const Tensor& x) {
    return fmt::format("{} {}", shape_str(x.shape()), dtype_name(x.dtype()));
}

void check_sizes(const std::string& who, int64_t input_size, int64_t hidden_size) {
    if (input_size < 1 || hidden_size < 1) {
        throw Error(fmt::format("{}: input_size and hidden_size must be positive, got {} and {}",
                                who, input_size, hidden_size));
    }
}

CellWeights RecurrentModule::register_cell_weights(const std::string& suffix, int64_t input_size,
                                                   int64_t hidden_size, int64_t gates, bool bias,
                                                   DType dtype) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_size));
    const int64_t rows = gates * hidden_size;
    const auto draw = [&](const std::string& name, const Shape& shape) {
        return register_parameter(name + suffix, uniform(shape, -bound, bound, dtype));
    };
    CellWeights w;
    w.weight_ih = draw("weight_ih", {rows, input_size});
    w.weight_hh = draw("weight_hh", {rows, hidden_size});
    if (bias) {
        w.bias_ih = draw("bias_ih", {rows});
        w.bias_hh = draw("bias_hh", {rows});
    }
    return w;
}

void check_cell_weights(const std::string& who, const CellWeights& w, int64_t gates) {
    if (!w.weight_ih.defined() || !w.weight_hh.defined()) {
        throw Error(fmt::format("{}: weight_ih and weight_hh must be given", who));
    }
    if (!is_floating(w.weight_hh.dtype())) {
        throw Error(fmt::format("{}: weight_hh must be floating, got {}", who,
                                describe_tensor(w.weight_hh)));
    }
    const Shape& hh = w.weight_hh.shape();
    if (hh.size() != 2 || hh[0] % gates != 0 || hh[0] != gates * hh[1] || hh[1] == 0) {
        throw Error(fmt::format("{}: weight_hh must be [{} * hidden_size, hidden_size], got {}",
                                who, gates, describe_tensor(w.weight_hh)));
    }
    const int64_t rows = hh[0];
    if (w.weight_ih.dim() != 2 || w.weight_ih.size(0) != rows) {
        throw Error(
            fmt::format("{}: weight_ih must be [{}, input_size] to match weight_hh {}, got {}", who,
                        rows, shape_str(hh), describe_tensor(w.weight_ih)));
    }
    check_dtype_matches(who, "weight_ih", w.weight_ih, w.weight_hh);
    if (w.bias_ih.defined() != w.bias_hh.defined()) {
        throw Error(fmt::format("{}: bias_ih and bias_hh must be both given or both absent", who));
    }
    if (!w.bias_ih.defined()) return;
    check_shape(who, "bias_ih", w.bias_ih, {rows}, "one value per gate row of weight_ih");
    check_shape(who, "bias_hh", w.bias_hh, {rows}, "one value per gate row of weight_hh");
    check_dtype_matches(who, "bias_ih", w.bias_ih, w.weight_hh);
    check_dtype_matches(who, "bias_hh", w.bias_hh, w.weight_hh);
}

void check_cell_input(const std::string& who, const Tensor& x, const CellWeights& w,
                      int64_t gates) {
    check_cell_weights(who, w, gates);
    const int64_t input_size = w.input_size();
    if (!x.defined()) throw Error(fmt::format("{}: the input is undefined", who));
    if (x.dim() != 2 || x.size(1) != input_size) {
        throw Error(fmt::format("{}: input must be [batch, {}] (2-D, input_size {}), got {}", who,
                                input_size, input_size, describe_tensor(x)));
    }
    check_dtype_matches(who, "input", x, w.weight_hh);
}

void check_cell_state(const std::string& who, const char* name, const Tensor& state,
                      const Tensor& x, const CellWeights& w, int64_t gates) {
    check_shape(who, name, state, {x.size(0), w.hidden_size(gates)}, "batch, hidden_size");
    check_dtype_matches(who, name, state, w.weight_hh);
}

Tensor input_term(const Tensor& x, const CellWeights& w, int64_t gate, int64_t gates) {
    return affine(x, gate_block(w.weight_ih, gate, gates), gate_block(w.bias_ih, gate, gates));
}

Tensor hidden_term(const Tensor& h, const CellWeights& w, int64_t gate, int64_t gates) {
    return affine(h, gate_block(w.weight_hh, gate, gates), gate_block(w.bias_hh, gate, gates));
}

RecurrentCell::RecurrentCell(std::string type_name, int64_t input_size, int64_t hidden_size,
                             int64_t gates, CellOptions options)
    : RecurrentModule(std::move(type_name)),
      input_size_(input_size),
      hidden_size_(hidden_size),
      options_(options) {
    check_sizes(this->type_name(), input_size, hidden_size);
    weights_ =
        register_cell_weights("", input_size, hidden_size, gates, options.bias, options.dtype);
}

Tensor RecurrentCell::state_or_zeros(const Tensor& state, const Tensor& x) const {
    // A wrongly shaped x is left for the checks of the step, which report it.
    if (state.defined() || !x.defined() || x.dim() != 2) return state;
    return zeros({x.size(0), hidden_size_}, x.dtype());
}

std::string RecurrentCell::extra_repr() const {
    return fmt::format("input_size={}, hidden_size={}, bias={}, impl={}", input_size_, hidden_size_,
                       options_.bias, options_.impl == CellImpl::Fused ? "fused" : "composed");
}

}  // namespace glimpse::nn
