// Tutorial 10: the bottleneck — exact match against source length, with and without attention.
//
// Without attention, the decoder of tutorial 08 gets one vector from the encoder: its final
// state, H numbers whatever the length of the source. Bahdanau, Cho and Bengio (2015, figure 2)
// showed what that costs: the translation quality of such a model falls as sentences grow
// longer, while a model with attention, which looks back at every encoder state at every step,
// holds up. This chapter repeats the experiment on a task where "right" is unambiguous: copying
// strings of 5 to 39 letters. Two models of the same size get the same data and the same number
// of training steps; only the decoder differs. Then each is scored by source length.

#include <algorithm>
#include <string>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

struct Bucket {
    int64_t low, high;  // source lengths low..high
    std::vector<Example> examples;
};

// The test examples grouped by source length, `width` lengths a bucket.
std::vector<Bucket> by_length(const std::vector<Example>& examples, int64_t min_length,
                              int64_t max_length, int64_t width) {
    std::vector<Bucket> buckets;
    for (int64_t low = min_length; low <= max_length; low += width) {
        buckets.push_back({low, std::min(max_length, low + width - 1), {}});
    }
    for (const Example& e : examples) {
        const auto length = static_cast<int64_t>(e.source.size());
        buckets[static_cast<std::size_t>((length - min_length) / width)].examples.push_back(e);
    }
    return buckets;
}

// Exact match and token accuracy of greedy translations, on one bucket.
struct Score {
    double exact_match = 0;
    double token_accuracy = 0;
};

Score score(const Seq2Seq& model, const std::vector<Example>& examples, const Vocab& vocab) {
    std::vector<std::string> sources, targets;
    for (const Example& e : examples) {
        sources.push_back(e.source);
        targets.push_back(e.target);
    }
    const std::vector<std::string> outputs = translate(model, sources, vocab, vocab);
    std::vector<std::vector<std::string>> hypotheses, references;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        hypotheses.push_back(vocab.tokenize(outputs[i]));
        references.push_back(vocab.tokenize(targets[i]));
    }
    return {exact_match(outputs, targets), token_accuracy(hypotheses, references)};
}

}  // namespace

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 10: the bottleneck");
    manual_seed(10);

    chapter.step("the task: copy strings of 5 to 39 letters");
    // Copying is the simplest sequence-to-sequence task whose difficulty grows with length: the
    // decoder must reproduce every letter, in order. The lengths are drawn uniformly, so every
    // length gets about the same share of the data.
    const int64_t max_length = chapter.quick ? 14 : 39;
    const TaskOptions task{.min_length = 5, .max_length = max_length, .symbols = "abcdefghij"};
    const TaskData data =
        make_task(Task::Copy, chapter.quick ? 3000 : 12000, chapter.quick ? 200 : 1600, 10, task);
    const Vocab vocab = Vocab::build({task.symbols}, Tokenization::Character);
    fmt::print("{} training and {} test strings, e.g.\n  {}\n", data.train.size(), data.test.size(),
               data.train[0].source);

    chapter.step("two models of the same size");
    // The same LSTM encoder and decoder cell, hidden size 64. The plain decoder starts from the
    // encoder's final state and sees nothing else. The attention decoder (Luong style, general
    // score q^T W k) also starts there, but after every step scores each encoder state against
    // its new state, and mixes their weighted average, the context, into its output:
    // h~_t = tanh(W_c [c_t; h_t]), which is also fed to the next step.
    const Seq2SeqConfig base{.source_vocab = vocab.size(),
                             .target_vocab = vocab.size(),
                             .embedding_size = 32,
                             .hidden_size = 64};
    Seq2SeqConfig plain_config = base;
    plain_config.attention = AttentionKind::None;
    Seq2SeqConfig attention_config = base;
    attention_config.attention = AttentionKind::Luong;
    attention_config.scorer = "general";
    Seq2Seq plain(plain_config);
    Seq2Seq attentive(attention_config);
    fmt::print("without attention: {} parameters; with attention: {} parameters\n",
               plain.parameter_count(), attentive.parameter_count());

    chapter.step("the same training budget for both");
    const std::vector<Batch> batches = make_batches(data.train, vocab, vocab, {.batch_size = 64});
    const TrainOptions options{.epochs = chapter.quick ? 3 : 6, .lr = 3e-3, .lr_decay = 0.8};
    // The epoch whose weights are kept is chosen by exact match on 200 of the training strings:
    // choosing it on the test strings would flatter the table below.
    const std::vector<Example> monitor(data.train.begin(), data.train.begin() + 200);
    for (auto& [name, model] : {std::pair<const char*, Seq2Seq*>{"without attention", &plain},
                                {"with attention", &attentive}}) {
        const TrainReport report = train(
            *model, batches, [&](const Batch& b) { return model->loss(b); },
            [&] { return translation_exact_match(*model, monitor, vocab, vocab); }, options);
        fmt::print("{}: {} epochs of {} batches, {:.1f} s, final train loss {:.4f}\n", name,
                   report.epochs.size(), batches.size(), report.epochs.back().seconds,
                   report.epochs.back().train_loss);
    }

    chapter.step("exact match against source length");
    const std::vector<Bucket> buckets = by_length(data.test, task.min_length, max_length, 5);
    std::vector<double> x, plain_match, attentive_match;
    fmt::print("{:>8}  {:>8}  {:>22}  {:>22}\n", "length", "strings", "without attention",
               "with attention");
    fmt::print("{:>8}  {:>8}  {:>22}  {:>22}\n", "", "", "exact match  tokens",
               "exact match  tokens");
    for (const Bucket& bucket : buckets) {
        if (bucket.examples.empty()) continue;
        const Score a = score(plain, bucket.examples, vocab);
        const Score b = score(attentive, bucket.examples, vocab);
        fmt::print("{:>8}  {:>8}  {:>11.3f}  {:>8.3f}  {:>11.3f}  {:>8.3f}\n",
                   fmt::format("{}-{}", bucket.low, bucket.high), bucket.examples.size(),
                   a.exact_match, a.token_accuracy, b.exact_match, b.token_accuracy);
        x.push_back(0.5 * static_cast<double>(bucket.low + bucket.high));
        plain_match.push_back(a.exact_match);
        attentive_match.push_back(b.exact_match);
    }
    // "tokens" is token accuracy: the share of reference letters reproduced at their position.
    // Without attention, copying is hard even for short strings: the first letter to write is
    // the one read longest ago, and every letter must survive in the one final state. With
    // attention, the decoder reads letter t from position t when it needs it, and length
    // matters far less.
    const Chart chart{
        .title = "copying strings: exact match against source length",
        .series = {{"without attention", plain_match}, {"with attention", attentive_match}},
        .x = x,
        .x_label = "source length",
        .y_label = "exact match"};
    tutorial::draw(chart, "10_bottleneck.svg", 60, 12);
}
