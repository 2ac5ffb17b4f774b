#include "decode/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "decode/vocab.hpp"
#include "nn/checkpoint.hpp"
#include "nn/lr_scheduler.hpp"
#include "nn/optim.hpp"
#include "nn/progress_bar.hpp"

namespace glimpse::decode {

namespace {

void check_options(const std::vector<Batch>& batches, const TrainOptions& options) {
    if (batches.empty()) throw Error("train: no batches to train on");
    if (options.epochs < 1)
        throw Error(fmt::format("train: epochs must be >= 1, got {}", options.epochs));
    if (!(options.lr > 0)) throw Error(fmt::format("train: lr must be > 0, got {}", options.lr));
    if (options.clip_norm < 0) {
        throw Error(fmt::format("train: clip_norm must be >= 0, got {}", options.clip_norm));
    }
    if (!(options.lr_decay > 0 && options.lr_decay <= 1)) {
        throw Error(fmt::format("train: lr_decay must be in (0, 1], got {}", options.lr_decay));
    }
    if (options.patience < 0) {
        throw Error(fmt::format("train: patience must be >= 0, got {}", options.patience));
    }
    if (options.anneal_to_time_limit && !(options.time_limit_seconds > 0)) {
        throw Error(
            fmt::format("train: anneal_to_time_limit needs a time_limit_seconds > 0, got {}",
                        options.time_limit_seconds));
    }
    if (!(options.average_decay >= 0 && options.average_decay < 1)) {
        throw Error(
            fmt::format("train: average_decay must be in [0, 1), got {}", options.average_decay));
    }
    if (options.evaluate_every < 0) {
        throw Error(
            fmt::format("train: evaluate_every must be >= 0, got {}", options.evaluate_every));
    }
}

// The target tokens the loss is taken over: every position of target_output but padding.
int64_t target_tokens(const Batch& batch) {
    const std::vector<double> ids = batch.target_output.to_vector();
    return static_cast<int64_t>(
        std::count_if(ids.begin(), ids.end(), [](double id) { return id != Vocab::pad; }));
}

// Copies of the parameters' values: what "the best weights so far" are kept as.
std::vector<Tensor> snapshot(const std::vector<Tensor>& params) {
    NoGradGuard no_grad;
    std::vector<Tensor> copies;
    copies.reserve(params.size());
    for (const Tensor& p : params) copies.push_back(clone(p));
    return copies;
}

void restore(const std::vector<Tensor>& params, const std::vector<Tensor>& copies) {
    NoGradGuard no_grad;
    for (std::size_t i = 0; i < params.size(); ++i) copy_(params[i], copies[i]);
}

// average += (1 - decay) (param - average) for each parameter, in place: the moving average of
// the weights after one more step.
void update_average(const std::vector<Tensor>& average, const std::vector<Tensor>& params,
                    double decay) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Tensor value = params[i].contiguous();
        dispatch_floating(value.dtype(), [&](auto zero) {
            using T = decltype(zero);
            const T rate = static_cast<T>(1 - decay);
            const T* from = value.data<T>();
            T* to = average[i].data<T>();
            const int64_t count = value.numel();
#pragma omp simd
            for (int64_t j = 0; j < count; ++j) to[j] += rate * (from[j] - to[j]);
        });
    }
}

// A fresh order of the batches for each epoch, the same for the same seed.
std::vector<std::size_t> shuffled(std::size_t n, Generator& generator) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    for (std::size_t i = n; i > 1; --i) {
        std::swap(order[i - 1],
                  order[static_cast<std::size_t>(generator.integer(0, static_cast<int64_t>(i)))]);
    }
    return order;
}

}  // namespace

