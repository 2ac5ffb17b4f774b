// nn/fused_recurrence.cpp as an autograd op: one node per layer whatever the sequence length,
// no graph under NoGradGuard, a backward that can run twice, and the same numbers whether the
// two directions run on one thread or two. (Its values and gradients are tested through the
// cells and layers: tests/test_*_cell.cpp, test_recurrent_layer.cpp, the gradcheck and golden
// suites.)

#include <doctest/doctest.h>
#include <omp.h>

#include <set>
#include <vector>

#include "core/autograd.hpp"
#include "core/ops.hpp"
#include "nn/fused_recurrence.hpp"
#include "tests/recurrent_testing.hpp"

using namespace glimpse;
using namespace glimpse::testing;
using nn::CellKind;

namespace {

// The ops of the graph behind t, by name, each node once.
std::multiset<std::string> graph_ops(const Tensor& t) {
    std::multiset<std::string> ops;
    std::set<Node*> seen;
    std::vector<Node*> stack{t.grad_fn().get()};
    while (!stack.empty()) {
        Node* node = stack.back();
        stack.pop_back();
        if (node == nullptr || !seen.insert(node).second) continue;
        ops.insert(node->op);
        for (const Edge& edge : node->edges) stack.push_back(edge.node.get());
    }
    return ops;
}

}  // namespace

TEST_CASE("fused recurrence: one recorded op per layer, however many steps") {
    Generator generator(51);
    std::vector<std::multiset<std::string>> ops;
    for (int64_t steps : {1, 30}) {
        const LayerConfig config{CellKind::LSTM, 2, steps, 3, 4, 2, true};
        ops.push_back(graph_ops(fused_layers(config, layer_inputs(config, generator))[0]));
    }
    CHECK(ops[0].count("lstm_layer") == 2);
    CHECK(ops[0] == ops[1]);  // the layers' ops and the views of their inputs and results
}

TEST_CASE("fused recurrence: no graph under NoGradGuard") {
    Generator generator(52);
    const LayerConfig config{CellKind::GRU, 2, 4, 3, 4};
    const Tensors inputs = layer_inputs(config, generator);
    NoGradGuard no_grad;
    const Tensors out = fused_layers(config, inputs);
    CHECK_FALSE(out[0].requires_grad());
    CHECK_FALSE(out[1].requires_grad());
}

TEST_CASE("fused recurrence: backward twice with retain_graph doubles the gradients") {
    Generator generator(53);
    const LayerConfig config{CellKind::LSTM, 2, 4, 3, 4, 1, true, {4, 2}};
    const Tensors inputs = layer_inputs(config, generator);
    const Tensor loss = sum(fused_layers(config, inputs)[0]);
    loss.backward({}, true);
    const Tensor once = inputs.back().grad().clone();
    loss.backward();
    CHECK(max_difference(inputs.back().grad(), once * 2.0) < 1e-12);
}

TEST_CASE("fused recurrence: both directions give the same numbers on one thread or two") {
    Generator generator(54);
    const LayerConfig config{CellKind::LSTM, 3, 6, 3, 5, 1, true, {6, 3, 5}};
    const Tensors inputs = layer_inputs(config, generator);
    const auto run = [&](const Tensors& in) { return fused_layers(config, in); };
    const Tensors two_threads = outputs_and_gradients(run, inputs);
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    const Tensors one_thread = outputs_and_gradients(run, inputs);
    omp_set_num_threads(threads);
    check_all_close(two_threads, one_thread, 0.0);
}
