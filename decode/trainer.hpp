#pragma once
// The training loop every seq2seq tutorial shares: epochs over shuffled batches, Adam, gradient
// clipping, learning-rate decay, an evaluation after each epoch, the best weights kept (in
// memory, and on disk as safetensors when a path is given), early stopping, a progress bar
// (epoch, step, loss, tokens/s, ETA) and reproducibility from a seed. On a large data set the
// evaluation can run every so many steps instead of once an epoch (evaluate_every). A run with a
// time budget can let its rate fall to 0 at the limit (anneal_to_time_limit) and keep a moving
// average of the weights (average_decay).
//
//     decode::TrainOptions options{.epochs = 20, .checkpoint_path = "date.safetensors"};
//     auto result = decode::train(model, train_batches,
//                                 [&](const Batch& b) { return model.loss(b); },
//                                 [&] { return exact_match_on(test_set); }, options);
//
// When training ends the model holds the best weights seen, not the last ones.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "decode/batch.hpp"
#include "nn/module.hpp"

namespace glimpse::decode {

struct TrainOptions {
    int64_t epochs = 10;
    double lr = 1e-3;        // Adam's learning rate
    double clip_norm = 1.0;  // the gradients' total norm is clipped to this; 0 turns it off
    double lr_decay = 1.0;   // the rate is multiplied by this after every epoch
    int64_t patience = 0;    // stop after this many evaluations without a better one; 0: never
    // Stop after the evaluation that crosses it; with evaluate_every, at the first step past it
    // (evaluated there). 0: no limit.
    double time_limit_seconds = 0;
    // With a time limit: the rate also falls linearly with the time spent, to 0 at the limit
    // (on top of lr_decay). A run that knows its budget ends with small, careful steps instead
    // of stopping mid-stride (Li, Yumer & Ramanan, "Budgeted Training", ICLR 2020).
    bool anneal_to_time_limit = false;
    // Above 0: evaluate, and keep, a moving average of the weights instead of the weights
    // themselves (Polyak averaging): after each step average += (1 - d) (weights - average),
    // with d = min(average_decay, (1 + step) / (10 + step)) so that the first steps' weights
    // are not remembered for long. Training itself goes on from the weights, not the average.
    double average_decay = 0;
    int64_t evaluate_every = 0;     // steps between evaluations (and after the last); 0: each epoch
    std::string checkpoint_path{};  // where the best weights are saved; empty: kept in memory
    uint64_t seed = 1;              // the order of the batches in each epoch
    bool progress = true;           // draw the progress bar
};

// One per evaluation: after each epoch, or every evaluate_every steps.
struct EpochReport {
    int64_t epoch = 0;      // 1-based: the epoch the evaluation fell in
    int64_t step = 0;       // steps done when it ran, over all epochs
    double train_loss = 0;  // mean of the batches' losses since the evaluation before
    double evaluation = 0;  // what `evaluate` returned: higher is better
    double seconds = 0;     // since training began
    double tokens_per_second = 0;
    bool improved = false;
};

struct TrainReport {
    std::vector<EpochReport> epochs;
    int64_t best_epoch = 0;  // the epoch of the best evaluation (best_step: its step)
    int64_t best_step = 0;
    double best_evaluation = 0;
    bool stopped_early = false;  // patience or the time limit ended it
};

// `loss` returns a scalar loss for one batch (with the graph to backpropagate through);
// `evaluate` runs after each epoch (the model in eval mode) and returns a score where higher is
// better (exact match, or minus the loss).
TrainReport train(nn::Module& model, const std::vector<Batch>& batches,
                  const std::function<Tensor(const Batch&)>& loss,
                  const std::function<double()>& evaluate, const TrainOptions& options = {});

}  // namespace glimpse::decode
