#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "decode/trainer.hpp"
#include "nn/checkpoint.hpp"
#include "nn/linear.hpp"
#include "nn/losses.hpp"

using namespace glimpse;
using decode::Batch;

namespace {

// y = 2x - 1 as four batches of one-feature regression: what the loop trains in these tests.
// The batches' target_output counts as 3 tokens each (one padded position, id 0).
std::vector<Batch> regression_batches() {
    std::vector<Batch> batches;
    for (int i = 0; i < 4; ++i) {
        Batch batch;
        batch.source = tensor({i * 0.5, i * 0.5 + 0.25}, {2, 1});          // [B, 1] as x
        batch.target_output = tensor({4, 5, 6, 0}, {2, 2}, DType::Int64);  // [B, T]
        batches.push_back(batch);
    }
    return batches;
}

Tensor regression_loss(const nn::Linear& model, const Batch& batch) {
    return nn::mse_loss(model.forward(batch.source), batch.source * 2.0 - 1.0);
}

decode::TrainOptions quiet(decode::TrainOptions options) {
    options.progress = false;
    return options;
}

}  // namespace

TEST_CASE("train: fits a model, restores the best epoch's weights and stops when out of patience") {
    manual_seed(3);
    nn::Linear model(1, 1);
    const auto batches = regression_batches();
    // A scripted evaluation: epoch 2 is the best, and two epochs without improvement follow.
    const std::vector<double> scores = {0.5, 0.9, 0.7, 0.6, 0.95};
    std::size_t evaluations = 0;
    std::vector<Tensor> weights_at_epoch;
    const auto report = decode::train(
        model, batches, [&](const Batch& b) { return regression_loss(model, b); },
        [&] {
            weights_at_epoch.push_back(clone(model.weight.detach()));
            return scores[evaluations++];
        },
        quiet({.epochs = 5, .lr = 0.05, .patience = 2}));
    CHECK(report.epochs.size() == 4);
    CHECK(report.stopped_early);
    CHECK(report.best_epoch == 2);
    CHECK(report.best_evaluation == 0.9);
    CHECK(report.epochs[1].improved);
    CHECK_FALSE(report.epochs[2].improved);
    CHECK(report.epochs[3].train_loss < report.epochs[0].train_loss);
    CHECK(model.weight.item() == weights_at_epoch[1].item());
    CHECK(model.weight.item() != weights_at_epoch[3].item());
}

TEST_CASE("train: the same seed gives the same run; the best weights are saved when asked") {
    const std::string path =
        (std::filesystem::temp_directory_path() / "glimpse_test_trainer.safetensors").string();
    auto run = [&](const std::string& checkpoint) {
        manual_seed(5);
        nn::Linear model(1, 1);
        decode::train(
            model, regression_batches(), [&](const Batch& b) { return regression_loss(model, b); },
            [&] { return -model.weight.item(); },  // prefers the smallest weight seen
            quiet({.epochs = 3, .lr = 0.1, .checkpoint_path = checkpoint, .seed = 9}));
        return std::vector<double>{model.weight.item(), model.bias.item()};
    };
    const auto first = run(path);
    CHECK(first == run(""));
    nn::Linear reloaded(1, 1);
    nn::load_model(reloaded, path);
    CHECK(reloaded.weight.item() == first[0]);
    CHECK(reloaded.bias.item() == first[1]);
    std::filesystem::remove(path);
}

TEST_CASE("train: bad options and a diverging loss are clear errors") {
    nn::Linear model(1, 1);
    const auto batches = regression_batches();
    auto loss = [&](const Batch& b) { return regression_loss(model, b); };
    auto evaluate = [] { return 0.0; };
    CHECK_THROWS_WITH_AS(decode::train(model, {}, loss, evaluate, quiet({})),
                         "train: no batches to train on", Error);
    CHECK_THROWS_WITH_AS(decode::train(model, batches, loss, evaluate, quiet({.epochs = 0})),
                         "train: epochs must be >= 1, got 0", Error);
    CHECK_THROWS_WITH_AS(decode::train(model, batches, loss, evaluate, quiet({.lr_decay = 1.5})),
                         "train: lr_decay must be in (0, 1], got 1.5", Error);
    auto nan_loss = [&](const Batch& b) {
        return regression_loss(model, b) * std::numeric_limits<double>::quiet_NaN();
    };
    CHECK_THROWS_WITH_AS(decode::train(model, batches, nan_loss, evaluate, quiet({})),
                         doctest::Contains("train: the loss became nan at epoch 1, step 1"), Error);
}

namespace {

// A training run of the regression model that records at which steps it was evaluated;
// score(step) is what the evaluation returns there.
struct EvaluatedRun {
    std::vector<int64_t> evaluated_at;
    decode::TrainReport report;
};

EvaluatedRun run_recording_evaluations(const std::function<double(int64_t)>& score,
                                       decode::TrainOptions options) {
    manual_seed(3);
    nn::Linear model(1, 1);
    EvaluatedRun run;
    int64_t steps = 0;
    run.report = decode::train(
        model, regression_batches(),
        [&](const Batch& b) {
            ++steps;
            return regression_loss(model, b);
        },
        [&] {
            run.evaluated_at.push_back(steps);
            return score(steps);
        },
        quiet(options));
    return run;
}

}  // namespace

