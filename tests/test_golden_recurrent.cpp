// The second proof that the recurrent cells and layers are right: PyTorch's outputs, final
// states and gradients for given weights and inputs, from tests/golden/nn_rnn.txt (written by
// tests/golden/make_golden_rnn.py). Both implementations of each cell are checked, and the
// layers through recurrent_forward, the function the RNN, LSTM and GRU modules run.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>

#include "nn/gru_cell.hpp"
#include "nn/lstm_cell.hpp"
#include "nn/recurrent_layer.hpp"
#include "nn/rnn_cell.hpp"
#include "tests/golden_check.hpp"

using namespace glimpse;
using namespace glimpse::golden;
using nn::CellImpl;
using nn::CellWeights;

namespace {

// The weights named weight_ih<suffix> ... in the case; the biases only when it has them.
CellWeights weights(const Case& golden, Inputs& in, const std::string& suffix = "") {
    CellWeights w{in["weight_ih" + suffix], in["weight_hh" + suffix], {}, {}};
    if (golden.has("bias_ih" + suffix)) {
        w.bias_ih = in["bias_ih" + suffix];
        w.bias_hh = in["bias_hh" + suffix];
    }
    return w;
}

nn::Nonlinearity nonlinearity(const Case& golden) {
    return golden.word("nonlinearity") == "relu" ? nn::Nonlinearity::ReLU : nn::Nonlinearity::Tanh;
}

Runner rnn_cell(CellImpl impl) {
    return [impl](const Case& golden, Inputs& in) {
        const auto step = impl == CellImpl::Fused ? nn::rnn_cell_fused : nn::rnn_cell_composed;
        return Outputs{
            {"h_next", step(in["x"], in["h"], weights(golden, in), nonlinearity(golden))}};
    };
}

Runner lstm_cell(CellImpl impl) {
    return [impl](const Case& golden, Inputs& in) {
        const auto step = impl == CellImpl::Fused ? nn::lstm_cell_fused : nn::lstm_cell_composed;
        const nn::LSTMState next = step(in["x"], {in["h"], in["c"]}, weights(golden, in));
        return Outputs{{"h_next", next.h}, {"c_next", next.c}};
    };
}

Runner gru_cell(CellImpl impl) {
    return [impl](const Case& golden, Inputs& in) {
        const auto step = impl == CellImpl::Fused ? nn::gru_cell_fused : nn::gru_cell_composed;
        return Outputs{{"h_next", step(in["x"], in["h"], weights(golden, in))}};
    };
}

// A sequence layer: its options and weights from the case, through recurrent_forward.
Runner layer(nn::CellKind lstm_or_gru) {
    return [lstm_or_gru](const Case& golden, Inputs& in) {
        const nn::CellKind kind =
            golden.runner() == "rnn" ? nn::rnn_kind(nonlinearity(golden)) : lstm_or_gru;
        nn::RecurrentOptions options;
        options.num_layers = golden.integer("num_layers");
        options.bidirectional = golden.flag("bidirectional");
        std::vector<CellWeights> cells;
        for (int64_t l = 0; l < options.num_layers; ++l) {
            cells.push_back(weights(golden, in, fmt::format("_l{}", l)));
            if (options.bidirectional) {
                cells.push_back(weights(golden, in, fmt::format("_l{}_reverse", l)));
            }
        }
        const Tensor h0 = golden.has("h_0") ? in["h_0"] : Tensor();
        const Tensor c0 = golden.has("c_0") ? in["c_0"] : Tensor();
        const nn::Lengths lengths =
            golden.has("lengths") ? nn::Lengths(in["lengths"]) : nn::Lengths();
        const nn::RecurrentOutput result = nn::recurrent_forward(
            golden.runner(), kind, in["x"], h0, c0, lengths, cells, options, false);
        Outputs outputs{{"output", result.output}, {"h_n", result.h_n}};
        if (result.c_n.defined()) outputs.emplace_back("c_n", result.c_n);
        return outputs;
    };
}

// The runner of each case, by the case name's prefix, for the cells' implementation `impl`.
std::map<std::string, Runner> runners(CellImpl impl) {
    return {
        {"rnn_cell", rnn_cell(impl)},        {"lstm_cell", lstm_cell(impl)},
        {"gru_cell", gru_cell(impl)},        {"rnn", layer(nn::CellKind::RNNTanh)},
        {"lstm", layer(nn::CellKind::LSTM)}, {"gru", layer(nn::CellKind::GRU)},
    };
}

const std::vector<Case>& rnn_cases() {
    static const std::vector<Case> cases = load_golden(golden_path("nn_rnn.txt"));
    return cases;
}

void check_all(CellImpl impl, const RunOptions& options) {
    const std::map<std::string, Runner> table = runners(impl);
    REQUIRE(rnn_cases().size() > 0);
    for (const Case& golden : rnn_cases()) {
        const auto found = table.find(golden.runner());
        REQUIRE_MESSAGE(found != table.end(), "golden case " << golden.name << " has no runner");
        check_case(golden, found->second, options);
    }
}

}  // namespace

TEST_CASE("golden recurrent: fused cells and every layer match PyTorch in float64") {
    check_all(CellImpl::Fused, {});
}

TEST_CASE("golden recurrent: composed cells match PyTorch in float64") {
    check_all(CellImpl::Composed, {});
}

TEST_CASE("golden recurrent: the same with every input a non-contiguous view") {
    check_all(CellImpl::Fused, {DType::Float64, true, kFloat64Tolerance});
}

TEST_CASE("golden recurrent: float32 runs stay within float32 tolerance of PyTorch") {
    const std::map<std::string, Runner> table = runners(CellImpl::Fused);
    for (const std::string name :
         {"lstm_cell/bias", "gru_cell/bias", "rnn_cell/tanh",
          "lstm/padded_two_layers_bidirectional", "gru/bidirectional", "rnn/two_layers"}) {
        const auto found = std::find_if(rnn_cases().begin(), rnn_cases().end(),
                                        [&](const Case& c) { return c.name == name; });
        REQUIRE_MESSAGE(found != rnn_cases().end(), "no golden case " << name);
        check_case(*found, table.at(found->runner()), {DType::Float32, false, kFloat32Tolerance});
    }
}
