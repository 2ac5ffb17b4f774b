// Tutorial 02: autograd — the chain rule, done by hand and then by backward().
//
// Every op records what it did: its inputs and how to turn the gradient of its output into
// gradients of its inputs. Those records form a graph. backward() walks it from the loss back to
// the parameters, applying the chain rule at each node and adding up (+=) what arrives at each
// tensor. This chapter computes one small neuron's gradients by hand, then lets glimpse do it.

#include <cmath>
#include <fstream>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 02: autograd and the chain rule");

    chapter.step("a neuron: loss = (tanh(w . x + b) - target)^2");
    Tensor x = tensor({1.5, -0.5}, {2}, DType::Float64);  // an input: no gradient wanted
    Tensor w = tensor({0.8, 0.3}, {2}, DType::Float64).requires_grad_();  // parameters
    Tensor b = tensor({0.1}, {1}, DType::Float64).requires_grad_();
    const double target = 0.2;

    Tensor z = sum(w * x) + b;  // [1]
    Tensor y = tanh(z);         // [1]
    Tensor loss = pow(y - target, 2.0).sum();
    fmt::print("z = {}\ny = {}\nloss = {}\n", z, y, loss);
    fmt::print(
        "Each result remembers the op that made it (grad_fn): z by '{}', y by '{}', loss "
        "by '{}'.\n",
        z.grad_fn()->op, y.grad_fn()->op, loss.grad_fn()->op);

    chapter.step("the chain rule by hand");
    // dloss/dw = dloss/dy * dy/dz * dz/dw, one factor per op on the way back.
    const double yv = y.item();
    const double dloss_dy = 2 * (yv - target);  // d(u^2)/du
    const double dy_dz = 1 - yv * yv;           // d(tanh z)/dz
    const std::vector<double> xv = x.to_vector();
    const std::vector<double> by_hand_w = {dloss_dy * dy_dz * xv[0], dloss_dy * dy_dz * xv[1]};
    const double by_hand_b = dloss_dy * dy_dz;  // dz/db = 1
    fmt::print("dloss/dy = 2(y - target) = {:.6f}\n", dloss_dy);
    fmt::print("dy/dz    = 1 - y^2      = {:.6f}\n", dy_dz);
    fmt::print("dloss/dw = dloss/dy * dy/dz * x = [{:.6f}, {:.6f}]\n", by_hand_w[0], by_hand_w[1]);
    fmt::print("dloss/db = dloss/dy * dy/dz * 1 = {:.6f}\n", by_hand_b);

    chapter.step("backward() does the same walk");
    loss.backward();
    fmt::print("w.grad = {}\nb.grad = {}\n", w.grad(), b.grad());
    const std::vector<double> gw = w.grad().to_vector();
    const double largest_gap =
        std::max({std::abs(gw[0] - by_hand_w[0]), std::abs(gw[1] - by_hand_w[1]),
                  std::abs(b.grad().item() - by_hand_b)});
    fmt::print("largest difference from the hand computation: {:.2e}\n", largest_gap);

    chapter.step("the graph, exported for Graphviz");
    const std::string dot = to_dot(loss, {{"w", w}, {"b", b}});
    fmt::print("{}", dot);
    const std::string dot_path = tutorial::output_path("02_autograd_graph.dot");
    std::ofstream(dot_path) << dot;
    fmt::print("written to {} (render with: dot -Tsvg {} > graph.svg)\n", dot_path, dot_path);

    chapter.step("gradients accumulate until you zero them");
    // backward() adds into .grad: two passes give twice the gradient. Training loops zero the
    // gradients before each step for exactly this reason.
    Tensor loss_again = pow(tanh(sum(w * x) + b) - target, 2.0).sum();
    loss_again.backward();
    fmt::print("after a second backward, w.grad = {} (twice the first)\n", w.grad());
    w.zero_grad();
    b.zero_grad();

    chapter.step("no graph under a NoGradGuard");
    {
        NoGradGuard no_grad;
        Tensor inference = tanh(sum(w * x) + b);
        fmt::print("computed under NoGradGuard: requires_grad={}, has grad_fn={}\n",
                   inference.requires_grad(), inference.grad_fn() != nullptr);
    }

    chapter.step("gradient descent: follow the gradient downhill");
    const int steps = chapter.quick ? 10 : 40;
    const double learning_rate = 0.2;
    for (int step = 0; step <= steps; ++step) {
        Tensor step_loss = pow(tanh(sum(w * x) + b) - target, 2.0).sum();
        step_loss.backward();
        {
            NoGradGuard no_grad;  // the update itself must not be recorded
            copy_(w, w - learning_rate * w.grad());
            copy_(b, b - learning_rate * b.grad());
        }
        w.zero_grad();
        b.zero_grad();
        if (step % (steps / 5) == 0)
            fmt::print("step {:3d}  loss {:.8f}\n", step, step_loss.item());
    }

    fmt::print("\nNext: tutorial 03 checks backward() against finite differences.\n");
    return 0;
}