TEST_CASE("train: evaluate_every evaluates every so many steps and after the last one") {
    // 4 steps an epoch, 3 epochs. The evaluation at step 6 is the best.
    const EvaluatedRun run =
        run_recording_evaluations([](int64_t step) { return static_cast<double>(step == 6); },
                                  {.epochs = 3, .lr = 0.05, .evaluate_every = 3});
    CHECK(run.evaluated_at == std::vector<int64_t>{3, 6, 9, 12});  // 12 is also the last
    const decode::TrainReport& report = run.report;
    REQUIRE(report.epochs.size() == 4);
    CHECK(report.epochs[0].step == 3);
    CHECK(report.epochs[0].epoch == 1);
    CHECK(report.epochs[1].epoch == 2);  // step 6 is the second of epoch 2
    CHECK(report.best_step == 6);
    CHECK(report.best_epoch == 2);
    CHECK_FALSE(report.stopped_early);

    // Not a divisor of the steps: the last step (12) gets an evaluation of its own.
    CHECK(run_recording_evaluations([](int64_t) { return 0.0; },
                                    {.epochs = 3, .lr = 0.05, .evaluate_every = 5})
              .evaluated_at == std::vector<int64_t>{5, 10, 12});

    // Patience counts evaluations: the first is the best, two more without progress end it.
    const EvaluatedRun patient =
        run_recording_evaluations([](int64_t step) { return -static_cast<double>(step); },
                                  {.epochs = 3, .lr = 0.05, .patience = 2, .evaluate_every = 2});
    CHECK(patient.evaluated_at == std::vector<int64_t>{2, 4, 6});
    CHECK(patient.report.stopped_early);
    CHECK(patient.report.best_step == 2);

    // With evaluate_every, the time limit ends training at the first step past it.
    const EvaluatedRun timed = run_recording_evaluations(
        [](int64_t) { return 0.0; },
        {.epochs = 3, .lr = 0.05, .time_limit_seconds = 1e-9, .evaluate_every = 100});
    CHECK(timed.evaluated_at == std::vector<int64_t>{1});
    CHECK(timed.report.stopped_early);

    nn::Linear model(1, 1);
    CHECK_THROWS_WITH_AS(
        decode::train(
            model, regression_batches(), [&](const Batch& b) { return regression_loss(model, b); },
            [] { return 0.0; }, quiet({.evaluate_every = -1})),
        "train: evaluate_every must be >= 0, got -1", Error);
}

TEST_CASE("train: anneal_to_time_limit brings the rate to 0 at the time limit") {
    // The time limit has passed before the first update: annealed, the update is lr * 0 and the
    // weights stay as they were; without annealing the same step changes them.
    auto weights_after_one_step = [](bool anneal) {
        manual_seed(4);
        nn::Linear model(1, 1);
        const std::vector<double> before = model.weight.to_vector();
        decode::train(
            model, regression_batches(), [&](const Batch& b) { return regression_loss(model, b); },
            [] { return 0.0; },
            quiet({.lr = 0.05,
                   .time_limit_seconds = 1e-9,
                   .anneal_to_time_limit = anneal,
                   .evaluate_every = 100}));
        return std::pair{before, model.weight.to_vector()};
    };
    const auto [annealed_before, annealed_after] = weights_after_one_step(true);
    CHECK(annealed_after == annealed_before);
    const auto [plain_before, plain_after] = weights_after_one_step(false);
    CHECK(plain_after != plain_before);

    nn::Linear model(1, 1);
    CHECK_THROWS_WITH_AS(
        decode::train(
            model, regression_batches(), [&](const Batch& b) { return regression_loss(model, b); },
            [] { return 0.0; }, quiet({.anneal_to_time_limit = true})),
        "train: anneal_to_time_limit needs a time_limit_seconds > 0, got 0", Error);
}

TEST_CASE("train: average_decay evaluates and keeps a moving average of the weights") {
    // Training goes the same way with and without averaging, so the weights a plain run has
    // before each of its steps give the average the averaged run must end with.
    auto weights_of = [](const nn::Linear& model) {
        return std::vector<double>{model.weight.item(), model.bias.item()};
    };
    auto run = [&](double average_decay, std::vector<std::vector<double>>* seen) {
        manual_seed(5);
        nn::Linear model(1, 1);
        double score = 0;  // rising: every evaluation is the best so far, the last one kept
        decode::train(
            model, regression_batches(),
            [&](const Batch& b) {
                if (seen != nullptr) seen->push_back(weights_of(model));
                return regression_loss(model, b);
            },
            [&] { return ++score; },
            quiet({.epochs = 2, .lr = 0.05, .average_decay = average_decay}));
        return weights_of(model);
    };
    std::vector<std::vector<double>> seen;  // before steps 1 .. 8
    const std::vector<double> last = run(0.0, &seen);
    seen.push_back(last);  // after step 8
    REQUIRE(seen.size() == 9);
    std::vector<double> average = seen[0];
    for (std::size_t step = 0; step < 8; ++step) {
        const double decay = std::min(0.5, (1.0 + step) / (10.0 + step));
        for (std::size_t i = 0; i < 2; ++i) {
            average[i] += (1 - decay) * (seen[step + 1][i] - average[i]);
        }
    }
    const std::vector<double> averaged = run(0.5, nullptr);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(averaged[i] == doctest::Approx(average[i]).epsilon(1e-5));
        CHECK(averaged[i] != doctest::Approx(last[i]).epsilon(1e-3));
    }

    nn::Linear model(1, 1);
    CHECK_THROWS_WITH_AS(
        decode::train(
            model, regression_batches(), [&](const Batch& b) { return regression_loss(model, b); },
            [] { return 0.0; }, quiet({.average_decay = 1.0})),
        "train: average_decay must be in [0, 1), got 1", Error);
}
