#include "tests/recurrent_testing.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/ops.hpp"

namespace glimpse::testing {

nn::CellWeights random_cell_weights(int64_t input_size, int64_t hidden_size, int64_t gates,
                                    Generator& generator, bool bias) {
    const int64_t rows = gates * hidden_size;
    const auto draw = [&](const Shape& shape) {
        return uniform(shape, -0.5, 0.5, DType::Float64, generator).requires_grad_();
    };
    nn::CellWeights w{draw({rows, input_size}), draw({rows, hidden_size}), {}, {}};
    if (bias) {
        w.bias_ih = draw({rows});
        w.bias_hh = draw({rows});
    }
    return w;
}

Tensors cell_weight_list(const nn::CellWeights& w) {
    Tensors list;
    for (const Tensor& t : {w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh}) {
        if (t.defined()) list.push_back(t);
    }
    return list;
}

nn::CellWeights cell_weights_at(const Tensors& in, std::size_t first, bool bias) {
    nn::CellWeights w{in.at(first), in.at(first + 1), {}, {}};
    if (bias) {
        w.bias_ih = in.at(first + 2);
        w.bias_hh = in.at(first + 3);
    }
    return w;
}

Tensors unrolled_cell_inputs(int64_t steps, int64_t batch, int64_t input_size, int64_t hidden_size,
                             int64_t gates, int64_t states, Generator& generator) {
    Tensors inputs{
        uniform({steps, batch, input_size}, -1, 1, DType::Float64, generator).requires_grad_()};
    for (int64_t k = 0; k < states; ++k) {
        inputs.push_back(
            uniform({batch, hidden_size}, -1, 1, DType::Float64, generator).requires_grad_());
    }
    for (const Tensor& w :
         cell_weight_list(random_cell_weights(input_size, hidden_size, gates, generator))) {
        inputs.push_back(w);
    }
    return inputs;
}

Tensors unroll(const HiddenStep& step, const Tensors& in) {
    const nn::CellWeights w = cell_weights_at(in, 2);
    Tensor h = in[1];
    Tensors outs;
    for (int64_t t = 0; t < in[0].size(0); ++t) {
        h = step(in[0].select(0, t), h, w);
        outs.push_back(h);
    }
    return outs;
}

Tensors outputs_and_gradients(const std::function<Tensors(const Tensors&)>& f,
                              const Tensors& inputs, uint64_t seed) {
    Tensors leaves;
    for (const Tensor& x : inputs) {
        Tensor leaf = x.detach().clone();
        if (x.requires_grad()) leaf.requires_grad_();
        leaves.push_back(leaf);
    }
    const Tensors outputs = f(leaves);
    Generator generator(seed);
    Tensor loss;
    for (const Tensor& out : outputs) {
        const Tensor term = sum(out * uniform(out.shape(), -1, 1, out.dtype(), generator));
        loss = loss.defined() ? loss + term : term;
    }
    loss.backward();
    Tensors result = outputs;
    for (const Tensor& leaf : leaves) {
        if (!leaf.requires_grad()) continue;
        result.push_back(leaf.grad().defined() ? leaf.grad() : zeros_like(leaf));
    }
    return result;
}

double max_difference(const Tensor& a, const Tensor& b) {
    const std::vector<double> x = a.to_vector();
    const std::vector<double> y = b.to_vector();
    double largest = 0;
    for (std::size_t i = 0; i < x.size(); ++i) largest = std::max(largest, std::abs(x[i] - y[i]));
    return largest;
}

void check_all_close(const Tensors& a, const Tensors& b, double tolerance,
                     const std::vector<std::string>& names) {
    REQUIRE(a.size() == b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
        const std::string name = k < names.size() ? names[k] : fmt::format("tensor {}", k);
        INFO(name);
        REQUIRE(a[k].shape() == b[k].shape());
        const std::vector<double> x = a[k].to_vector();
        const std::vector<double> y = b[k].to_vector();
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double allowed = tolerance * std::max({1.0, std::abs(x[i]), std::abs(y[i])});
            if (!(std::abs(x[i] - y[i]) <= allowed)) {
                FAIL_CHECK(fmt::format("{} differs at element {}: {} vs {}", name, i, x[i], y[i]));
                break;
            }
        }
    }
}

}  // namespace glimpse::testing
