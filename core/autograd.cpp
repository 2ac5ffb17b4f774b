#include "core/autograd.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/gemm.hpp"
#include "core/ops.hpp"
#include "core/packed_weights.hpp"
#include "core/strided_loop.hpp"

namespace glimpse {

namespace {

thread_local bool grad_mode = true;
thread_local uint64_t backward_passes = 0;  // numbers each pass, to mark visited nodes

// Destroying the last handle to a long chain (a 10,000-step unrolled RNN) would run Node's
// destructor inside Node's destructor inside ... and overflow the stack. Instead, a dying Node
// or tensor hands the Nodes it owned to this queue, and only the outermost call drains it, one
// Node at a time: the recursion never goes deeper than one level.
thread_local std::vector<std::shared_ptr<Node>> release_queue;
thread_local bool draining = false;

void release_iteratively(std::shared_ptr<Node>&& node) {
    if (!node) return;
    if (node.use_count() > 1) {  // still used elsewhere: dropping our reference frees nothing
        node.reset();
        return;
    }
    release_queue.push_back(std::move(node));
    if (draining) return;
    draining = true;
    while (!release_queue.empty()) {
        std::shared_ptr<Node> next = std::move(release_queue.back());
        release_queue.pop_back();
        next.reset();  // its destructor queues the Nodes it owned
    }
    draining = false;
}

// Nodes in an order where every node comes before the nodes of its inputs (reverse post-order of
// a depth-first search), found with an explicit stack so depth is not limited by the call stack.
std::vector<Node*> reverse_topological_order(Node* root) {
    const uint64_t pass = ++backward_passes;
    std::vector<Node*> post_order;
    root->visited_pass = pass;
    std::vector<std::pair<Node*, std::size_t>> stack{{root, 0}};
    while (!stack.empty()) {
        Node* node = stack.back().first;
        std::size_t& next_edge = stack.back().second;
        if (next_edge < node->edges.size()) {
            Node* input = node->edges[next_edge++].node.get();
            if (input && input->visited_pass != pass) {
                input->visited_pass = pass;
                stack.emplace_back(input, 0);
            }
        } else {
            post_order.push_back(node);
            stack.pop_back();
        }
    }
    std::reverse(post_order.begin(), post_order.end());
    return post_order;
}

// True when `sum` is a buffer that nothing but this one handle can see: no other tensor shares
// its storage, and it is contiguous (so no element stands for several, as in an expand).
bool owned_alone(const Tensor& sum) {
    return sum.impl_ptr().use_count() == 1 && sum.impl()->storage.use_count() == 1 &&
           sum.is_contiguous();
}

// sum += grad. In place when `sum` is owned alone, so that a tensor read by many ops (the
// encoder states, read at every decoder step; a weight used at every step) gets one buffer for
// its gradient instead of a new one per reader. Otherwise, as when `sum` is a gradient an op
// returned and may still share, a fresh sum.
void add_into(Tensor& sum, const Tensor& grad) {
    if (!owned_alone(sum) || sum.shape() != grad.shape() || sum.dtype() != grad.dtype() ||
        !is_floating(sum.dtype())) {
        sum = add(sum, grad);
        return;
    }
    dispatch_floating(sum.dtype(), [&](auto zero) {
        using T = decltype(zero);
        T* out = sum.data<T>();
        const T* in = grad.data<T>();
        if (grad.is_contiguous()) {
            // The usual case (the encoder states' gradient, once per decoder step): one flat
            // loop. `omp simd` vectorises it (GCC at -O2 leaves a loop of unknown length
            // scalar); that is safe because `sum` is owned alone, so `grad` is another buffer.
            const int64_t n = sum.numel();
#pragma omp simd
            for (int64_t i = 0; i < n; ++i) out[i] += in[i];
            return;
        }
        // A strided grad (a weight's, arriving transposed) is read through its strides: no copy.
        for_each_position<2>(sum.shape(), {&sum.strides(), &grad.strides()},
                             [&](const std::array<int64_t, 2>& o) { out[o[0]] += in[o[1]]; });
    });
}

void accumulate_into_leaf(TensorImpl& leaf, const Tensor& grad) {
    // .grad never aliases a tensor the user or a graph holds: a gradient that nothing else sees
    // is kept as it is, any other is copied (clone).
    if (leaf.grad.defined()) {
        add_into(leaf.grad, grad);
    } else {
        leaf.grad = owned_alone(grad) ? grad : grad.clone();
    }
}

// A gradient a^T @ b that a backward function handed to the engine (gradient_as_product).
struct Product {
    Tensor a;  // [R, M]
    Tensor b;  // [R, N]
};
using HandedOver = std::vector<std::pair<std::size_t, Product>>;  // (input, its product)

// The backward function that is running, for gradient_as_product and add_to_gradient: its node,
// the list its products go to, and whether anomaly mode was on when the pass reached it.
struct RunningBackward {
    Node* node;
    HandedOver* products;
    bool anomaly;
};
thread_local const RunningBackward* running = nullptr;

// RAII: `backward` is the running one while this lives.
class Running {
  public:
    explicit Running(const RunningBackward& backward) : previous_(running) { running = &backward; }
    ~Running() { running = previous_; }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

