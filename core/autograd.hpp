#pragma once
// Reverse-mode automatic differentiation.
//
// Every op computes its output from plain values, then calls record() with its inputs and a
// backward function: given the gradient of the loss with respect to the output, return the
// gradient with respect to each input. record() attaches a Node to the output; the Nodes form
// the graph that Tensor::backward() walks in reverse topological order.
//
// The graph owns nothing backwards: an output holds its Node, a Node holds its inputs' Nodes
// (and whatever its backward captured), so the graph lives exactly as long as the tensors that
// refer to it, without cycles. A backward function must therefore never capture its own output
// tensor; it captures the plain value computed before record() (see tanh in ops_elementwise.cpp).

#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/anomaly.hpp"
#include "core/tensor.hpp"

namespace glimpse {

// Given dLoss/dOutput, returns dLoss/dInput for each input in order (undefined = no gradient).
// A returned gradient may have the output's broadcast shape: the engine sums it back to the
// input's shape (sum_to), so no op has to undo broadcasting itself.
using BackwardFn = std::function<std::vector<Tensor>(const Tensor& grad_output)>;

// Where a gradient goes next: into another op's Node, or into a leaf's .grad.
struct Edge {
    std::shared_ptr<Node> node;        // set when the input was computed by an op
    std::shared_ptr<TensorImpl> leaf;  // set when the input is a leaf that requires grad
    Shape shape;                       // the input's shape and dtype: what its gradient must be
    DType dtype = DType::Float32;
    // The input's data and its version when the op ran (set for every input, differentiable or
    // not: a backward may read any of them). Weak: the edge does not keep the data alive.
    std::weak_ptr<Storage> storage;
    uint64_t version = 0;
    bool needs_grad() const { return node || leaf; }
};

struct Node {
    std::string op;           // "matmul", or a custom op's name
    std::vector<Edge> edges;  // one per input, in argument order
    BackwardFn backward;      // emptied after a backward pass unless the graph is retained
    Shape shape;              // of the output, for graph export and checks
    DType dtype = DType::Float32;
    std::weak_ptr<Storage> output_storage;  // the output's data and version, as Edge's
    uint64_t output_version = 0;

    // Scratch space of one backward pass (kept here rather than in hash maps, for speed):
    Tensor grad_output;         // the gradient summed so far for this node's output
    uint64_t visited_pass = 0;  // the pass that last reached this node in its graph walk

    ~Node();  // see release_graph_iteratively in autograd.cpp
};

// For a backward function whose gradient for input `input` is a^T @ b, with a [R, M] and
// b [R, N] (the input is [M, N]): a weight's gradient, summed over the rows of a batch or the
// steps of a sequence. Called instead of returning that gradient (return it undefined); only
// from inside a backward function, on the thread that runs backward().
// When the input is a leaf (a parameter), the engine keeps the product and, at the end of the
// pass, sums all the products that reached that leaf in one GEMM over their stacked rows: a
// decoder's ten steps of [1024, 64] @ [64, 576] become one [1024, 640] @ [640, 576], without
// nine partial sums of [1024, 576]. Otherwise (an input computed by an op, or anomaly mode,
// which checks each gradient where it is made) the product is multiplied at once.
void gradient_as_product(std::size_t input, const Tensor& a, const Tensor& b);

// For a backward function whose input `input` is read by many ops (the encoder states, which
// every decoder step attends over): adds this op's gradient for that input straight into the
// gradient summed there so far, when the engine holds one it may change in place, by calling
// add(sum) with sum that [input's shape] tensor. Returns true when it did (or when the input
// wants no gradient), and the backward returns an undefined Tensor for the input; returns false
// when there is no such sum (the first gradient to reach the input, a .grad the user also holds,
// anomaly mode), and the backward returns its gradient as usual. A decoder step then adds its
// [B, S, H] contribution in one pass, instead of writing it to a new tensor that the engine
// adds in a second. Only from inside a backward function, on the thread that runs backward().
bool add_to_gradient(std::size_t input, const std::function<void(const Tensor& sum)>& add);

// Gradient recording is on unless a NoGradGuard is alive on this thread.
bool grad_enabled();

// RAII: no graph is recorded while it lives (inference, optimizer updates, backward itself).
class NoGradGuard {
  public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

  private:
    bool previous_;
};

// True when an op on these inputs must be recorded: grad mode is on and an input requires grad.
bool needs_graph(std::span<const Tensor> inputs);

// Returns `output` as the result of op `name` on `inputs`, differentiable through `backward`.
// This is also the public way to write a custom op (see tutorials/03_gradcheck.cpp):
//   Tensor y = ...compute from x's values...;
//   return record("cube", {x}, y, [x](const Tensor& g) { return std::vector{g * 3 * x * x}; });
Tensor attach_node(std::string name, std::span<const Tensor> inputs, const Tensor& output,
                   BackwardFn backward);

template <typename F>
Tensor record(std::string name, std::initializer_list<Tensor> inputs, const Tensor& output,
              F&& backward) {
    std::span<const Tensor> span(inputs.begin(), inputs.size());
    if (is_anomaly_enabled()) check_forward_anomaly(name, span, output);
    if (!needs_graph(span)) return output;
    return attach_node(std::move(name), span, output, BackwardFn(std::forward<F>(backward)));
}

template <typename F>
Tensor record(std::string name, const std::vector<Tensor>& inputs, const Tensor& output,
              F&& backward) {
    if (is_anomaly_enabled()) check_forward_anomaly(name, inputs, output);
    if (!needs_graph(inputs)) return output;
    return attach_node(std::move(name), inputs, output, BackwardFn(std::forward<F>(backward)));
}

}  // namespace glimpse
