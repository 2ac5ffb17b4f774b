// Tutorial 06: checkpoints and fine-tuning — keep what a model learned, and build on it.
//
// A checkpoint is a model's parameters written to a file under their dotted names. glimpse writes
// safetensors, the format PyTorch users load with safetensors.torch.load_file, under PyTorch's
// state-dict names, so the same file moves between the two. Loading copies the values into a
// model's own parameters by name, after checking every name, shape and dtype.
//
// Fine-tuning starts a new task from a model trained on a related one: load the parts that fit
// (a non-strict load, which reports what it skipped), freeze the parts to keep
// (requires_grad_(false): no gradient, and the optimizer skips them), and train the rest. This
// chapter pretrains a small GRU to find the largest digit of a sequence, saves and reloads it,
// then fine-tunes a new head to tell whether that digit is odd.

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;

constexpr int64_t kDigits = 10;
constexpr int64_t kLength = 6;  // digits per sequence

// Digit sequences [B, kLength] and the largest digit of each [B].
struct DigitBatch {
    Tensor digits;
    Tensor largest;
};

static DigitBatch digit_batch(int64_t batch) {
    Tensor digits = randint(0, kDigits, {batch, kLength});
    const std::vector<double> values = digits.to_vector();
    std::vector<double> largest;
    for (int64_t b = 0; b < batch; ++b) {
        largest.push_back(
            *std::max_element(values.begin() + b * kLength, values.begin() + (b + 1) * kLength));
    }
    return {digits, tensor(largest, {batch}, DType::Int64)};
}

// Embedding -> GRU -> Linear on the final state: logits [B, classes].
struct DigitClassifier : nn::Module {
    explicit DigitClassifier(int64_t classes) : nn::Module("DigitClassifier") {
        embedding = register_module("embedding", std::make_shared<nn::Embedding>(kDigits, 16));
        rnn = register_module("rnn", std::make_shared<nn::GRU>(16, 32));
        head = register_module("head", std::make_shared<nn::Linear>(32, classes));
    }
    Tensor forward(const Tensor& digits) const {  // [B, kLength] -> [B, classes]
        return head->forward(rnn->forward(embedding->forward(digits)).h_n.squeeze(0));
    }

    std::shared_ptr<nn::Embedding> embedding;
    std::shared_ptr<nn::GRU> rnn;
    std::shared_ptr<nn::Linear> head;
};

// What the model is asked: the largest digit itself (10 classes), or whether it is odd (2).
using Labels = Tensor (*)(const DigitBatch&);
static Tensor largest_digit(const DigitBatch& b) {
    return b.largest;
}
static Tensor largest_is_odd(const DigitBatch& b) {
    std::vector<double> odd;
    for (const double d : b.largest.to_vector()) odd.push_back(std::fmod(d, 2.0));
    return tensor(odd, {b.largest.size(0)}, DType::Int64);
}

// Adam under a progress bar (its step() skips frozen parameters); each step trains on the batch
// that next_batch() gives.
static void train(DigitClassifier& model, Labels labels,
                  const std::function<DigitBatch()>& next_batch, int64_t steps,
                  const std::string& name) {
    nn::Adam adam(model.parameters(), {.lr = 1e-2});
    nn::ProgressBar bar(steps, name);
    for (int64_t step = 1; step <= steps; ++step) {
        const DigitBatch batch = next_batch();
        Tensor loss = cross_entropy(model.forward(batch.digits), labels(batch));
        adam.zero_grad();
        loss.backward();
        adam.step();
        bar.update(step, {{"loss", loss.item()}});
    }
    bar.finish();
}

static double accuracy(const DigitClassifier& model, Labels labels) {
    NoGradGuard no_grad;
    const DigitBatch test = digit_batch(2000);
    const Tensor predicted = argmax(model.forward(test.digits), 1);
    return mean(to(eq(predicted, labels(test)), DType::Float64)).item();
}