  private:
    const RunningBackward* previous_;
};

// The products kept for one leaf during a pass, summed into its .grad at the end.
struct LeafProducts {
    std::shared_ptr<TensorImpl> leaf;
    std::vector<Product> products;
};
using PendingProducts = std::vector<LeafProducts>;  // in the order the leaves were reached

void keep_for_leaf(PendingProducts& pending, const std::shared_ptr<TensorImpl>& leaf,
                   Product product) {
    auto kept = std::find_if(pending.begin(), pending.end(),
                             [&](const LeafProducts& p) { return p.leaf == leaf; });
    if (kept == pending.end()) kept = pending.insert(pending.end(), LeafProducts{leaf, {}});
    kept->products.push_back(std::move(product));
}

// The sum of a_i^T @ b_i over a leaf's products as one GEMM, A [sum R_i, M]^T @ B [sum R_i, N]
// with the rows of every product stacked, added into the leaf's .grad (in place when nothing
// else shares it).
void sum_products_into_leaf(const LeafProducts& pending) {
    std::vector<Tensor> as, bs;
    for (const Product& product : pending.products) {
        as.push_back(product.a);
        bs.push_back(product.b);
    }
    const Tensor a = as.size() == 1 ? as[0].contiguous() : cat(as, 0);  // [R, M]
    const Tensor b = bs.size() == 1 ? bs[0].contiguous() : cat(bs, 0);  // [R, N]
    const int64_t rows = a.size(0), m = a.size(1), n = b.size(1);
    TensorImpl& leaf = *pending.leaf;
    const bool in_place =
        leaf.grad.defined() && owned_alone(leaf.grad) && leaf.grad.dtype() == a.dtype();
    Tensor sum = in_place ? leaf.grad : empty({m, n}, a.dtype());  // [M, N]
    dispatch_floating(a.dtype(), [&](auto zero) {
        using T = decltype(zero);
        kernels::gemm<T>(true, false, m, n, rows, a.data<T>(), m, b.data<T>(), n, sum.data<T>(), n,
                         in_place);
    });
    if (!in_place) accumulate_into_leaf(leaf, sum);
}

// Checks a product handed over for input `i` against what the input's gradient must be.
void check_product(const Node& node, std::size_t i, const Product& product) {
    if (i >= node.edges.size()) {
        throw Error(
            fmt::format("backward of '{}': gradient_as_product for input {}, but the op "
                        "has {} inputs",
                        node.op, i, node.edges.size()));
    }
    const Edge& edge = node.edges[i];
    const Shape shape{product.a.size(1), product.b.size(1)};
    if (edge.needs_grad() && (shape != edge.shape || product.a.dtype() != edge.dtype)) {
        throw Error(
            fmt::format("backward of '{}': gradient_as_product for input {} makes {} {}, "
                        "the input is {} {}",
                        node.op, i, shape_str(shape), dtype_name(product.a.dtype()),
                        shape_str(edge.shape), dtype_name(edge.dtype)));
    }
}

// The gradient that `node` sends to input `i`, summed back to the input's shape if the op
// broadcast it: the one shared step that undoes broadcasting for every op.
Tensor gradient_for_input(const Node& node, std::size_t i, const Tensor& grad) {
    const Edge& edge = node.edges[i];
    if (grad.dtype() != edge.dtype) {
        throw Error(fmt::format("backward of '{}': gradient for input {} is {}, the input is {}",
                                node.op, i, dtype_name(grad.dtype()), dtype_name(edge.dtype)));
    }
    Tensor reduced = sum_to(grad, edge.shape);
    if (reduced.shape() != edge.shape) {
        throw Error(fmt::format("backward of '{}': gradient for input {} has shape {}, expected {}",
                                node.op, i, shape_str(grad.shape()), shape_str(edge.shape)));
    }
    return reduced;
}

// The version counter's check: a tensor the op used whose data changed in place since (and is
// still alive: a dead one cannot have changed) would give a wrong gradient, so none is computed.
// `what` names the tensor ("its input 1 [2, 3]"), built only when there is an error to report.
template <typename Describe>
void check_unchanged(const Node& node, const std::weak_ptr<Storage>& saved, uint64_t version,
                     Describe what) {
    const std::shared_ptr<Storage> storage = saved.lock();
    if (!storage || storage->version == version) return;
    throw Error(fmt::format(
        "backward of '{}': {} was modified in place after '{}' used it (version {}, expected "
        "{}), so its gradient would be wrong; change a clone() instead, or call backward() "
        "before the change",
        node.op, what(), node.op, storage->version, version));
}

void check_inputs_unchanged(const Node& node) {
    check_unchanged(node, node.output_storage, node.output_version,
                    [&] { return fmt::format("its output {}", shape_str(node.shape)); });
    for (std::size_t i = 0; i < node.edges.size(); ++i) {
        const Edge& edge = node.edges[i];
        check_unchanged(node, edge.storage, edge.version, [&] {
            // Only inputs that take a gradient keep their shape.
            return edge.needs_grad() ? fmt::format("its input {} {}", i, shape_str(edge.shape))
                                     : fmt::format("its input {}", i);
        });
    }
}

// RAII: anomaly detection off while it lives, then as it was (an exception included).
class AnomalyOff {
  public:
    AnomalyOff() : previous_(is_anomaly_enabled()) { set_detect_anomaly(false); }
    ~AnomalyOff() { set_detect_anomaly(previous_); }
    AnomalyOff(const AnomalyOff&) = delete;
    AnomalyOff& operator=(const AnomalyOff&) = delete;

