#include <doctest/doctest.h>

#include <filesystem>
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
