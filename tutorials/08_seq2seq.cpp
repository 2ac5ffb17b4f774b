// Tutorial 08: sequence to sequence — an encoder, a decoder, and one vector between them.
//
// Many problems map a sequence to another sequence of a different length: translation, date
// normalisation, reversing a string. An encoder-decoder (Sutskever et al. 2014, Cho et al. 2014)
// does it with two recurrent networks. The encoder reads the source token by token; its final
// state, one vector of H numbers, is all the decoder gets. The decoder starts from that vector
// and writes the target one token at a time, each step reading the token before.
//
// This chapter trains one on reversal ("abcd" -> "dcba"): the data and its vocabularies, a
// batch as the decoder sees it under teacher forcing, the untrained model, training, then
// greedy decoding of held-out strings step by step, and exact match.

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

// The examples of `examples` whose source has `length` tokens.
std::vector<Example> of_length(const std::vector<Example>& examples, int64_t length) {
    std::vector<Example> out;
    for (const Example& e : examples) {
        if (static_cast<int64_t>(e.source.size()) == length) out.push_back(e);
    }
    return out;
}

// "<sos> a b c" from token ids.
std::string spelled(const Vocab& vocab, const Tensor& ids) {
    std::string out;
    for (const double id : ids.to_vector()) {
        if (!out.empty()) out += ' ';
        out += vocab.token(static_cast<int64_t>(id));
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 08: sequence to sequence");
    manual_seed(8);

    chapter.step("the task: reverse a string");
    // Strings of 3 to 8 letters out of 10, written backwards. decode::make_task splits train and
    // test by the underlying sequence: no test string was ever seen in training.
    const TaskOptions task{.min_length = 3, .max_length = 8, .symbols = "abcdefghij"};
    const int64_t n_train = chapter.quick ? 2000 : 20000;
    const int64_t n_validation = chapter.quick ? 50 : 200;
    const TaskData data = make_task(Task::Reverse, n_train, n_validation + 1000, 8, task);
    // The held-out strings are cut in two: a validation set that picks the best epoch while
    // training, and a test set that only the final scores read.
    const std::vector<Example> validation(data.test.begin(), data.test.begin() + n_validation);
    const std::vector<Example> test(data.test.begin() + n_validation, data.test.end());
    fmt::print("{} training, {} validation and {} test examples, e.g.\n", data.train.size(),
               validation.size(), test.size());
    for (int i = 0; i < 4; ++i) {
        fmt::print("  {:>10} -> {}\n", data.train[i].source, data.train[i].target);
    }

    chapter.step("vocabularies: tokens to ids");
    // One character is one token. Ids 0..3 are reserved: <pad> fills short rows of a batch,
    // <sos> starts the decoder, <eos> ends the output, <unk> stands for anything unseen.
    std::vector<std::string> sources, targets;
    for (const Example& e : data.train) {
        sources.push_back(e.source);
        targets.push_back(e.target);
    }
    const Vocab source_vocab = Vocab::build(sources, Tokenization::Character);
    const Vocab target_vocab = Vocab::build(targets, Tokenization::Character);
    fmt::print("source vocabulary: {} tokens; target vocabulary: {} tokens\n", source_vocab.size(),
               target_vocab.size());
    const std::vector<int64_t> ids = source_vocab.encode(data.train[0].source);
    fmt::print("'{}' -> ids [{}]\n", data.train[0].source, fmt::join(ids, ", "));

    chapter.step("a batch, and teacher forcing");
    // Each row of a batch is padded to the longest. The decoder's input is the target shifted
    // right behind <sos>; what it must predict is the target followed by <eos>. During training
    // the decoder reads the *reference* previous token at every step, not its own guess: teacher
    // forcing. All positions are then known in advance, the loss is the mean cross-entropy over
    // every target token, and a mistake early on cannot derail the rest of the sentence.
    const Batch sample = make_batch(data.train, {0, 1, 2}, source_vocab, target_vocab);
    for (int64_t b = 0; b < 3; ++b) {
        fmt::print("row {}: source        {}\n", b,
                   spelled(source_vocab, sample.source.select(0, b)));
        fmt::print("       target_input  {}\n",
                   spelled(target_vocab, sample.target_input.select(0, b)));
        fmt::print("       target_output {}\n",
                   spelled(target_vocab, sample.target_output.select(0, b)));
    }

    chapter.step("the model: LSTM encoder, LSTM decoder, no attention");
    // The decoder's initial state is the encoder's final state (h, c): 2 x 128 numbers, whatever
    // the length of the source. Everything the decoder will ever know about the source must
    // pass through them.
    Seq2Seq model({.source_vocab = source_vocab.size(),
                   .target_vocab = target_vocab.size(),
                   .embedding_size = 32,
                   .hidden_size = 128,
                   .attention = AttentionKind::None});
    fmt::print("{}", model.summary());

    chapter.step("before training");
    // Untrained, the next-token distribution is nearly uniform: a loss near log V.
    const std::vector<Batch> train_batches =
        make_batches(data.train, source_vocab, target_vocab, {.batch_size = 64});
    fmt::print("loss on a batch: {:.4f}  (log V = log {} = {:.4f})\n",
               model.loss(train_batches[0]).item(), target_vocab.size(),
               std::log(static_cast<double>(target_vocab.size())));
    const std::vector<Example> shown(test.begin(), test.begin() + 5);
    std::vector<std::string> shown_sources;
    for (const Example& e : shown) shown_sources.push_back(e.source);
    const std::vector<std::string> before =
        translate(model, shown_sources, source_vocab, target_vocab);
    for (std::size_t i = 0; i < shown.size(); ++i) {
        fmt::print("  {:>10} -> '{}'\n", shown[i].source, before[i]);
    }

    chapter.step("training");
    // decode::train: Adam, gradient clipping, and after each epoch the exact match of greedy
    // decoding on the validation strings; the best epoch's weights are kept.
    const TrainReport report = train(
        model, train_batches, [&](const Batch& b) { return model.loss(b); },
        [&] { return translation_exact_match(model, validation, source_vocab, target_vocab); },
        {.epochs = chapter.quick ? 2 : 8, .lr = 3e-3, .lr_decay = 0.85});
    fmt::print("epoch  train loss  validation exact match  seconds\n");
    std::vector<double> losses, matches;
    for (const EpochReport& e : report.epochs) {
        fmt::print("{:>5}  {:>10.4f}  {:>22.3f}  {:>7.1f}\n", e.epoch, e.train_loss, e.evaluation,
                   e.seconds);
        losses.push_back(e.train_loss);
        matches.push_back(e.evaluation);
    }
    const Chart curve{.title = "reversal without attention",
                      .series = {{"train loss", losses}, {"validation exact match", matches}},
                      .x_label = "epoch"};
    tutorial::draw(curve, "08_training.svg", 50, 10);

    chapter.step("greedy decoding, one step at a time");
    // At test time there is no reference to feed. The decoder starts from <sos>, and at each step
    // greedy decoding takes the most probable token and feeds it back as the next input, until
    // it writes <eos>. start_decoding runs the encoder once; each step() is one decoder step.
    const Batch one = source_batch({shown[0].source}, source_vocab);
    const auto decoding = model.start_decoding(one.source, one.source_lengths);
    int64_t token = Vocab::sos;
    fmt::print("source '{}', reference '{}'\n", shown[0].source, shown[0].target);
    for (int step = 1; token != Vocab::eos && step <= 20; ++step) {
        const Tensor probs = exp(decoding->step(tensor({double(token)}, {1}, DType::Int64))
                                     .log_probs.select(0, 0));  // [V]
        const std::vector<double> p = probs.to_vector();
        std::vector<int64_t> order(p.size());
        for (std::size_t v = 0; v < p.size(); ++v) order[v] = static_cast<int64_t>(v);
        std::partial_sort(order.begin(), order.begin() + 3, order.end(),
                          [&](int64_t a, int64_t b) { return p[a] > p[b]; });
        token = order[0];
        fmt::print("  step {}: {:<5} p={:.3f}   (next best: {} {:.3f}, {} {:.3f})\n", step,
                   target_vocab.token(token), p[order[0]], target_vocab.token(order[1]),
                   p[order[1]], target_vocab.token(order[2]), p[order[2]]);
    }

    chapter.step("held-out strings");
    const std::vector<std::string> after =
        translate(model, shown_sources, source_vocab, target_vocab);
    for (std::size_t i = 0; i < shown.size(); ++i) {
        fmt::print("  {:>10} -> {:<10} {}\n", shown[i].source, after[i],
                   after[i] == shown[i].target ? "right" : "WRONG, wanted " + shown[i].target);
    }
    const double test_match = translation_exact_match(model, test, source_vocab, target_vocab);
    fmt::print("exact match on all {} test strings: {:.3f} (best epoch {})\n", test.size(),
               test_match, report.best_epoch);

    chapter.step("exact match by source length");
    // Longer strings are harder: more to squeeze into the same vector, more steps to get right.
    // Tutorial 10 follows this to longer inputs, and shows attention removing the squeeze.
    fmt::print("length  examples  exact match\n");
    for (int64_t length = task.min_length; length <= task.max_length; ++length) {
        const std::vector<Example> subset = of_length(test, length);
        if (subset.empty()) continue;
        fmt::print("{:>6}  {:>8}  {:>11.3f}\n", length, subset.size(),
                   translation_exact_match(model, subset, source_vocab, target_vocab));
    }

    chapter.step("teacher forcing against free running");
    // Under teacher forcing every step sees the right history. Decoding sees its own, and one
    // wrong token changes what follows (exposure bias). The same loss with the model's own
    // greedy predictions fed back (teacher_forcing_ratio 0) measures the gap.
    const std::vector<Batch> test_batches =
        make_batches(test, source_vocab, target_vocab, {.batch_size = 200, .shuffle = false});
    double forced = 0, free_running = 0;
    {
        const NoGradGuard no_grad;
        for (const Batch& b : test_batches) {
            forced += model.loss(b).item();
            free_running += model.loss(b, 0.0).item();
        }
    }
    fmt::print("test loss, teacher forced: {:.4f}; own predictions fed back: {:.4f}\n",
               forced / double(test_batches.size()), free_running / double(test_batches.size()));
}
