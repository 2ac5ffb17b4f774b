#include "nn/lr_scheduler.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace glimpse::nn {

LRScheduler::LRScheduler(Optimizer& optimizer) : optimizer_(optimizer), last_lr_(optimizer.lr()) {}

void LRScheduler::step() {
    ++last_epoch_;
    last_lr_ = next_lr(optimizer_.lr(), last_epoch_);
    optimizer_.set_lr(last_lr_);
}

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer), step_size_(step_size), gamma_(gamma) {
    if (step_size <= 0) {
        throw Error(fmt::format("StepLR: step_size must be positive, got {}", step_size));
    }
}

double StepLR::next_lr(double lr, int64_t epoch) const {
    return epoch % step_size_ == 0 ? lr * gamma_ : lr;
}

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : LRScheduler(optimizer), gamma_(gamma) {}

}  // namespace glimpse::nn
