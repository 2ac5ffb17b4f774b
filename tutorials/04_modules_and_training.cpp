// Tutorial 04: modules and training — a model built from modules, and the loop that fits it.
//
// A Module owns parameters (leaf tensors that require grad) and submodules, so a whole model can
// list its parameters by PyTorch's dotted names, count them, print itself and hand them all to an
// optimizer. Training is then the same five lines at every step: zero the gradients, run the model
// forward, measure the loss, backpropagate, let the optimizer step. This chapter builds a small
// two-layer network, fits it to a noisy curve, and watches the loss fall: on a progress bar while
// it trains, then as a curve in the terminal and in an SVG picture.

#include <cmath>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;

// A two-layer perceptron: x [N, 1] -> tanh(fc1 x) [N, hidden] -> fc2 [N, 1].
// Registering the two Linear layers as submodules is what makes their weights the MLP's
// parameters, named "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias".
struct MLP : nn::Module {
    MLP(int64_t hidden) : nn::Module("MLP") {
        fc1 = register_module("fc1", std::make_shared<nn::Linear>(1, hidden));
        fc2 = register_module("fc2", std::make_shared<nn::Linear>(hidden, 1));
    }
    Tensor forward(const Tensor& x) const { return fc2->forward(tanh(fc1->forward(x))); }

    std::shared_ptr<nn::Linear> fc1;
    std::shared_ptr<nn::Linear> fc2;
};

// The curve to learn, y = sin(2x) on [-2, 2].
static double target_curve(double x) {
    return std::sin(2 * x);
}

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 04: modules and training");
    manual_seed(4);

    chapter.step("a module with submodules");
    MLP model(32);
    fmt::print("{}", model.summary());
    fmt::print("\nnamed_parameters(), the names a PyTorch state_dict would use:\n");
    for (const auto& [name, p] : model.named_parameters()) {
        fmt::print("  {:<11} {:<8} requires_grad={}\n", name, shape_str(p.shape()),
                   p.requires_grad());
    }
    fmt::print(
        "{} parameters in all: fc1 has 32 weights and 32 biases, fc2 32 weights and 1 bias.\n",
        model.parameter_count());

    chapter.step("the data: 256 noisy samples of sin(2x)");
    const int64_t n = 256;
    Tensor x = uniform({n, 1}, -2.0, 2.0);  // [N, 1]
    std::vector<double> clean;
    for (const double xv : x.to_vector()) clean.push_back(target_curve(xv));
    Tensor y = tensor(clean, {n, 1}) + 0.05 * randn({n, 1});  // [N, 1]
    fmt::print("x[:4] = {}\ny[:4] = {}\n", x.narrow(0, 0, 4).view({4}),
               y.narrow(0, 0, 4).view({4}));

    chapter.step("before training: the untrained model's loss");
    const double initial_loss = nn::mse_loss(model.forward(x), y).item();
    fmt::print("mean squared error = {:.4f} (predicting 0 everywhere would give about 0.5)\n",
               initial_loss);

    chapter.step("the training loop, with a progress bar");
    // Each step: forget the last gradients, forward, loss, backward (fills every parameter's
    // .grad), and Adam's update. Mini-batches of 32 random rows make each step cheap.
    const int64_t steps = chapter.quick ? 400 : 3000;
    const int64_t batch = 32;
    nn::Adam adam(model.parameters(), {.lr = 0.01});
    std::vector<double> losses;
    nn::ProgressBar bar(steps, "fit");
    for (int64_t step = 1; step <= steps; ++step) {
        Tensor rows = randint(0, n, {batch});  // int64 [batch]
        Tensor loss =
            nn::mse_loss(model.forward(index_select(x, 0, rows)), index_select(y, 0, rows));
        adam.zero_grad();
        loss.backward();
        adam.step();
        losses.push_back(loss.item());
        bar.update(step, {{"loss", losses.back()}});
    }
    bar.finish();

    chapter.step("the loss curve");
    // The loss of each mini-batch is noisy; on a log scale the early fall and the later slow
    // polish are both visible.
    const Chart loss_chart{.title = "training loss (MSE of each mini-batch)",
                           .series = {{"loss", losses}},
                           .x_label = "step",
                           .y_label = "loss",
                           .log_y = true};
    tutorial::draw(loss_chart, "04_loss_curve.svg");

    chapter.step("what the model learned");
    const double final_loss = nn::mse_loss(model.forward(x), y).item();
    fmt::print("mean squared error on all 256 samples: {:.4f} before, {:.4f} after\n", initial_loss,
               final_loss);
    // The fitted function on a grid, beside the true curve: evaluation needs no graph.
    NoGradGuard no_grad;
    Tensor grid = arange(-2.0, 2.0 + 1e-9, 0.1).view({-1, 1});  // [41, 1]
    const std::vector<double> grid_x = grid.to_vector();
    const std::vector<double> predicted = model.forward(grid).to_vector();
    std::vector<double> truth;
    for (const double gx : grid_x) truth.push_back(target_curve(gx));
    fmt::print("{:>6} {:>9} {:>9}\n", "x", "sin(2x)", "model");
    for (std::size_t i = 0; i < grid_x.size(); i += 5) {
        fmt::print("{:>6.2f} {:>9.4f} {:>9.4f}\n", grid_x[i], truth[i], predicted[i]);
    }
    const Chart fit_chart{.title = "the fitted function",
                          .series = {{"sin(2x)", truth}, {"model", predicted}},
                          .x = grid_x,
                          .x_label = "x",
                          .y_label = "y"};
    fmt::print("\n");
    tutorial::draw(fit_chart, "04_fit.svg", 60, 12);

    const bool learned = final_loss < initial_loss / 10;
    fmt::print("\nThe loss fell {:.0f}-fold: {}\n", initial_loss / final_loss,
               learned ? "the model learned the curve." : "NOT learned — something is wrong.");
    return learned ? 0 : 1;
}