  private:
    bool previous_;
};

// Sends the gradient collected at `node` on to its inputs: into their nodes' grad_output, or
// into the .grad of leaves.
void backpropagate_node(Node& node, bool retain_graph, PendingProducts& pending) {
    if (!node.grad_output.defined()) return;  // no gradient flowed to this node
    const Tensor grad_output = std::move(node.grad_output);
    node.grad_output = Tensor();

    check_inputs_unchanged(node);
    const bool anomaly = is_anomaly_enabled();
    std::vector<Tensor> input_grads;
    HandedOver products;
    {
        // The ops inside a backward are not checked one by one: the gradients they make are,
        // below, and the error names this node's op.
        const AnomalyOff off;
        const RunningBackward backward{&node, &products, anomaly};
        const Running running_now(backward);
        input_grads = node.backward(grad_output);
    }
    if (input_grads.size() != node.edges.size()) {
        throw Error(fmt::format("backward of '{}' returned {} gradients for {} inputs", node.op,
                                input_grads.size(), node.edges.size()));
    }
    for (auto& [i, product] : products) {
        check_product(node, i, product);
        const Edge& edge = node.edges[i];
        if (!edge.needs_grad()) continue;
        if (edge.leaf && !anomaly) {
            keep_for_leaf(pending, edge.leaf, std::move(product));
            continue;
        }
        const Tensor grad = matmul(product.a.t(), product.b);
        input_grads[i] = input_grads[i].defined() ? add(input_grads[i], grad) : grad;
    }
    for (std::size_t i = 0; i < input_grads.size(); ++i) {
        const Edge& edge = node.edges[i];
        if (!edge.needs_grad() || !input_grads[i].defined()) continue;
        if (anomaly) check_backward_anomaly(node.op, i, input_grads[i]);
        // Taken out of input_grads, so that a gradient nothing else holds is seen as such: a
        // leaf keeps it as its .grad instead of a copy.
        Tensor grad = gradient_for_input(node, i, std::exchange(input_grads[i], Tensor()));
        if (edge.leaf) {
            accumulate_into_leaf(*edge.leaf, grad);
        } else {
            Tensor& slot = edge.node->grad_output;
            if (slot.defined()) {
                add_into(slot, grad);
            } else {
                slot = grad;
            }
        }
    }
    if (!retain_graph) node.backward = nullptr;  // frees the tensors it saved
}

void run_backward(Node* root, const Tensor& root_grad, bool retain_graph) {
    const std::vector<Node*> order = reverse_topological_order(root);
    for (Node* node : order) {
        if (!node->backward) {
            throw Error(fmt::format(
                "backward: the graph through '{}' was already freed by an earlier backward(); "
                "pass retain_graph=true to the first backward() to go through it twice",
                node->op));
        }
    }
    NoGradGuard no_grad;          // gradients are computed with ops, but not recorded
    const WeightPacking packing;  // no weight changes during the pass: each is packed once
    root->grad_output = root_grad;
    PendingProducts pending;
    try {
        for (Node* node : order) backpropagate_node(*node, retain_graph, pending);
        for (const LeafProducts& leaf : pending) sum_products_into_leaf(leaf);
    } catch (...) {
        for (Node* node : order) node->grad_output = Tensor();  // no stale gradient for later
        throw;
    }
}

}  // namespace

Node::~Node() {
    for (Edge& edge : edges) release_iteratively(std::move(edge.node));
}

TensorImpl::~TensorImpl() {
    release_iteratively(std::move(grad_fn));
}

void gradient_as_product(std::size_t input, const Tensor& a, const Tensor& b) {
    if (running == nullptr) {
        throw Error(
            "gradient_as_product: called outside a backward function (only a backward "
            "that backward() is running may hand its gradient over as a product)");
    }
    if (a.dim() != 2 || b.dim() != 2 || a.size(0) != b.size(0) || a.dtype() != b.dtype() ||
        !is_floating(a.dtype())) {
        throw Error(
            fmt::format("gradient_as_product: input {} wants a^T @ b with a [R, M] and b "
                        "[R, N] of one floating dtype, got a {} and b {}",
                        input, describe(a), describe(b)));
    }
    running->products->emplace_back(input, Product{a, b});
}

bool add_to_gradient(std::size_t input, const std::function<void(const Tensor& sum)>& add) {
    if (running == nullptr) {
        throw Error(
            "add_to_gradient: called outside a backward function (only a backward that "
            "backward() is running may add to its inputs' gradients)");
    }
    const Node& node = *running->node;
    if (input >= node.edges.size()) {
        throw Error(
            fmt::format("backward of '{}': add_to_gradient for input {}, but the op has {} "
                        "inputs",
                        node.op, input, node.edges.size()));
    }
    const Edge& edge = node.edges[input];
    if (!edge.needs_grad()) return true;  // nobody wants this gradient: nothing to add
    if (running->anomaly) return false;   // anomaly mode checks each gradient as it is made
    const Tensor& sum = edge.leaf ? edge.leaf->grad : edge.node->grad_output;
    if (!sum.defined() || !owned_alone(sum) || sum.shape() != edge.shape ||
        sum.dtype() != edge.dtype) {
        return false;
    }
    add(sum);
    return true;
}

bool grad_enabled() {
    return grad_mode;
}

NoGradGuard::NoGradGuard() : previous_(grad_mode) {
    grad_mode = false;
}
NoGradGuard::~NoGradGuard() {
    grad_mode = previous_;
}

bool needs_graph(std::span<const Tensor> inputs) {
    if (!grad_mode) return false;
    return std::any_of(inputs.begin(), inputs.end(),
                       [](const Tensor& t) { return t.requires_grad(); });
}

Tensor attach_node(std::string name, std::span<const Tensor> inputs, const Tensor& output,
                   BackwardFn backward) {
    auto node = std::make_shared<Node>();
    node->op = std::move(name);
    node->edges.resize(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const Tensor& input = inputs[i];
        if (!input.defined()) continue;
        Edge& edge = node->edges[i];
        edge.storage = input.impl()->storage;
        edge.version = input.version();
        if (!input.requires_grad()) continue;
        edge.shape = input.shape();
        edge.dtype = input.dtype();
        if (input.is_leaf()) {
            edge.leaf = input.impl_ptr();
        } else {
            edge.node = input.grad_fn();
        }
    }
    node->backward = std::move(backward);
    node->shape = output.shape();
    node->dtype = output.dtype();
    node->output_storage = output.impl()->storage;
    node->output_version = output.version();

    // A new handle over the output's data: the value the op captured stays graph-free.
    Tensor result = output.detach();
    result.impl()->requires_grad = true;
    result.impl()->grad_fn = std::move(node);
    return result;
}

void Tensor::backward(const Tensor& grad, bool retain_graph) const {
    if (!requires_grad()) {
        throw Error(fmt::format(
            "backward: tensor {} does not require grad (no input of the ops that made it "
            "requires grad)",
            shape_str(shape())));
    }
    Tensor seed = grad;
    if (!seed.defined()) {
        if (numel() != 1) {
            throw Error(fmt::format(
                "backward: without a gradient argument the tensor must hold one element (a "
                "loss), got shape {}; pass backward(grad) with a gradient of that shape",
                shape_str(shape())));
        }
        seed = ones(shape(), dtype());
    } else if (seed.shape() != shape() || seed.dtype() != dtype()) {
        throw Error(fmt::format("backward: gradient {} {} does not match the tensor {} {}",
                                shape_str(seed.shape()), dtype_name(seed.dtype()),
                                shape_str(shape()), dtype_name(dtype())));
    }
    if (is_leaf()) {
        NoGradGuard no_grad;
        accumulate_into_leaf(*impl(), seed);
        return;
    }
    run_backward(grad_fn().get(), seed, retain_graph);
}

}  // namespace glimpse