TrainReport train(nn::Module& model, const std::vector<Batch>& batches,
                  const std::function<Tensor(const Batch&)>& loss,
                  const std::function<double()>& evaluate, const TrainOptions& options) {
    check_options(batches, options);
    const std::vector<Tensor> params = model.parameters();
    nn::Adam adam(params, {.lr = options.lr});
    nn::ExponentialLR decay(adam, options.lr_decay);
    Generator order_generator(options.seed);

    const auto start = std::chrono::steady_clock::now();
    auto seconds_since_start = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const auto total_steps = options.epochs * static_cast<int64_t>(batches.size());
    nn::ProgressBar bar(total_steps, "train");

    TrainReport report;
    std::vector<Tensor> best_weights;
    const bool averaging = options.average_decay > 0;
    const std::vector<Tensor> average = averaging ? snapshot(params) : std::vector<Tensor>();
    int64_t steps_done = 0;
    int64_t tokens_done = 0;
    double loss_sum = 0;  // of the steps since the last evaluation
    int64_t loss_steps = 0;
    int64_t evaluations_since_best = 0;
    // Evaluates, keeps the weights if they are the best so far; true when training should stop.
    auto evaluate_and_keep = [&](int64_t epoch) {
        // With averaging, the average is what is evaluated and kept; training goes on from the
        // weights themselves, put back afterwards.
        const std::vector<Tensor> weights = averaging ? snapshot(params) : std::vector<Tensor>();
        if (averaging) restore(params, average);
        model.eval();
        EpochReport epoch_report{.epoch = epoch,
                                 .step = steps_done,
                                 .train_loss = loss_sum / static_cast<double>(loss_steps),
                                 .evaluation = evaluate(),
                                 .seconds = seconds_since_start(),
                                 .tokens_per_second = tokens_done / seconds_since_start()};
        loss_sum = 0;
        loss_steps = 0;
        epoch_report.improved =
            report.epochs.empty() || epoch_report.evaluation > report.best_evaluation;
        if (epoch_report.improved) {
            report.best_epoch = epoch;
            report.best_step = steps_done;
            report.best_evaluation = epoch_report.evaluation;
            best_weights = snapshot(params);
            if (!options.checkpoint_path.empty()) nn::save_model(model, options.checkpoint_path);
            evaluations_since_best = 0;
        } else {
            ++evaluations_since_best;
        }
        report.epochs.push_back(epoch_report);
        if (averaging) restore(params, weights);
        const bool out_of_patience =
            options.patience > 0 && evaluations_since_best >= options.patience;
        const bool out_of_time =
            options.time_limit_seconds > 0 && epoch_report.seconds >= options.time_limit_seconds;
        return out_of_patience || out_of_time;
    };

    double epoch_lr = adam.lr();  // this epoch's rate under lr_decay, before any annealing
    bool stop = false;
    for (int64_t epoch = 1; epoch <= options.epochs && !stop; ++epoch) {
        model.train();
        for (const std::size_t index : shuffled(batches.size(), order_generator)) {
            const Batch& batch = batches[index];
            adam.zero_grad();
            Tensor batch_loss = loss(batch);  // []
            const double value = batch_loss.item();
            if (!std::isfinite(value)) {
                throw Error(fmt::format("train: the loss became {} at epoch {}, step {}", value,
                                        epoch, steps_done + 1));
            }
            batch_loss.backward();
            if (options.clip_norm > 0) nn::clip_grad_norm(params, options.clip_norm);
            if (options.anneal_to_time_limit) {
                const double left = 1 - seconds_since_start() / options.time_limit_seconds;
                adam.set_lr(epoch_lr * std::max(left, 0.0));
            }
            adam.step();
            if (averaging) {
                const double warm = (1.0 + steps_done) / (10.0 + steps_done);
                update_average(average, params, std::min(options.average_decay, warm));
            }
            loss_sum += value;
            ++loss_steps;
            tokens_done += target_tokens(batch);
            ++steps_done;
            if (options.progress) {
                bar.update(steps_done, {{"epoch", static_cast<double>(epoch)},
                                        {"loss", value},
                                        {"tok/s", tokens_done / seconds_since_start()}});
            }
            const bool out_of_time = options.time_limit_seconds > 0 &&
                                     seconds_since_start() >= options.time_limit_seconds;
            if (options.evaluate_every > 0 &&
                (steps_done % options.evaluate_every == 0 || out_of_time)) {
                stop = evaluate_and_keep(epoch);
                if (stop) break;
                model.train();
            }
        }
        adam.set_lr(epoch_lr);  // the schedule of lr_decay goes on from the epoch's own rate
        decay.step();
        epoch_lr = adam.lr();
        const bool final_epoch = epoch == options.epochs;
        if (!stop && (options.evaluate_every == 0 || (final_epoch && loss_steps > 0))) {
            stop = evaluate_and_keep(epoch);
        }
    }
    report.stopped_early = stop && report.epochs.back().step < total_steps;
    if (options.progress) bar.finish();
    restore(params, best_weights);
    return report;
}

}  // namespace glimpse::decode
