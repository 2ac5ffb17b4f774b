// Benchmark of accuracy per minute: tutorial 13's grapheme-to-phoneme model (the CMU
// Pronouncing Dictionary, build/data/cmudict-0.4.out, fetched by `make data`) trained for a
// fixed five minutes of wall time. Two JSON lines:
//   seconds_to_35pct_wer   seconds of training (evaluations included) until greedy WER on 1,000
//                          validation words first reaches 35% or less; null if it does not
//                          within the five minutes
//   wer_after_5_minutes    greedy WER and PER on every validation word with the weights kept
//                          after five minutes (the best of the evaluations every 250 steps)
// Each line gives the load average, the second also the process's CPU seconds: the machine may be
// shared, and a loaded machine slows the wall-clock figures. Run from the repository root, waiting
// passively as make bench runs it (about six minutes):
//   OMP_WAIT_POLICY=passive build/bench/bench_g2p

#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "bench/bench_util.hpp"
#include "glimpse.hpp"

namespace {

using namespace glimpse;
using namespace glimpse::decode;

constexpr double kTrainSeconds = 300;
constexpr double kTargetWer = 0.35;
constexpr int64_t kEvaluateEvery = 250;     // steps
constexpr int64_t kEvaluationWords = 1000;  // validation words scored during training
constexpr const char* kData = "build/data/cmudict-0.4.out";

double load_average() {
    double load[1] = {0};
    return getloadavg(load, 1) == 1 ? load[0] : -1;
}

double cpu_seconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

}  // namespace

int main() {
    Lexicon lexicon;
    try {
        lexicon = load_festival_lexicon(kData);
    } catch (const Error& e) {
        fmt::print(stderr, "bench_g2p: {}\n(run it from the repository root after make data)\n",
                   e.what());
        return 1;
    }
    const WordSplit split = split_by_word(lexicon.pronunciations);
    const std::vector<WordReferences> validation = group_by_word(split.validation);
    std::vector<WordReferences> scored_in_training;  // every k-th validation word
    for (int64_t i = 0; i < kEvaluationWords; ++i) {
        scored_in_training.push_back(validation[static_cast<std::size_t>(
            i * static_cast<int64_t>(validation.size()) / kEvaluationWords)]);
    }
    std::vector<std::string> spellings, pronunciations;
    for (const Example& example : split.train) {
        spellings.push_back(example.source);
        pronunciations.push_back(example.target);
    }
    const Vocab letters = Vocab::build(spellings, Tokenization::Character);
    const Vocab phones = Vocab::build(pronunciations, Tokenization::Word);

    // Tutorial 13's model and recipe.
    manual_seed(13);
    Seq2Seq model({.source_vocab = letters.size(),
                   .target_vocab = phones.size(),
                   .embedding_size = 64,
                   .hidden_size = 256,
                   .bidirectional = true,
                   .attention = AttentionKind::Bahdanau,
                   .scorer = "bahdanau",
                   .dropout = 0.3});
    const std::vector<Batch> batches =
        make_batches(split.train, letters, phones, {.batch_size = 64, .seed = 13});
    const double cpu_start = cpu_seconds();
    const TrainReport report = train(
        model, batches, [&](const Batch& batch) { return model.loss(batch); },
        [&] {
            return 1 - pronunciation_error_rates(model, scored_in_training, letters, phones).word;
        },
        {.epochs = 100,
         .lr = 3e-3,
         .lr_decay = 0.8,
         .time_limit_seconds = kTrainSeconds,
         .evaluate_every = kEvaluateEvery,
         .progress = false});
    const double cpu_trained = cpu_seconds() - cpu_start;

    std::optional<double> seconds_to_target, step_at_target;
    for (const EpochReport& evaluation : report.epochs) {
        if (1 - evaluation.evaluation <= kTargetWer) {
            seconds_to_target = evaluation.seconds;
            step_at_target = static_cast<double>(evaluation.step);
            break;
        }
    }
    bench::JsonLine()
        .add("bench", "g2p")
        .add("figure", "seconds_to_35pct_wer")
        .add("seconds", seconds_to_target)
        .add("step", step_at_target)
        .add("validation_words", static_cast<double>(scored_in_training.size()))
        .add("load_average", load_average())
        .print();

    model.eval();
    const PronunciationErrorRates rates =
        pronunciation_error_rates(model, validation, letters, phones);
    bench::JsonLine()
        .add("bench", "g2p")
        .add("figure", "wer_after_5_minutes")
        .add("greedy_wer", rates.word)
        .add("greedy_per", rates.phoneme)
        .add("validation_words", static_cast<double>(validation.size()))
        .add("trained_seconds", report.epochs.back().seconds)
        .add("cpu_seconds", cpu_trained)
        .add("steps", static_cast<double>(report.epochs.back().step))
        .add("kept_step", static_cast<double>(report.best_step))
        .add("load_average", load_average())
        .print();
    return 0;
}