static void print_report(const nn::LoadReport& report) {
    auto names = [](const std::vector<std::string>& list) {
        return list.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(list, ", "));
    };
    fmt::print("  loaded:     {}\n  missing:    {}\n  unexpected: {}\n  mismatched: {}\n",
               names(report.loaded), names(report.missing), names(report.unexpected),
               names(report.mismatched));
}

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 06: checkpoints and fine-tuning");
    manual_seed(6);
    const int64_t pretrain_steps = chapter.quick ? 300 : 1000;

    chapter.step("pretrain: which is the largest digit?");
    DigitClassifier pretrained(kDigits);
    fmt::print("{}", pretrained.summary());
    const DigitBatch example = digit_batch(3);
    fmt::print("digits {}\nlargest {}\n", example.digits, example.largest);
    // Plenty of data: a fresh batch of 32 sequences at every step.
    train(
        pretrained, largest_digit, [] { return digit_batch(32); }, pretrain_steps, "pretrain");
    fmt::print("accuracy on 2000 new sequences: {:.3f} (chance: about 0.1)\n",
               accuracy(pretrained, largest_digit));

    chapter.step("save a checkpoint");
    const std::string path = tutorial::output_path("06_largest_digit.safetensors");
    nn::save_model(pretrained, path, {{"task", "largest digit"}});
    const nn::TensorFile file = nn::load_file(path);
    fmt::print("{} holds {} tensors, metadata task = '{}':\n", path, file.tensors.size(),
               file.metadata.at("task"));
    for (const auto& [name, t] : file.tensors)
        fmt::print("  {:<22} {}\n", name, shape_str(t.shape()));
    fmt::print("In PyTorch: model.load_state_dict(safetensors.torch.load_file('{}'))\n", path);

    chapter.step("reload into a fresh model: the same outputs");
    DigitClassifier reloaded(kDigits);  // freshly initialised: other weights
    const Tensor probe = digit_batch(4).digits;
    auto logit_gap = [&] {
        NoGradGuard no_grad;
        return tutorial::max_abs_diff(reloaded.forward(probe), pretrained.forward(probe));
    };
    fmt::print("before loading, largest difference of the logits: {:.4f}\n", logit_gap());
    const nn::LoadReport strict = nn::load_model(reloaded, path);
    fmt::print("after loading {} tensors: {}\n", strict.loaded.size(), logit_gap());

    chapter.step("a model for another task: a strict load refuses, a non-strict one reports");
    // The new task has 2 classes, so the new model's head is [2, 32] where the file's is [10, 32].
    DigitClassifier finetuned(2);
    try {
        nn::load_model(finetuned, path);
    } catch (const Error& e) {
        fmt::print("strict load: glimpse::Error: {}\n", e.what());
    }
    const nn::LoadReport partial = nn::load_model(finetuned, path, /*strict=*/false);
    fmt::print("non-strict load:\n");
    print_report(partial);

    chapter.step("freeze the pretrained body");
    finetuned.embedding->requires_grad_(false);
    finetuned.rnn->requires_grad_(false);
    fmt::print("{}", finetuned.summary());
    std::vector<nn::NamedTensor> frozen_before;
    for (const auto& [name, p] : finetuned.named_parameters()) {
        if (!p.requires_grad()) frozen_before.emplace_back(name, p.clone());
    }
    const Tensor head_before = finetuned.head->weight.clone();

    chapter.step("fine-tune the head on a small data set: is the largest digit odd?");
    // Little data this time: the same 32 labelled sequences at every step. Only the head's 66
    // parameters learn, reading the state of the pretrained GRU. Beside it, the same model
    // trained from scratch (everything trainable) on the same 32 sequences.
    const DigitBatch small_set = digit_batch(32);
    const int64_t finetune_steps = 100;
    train(
        finetuned, largest_is_odd, [&] { return small_set; }, finetune_steps, "fine-tune");
    DigitClassifier scratch(2);
    train(
        scratch, largest_is_odd, [&] { return small_set; }, finetune_steps, "scratch");
    const double finetuned_accuracy = accuracy(finetuned, largest_is_odd);
    const double scratch_accuracy = accuracy(scratch, largest_is_odd);
    fmt::print(
        "accuracy on 2000 new sequences: fine-tuned {:.3f}, from scratch {:.3f} (chance "
        "about 0.5)\n",
        finetuned_accuracy, scratch_accuracy);

    chapter.step("the frozen weights did not move");
    double frozen_change = 0;
    for (const auto& [name, before] : frozen_before) {
        for (const auto& [now_name, now] : finetuned.named_parameters()) {
            if (now_name == name)
                frozen_change = std::max(frozen_change, tutorial::max_abs_diff(before, now));
        }
    }
    const double head_change = tutorial::max_abs_diff(head_before, finetuned.head->weight);
    fmt::print(
        "largest change of the {} frozen tensors: {}\nlargest change of head.weight: {:.4f}\n",
        frozen_before.size(), frozen_change, head_change);
    const bool shown = frozen_change == 0 && head_change > 0 && strict.complete() &&
                       finetuned_accuracy > scratch_accuracy;
    fmt::print("\n{}\n", shown ? "Saved, reloaded exactly, frozen where asked, and the pretrained "
                                 "body made the small data set enough."
                               : "NOT the expected result: see the numbers above.");
    return shown ? 0 : 1;
}
