// StepLR and ExponentialLR: PyTorch's learning rates (golden), chaining, errors.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "nn/lr_scheduler.hpp"
#include "tests/golden_nn.hpp"

using namespace glimpse;

namespace {

// The learning rate after each of 10 scheduler steps, from an SGD made with the case's lr.
template <typename Scheduler, typename... Args>
Tensor rates(const golden::Case& golden, Args... args) {
    nn::SGD sgd({zeros({1}).requires_grad_()}, {.lr = golden.number("lr")});
    Scheduler scheduler(sgd, args...);
    std::vector<double> lrs;
    for (int epoch = 0; epoch < 10; ++epoch) {
        scheduler.step();
        lrs.push_back(scheduler.get_last_lr());
        CHECK(sgd.lr() == lrs.back());
    }
    return tensor(lrs, {10}, DType::Float64);
}

golden::Outputs run_step_lr(const golden::Case& golden, golden::Inputs&) {
    return {
        {"out", rates<nn::StepLR>(golden, golden.integer("step_size"), golden.number("gamma"))}};
}

golden::Outputs run_exponential_lr(const golden::Case& golden, golden::Inputs&) {
    return {{"out", rates<nn::ExponentialLR>(golden, golden.number("gamma"))}};
}

}  // namespace

TEST_CASE("lr_scheduler: StepLR and ExponentialLR give PyTorch's rates over 10 steps (golden)") {
    golden::check_nn_cases({{"step_lr", run_step_lr}, {"exponential_lr", run_exponential_lr}});
}

TEST_CASE("lr_scheduler: epoch 0 keeps the rate; each step multiplies the current rate") {
    nn::SGD sgd({zeros({1}).requires_grad_()}, {.lr = 1.0});
    nn::StepLR schedule(sgd, 2, 0.5);
    CHECK(schedule.last_epoch() == 0);
    CHECK(schedule.get_last_lr() == 1.0);
    schedule.step();
    CHECK(sgd.lr() == 1.0);
    schedule.step();
    CHECK(sgd.lr() == 0.5);
    sgd.set_lr(4.0);  // a rate set by hand is carried on, as in PyTorch
    schedule.step();
    schedule.step();
    CHECK(sgd.lr() == 2.0);
    CHECK(schedule.last_epoch() == 4);
}

TEST_CASE("lr_scheduler: StepLR needs a positive step_size") {
    nn::SGD sgd({zeros({1}).requires_grad_()});
    CHECK_THROWS_WITH_AS(nn::StepLR(sgd, 0), "StepLR: step_size must be positive, got 0", Error);
}
