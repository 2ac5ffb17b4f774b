#pragma once
// Learning-rate schedulers, as torch.optim.lr_scheduler: call step() once per epoch, after the
// optimizer's steps of that epoch, and the optimizer's learning rate follows the schedule.
//
//     nn::StepLR schedule(adam, 10, 0.5);  // halve the rate every 10 epochs
//     for (int epoch = 0; epoch < 50; ++epoch) { train_one_epoch(); schedule.step(); }
//
// A scheduler refers to its optimizer, which must outlive it. As in PyTorch, each step
// multiplies the optimizer's current rate (the "chainable" form), so two schedulers may share an
// optimizer and a rate set by hand between steps is carried on.

#include <cstdint>

#include "nn/optim.hpp"

namespace glimpse::nn {

class LRScheduler {
  public:
    explicit LRScheduler(Optimizer& optimizer);
    virtual ~LRScheduler() = default;

    void step();  // one epoch on: sets the optimizer's rate for the next epoch
    double get_last_lr() const { return last_lr_; }
    int64_t last_epoch() const { return last_epoch_; }  // 0 until the first step()

  protected:
    // The rate for `epoch` (1, 2, ...), given the rate of the epoch before.
    virtual double next_lr(double lr, int64_t epoch) const = 0;

  private:
    Optimizer& optimizer_;
    int64_t last_epoch_ = 0;
    double last_lr_;
};

// Multiplies the rate by gamma every step_size epochs: lr_e = lr_0 * gamma^(e / step_size).
class StepLR : public LRScheduler {
  public:
    StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);

  private:
    double next_lr(double lr, int64_t epoch) const override;
    int64_t step_size_;
    double gamma_;
};

// Multiplies the rate by gamma every epoch: lr_e = lr_0 * gamma^e.
class ExponentialLR : public LRScheduler {
  public:
    ExponentialLR(Optimizer& optimizer, double gamma);

  private:
    double next_lr(double lr, int64_t) const override { return lr * gamma_; }
    double gamma_;
};

}  // namespace glimpse::nn
