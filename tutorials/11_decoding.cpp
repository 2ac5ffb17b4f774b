// Tutorial 11: decoding — greedy search, beam search, sampling, and how far each is from the best.
//
// A trained seq2seq model gives, at every step, a distribution over the next token given the
// source and the tokens so far. Its output is a search problem: find the sequence Y with the
// highest log P(Y | X) = sum_t log P(y_t | y_<t, X). There are V^T sequences of T tokens, far too
// many to score, so decoders search:
//   greedy   the most probable token at each step, once and for all;
//   beam     the k most probable partial sequences at each step, each expanded by every token,
//            the best k kept and the rest pruned;
//   sampling a random token from each step's distribution, reshaped by a temperature or top-k.
// This chapter compares them on one model, prints n-best lists, shows what a length penalty
// changes, and measures the search error of greedy and beam search against exhaustive search,
// which scores every sequence: feasible here because the vocabulary is tiny and outputs short.

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

// The reversal model of tutorial 08, smaller: its alphabet has 4 letters, so the target
// vocabulary has 8 tokens (with <pad>, <sos>, <eos>, <unk>).
Seq2Seq make_model(const Vocab& source_vocab, const Vocab& target_vocab) {
    return Seq2Seq({.source_vocab = source_vocab.size(),
                    .target_vocab = target_vocab.size(),
                    .embedding_size = 16,
                    .hidden_size = 64,
                    .attention = AttentionKind::None});
}

std::vector<Example> shorter_than(const std::vector<Example>& examples, int64_t length) {
    std::vector<Example> out;
    for (const Example& e : examples) {
        if (static_cast<int64_t>(e.source.size()) < length) out.push_back(e);
    }
    return out;
}

std::vector<std::string> sources_of(const std::vector<Example>& examples) {
    std::vector<std::string> out;
    for (const Example& e : examples) out.push_back(e.source);
    return out;
}

// The search error of one search against exhaustive search's best, over the same sentences.
struct SearchError {
    int64_t differs = 0;  // sentences whose best output is not the true best
    double total_gap = 0;
    double max_gap = 0;  // in log-probability (score) units
};

SearchError search_error(const std::vector<Hypothesis>& found, const std::vector<NBestList>& best) {
    SearchError error;
    for (std::size_t i = 0; i < found.size(); ++i) {
        const Hypothesis& exact = best[i].front();
        if (found[i].tokens == exact.tokens) continue;
        const double gap = exact.score - found[i].score;
        ++error.differs;
        error.total_gap += gap;
        error.max_gap = std::max(error.max_gap, gap);
    }
    return error;
}

}  // namespace

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 11: decoding");
    manual_seed(11);

    chapter.step("a model to decode: string reversal over 4 letters");
    // Two snapshots of one model: `early` after a short training run, still unsure of itself,
    // and `trained`, which continued from it. Search matters most when the model is unsure.
    const TaskOptions task{.min_length = 1, .max_length = 10, .symbols = "abcd"};
    const TaskData data =
        make_task(Task::Reverse, chapter.quick ? 1500 : 8000, chapter.quick ? 350 : 1200, 11, task);
    // Validation strings pick the best epoch; test strings are only scored.
    const std::size_t n_validation = chapter.quick ? 50 : 200;
    const std::vector<Example> validation(data.test.begin(), data.test.begin() + n_validation);
    const std::vector<Example> test(data.test.begin() + n_validation, data.test.end());
    std::vector<std::string> targets;
    for (const Example& e : data.train) targets.push_back(e.target);
    const Vocab source_vocab = Vocab::build(sources_of(data.train), Tokenization::Character);
    const Vocab target_vocab = Vocab::build(targets, Tokenization::Character);
    const std::vector<Batch> batches =
        make_batches(data.train, source_vocab, target_vocab, {.batch_size = 32});
    const std::string early_path = tutorial::output_path("11_early.safetensors");

    // `early` sees only its first 80 batches (40 in --quick); it is saved, loaded into `trained`
    // and trained on from there for whole epochs.
    Seq2Seq early = make_model(source_vocab, target_vocab);
    const auto greedy_match = [&](const Seq2Seq& m, const std::vector<Example>& examples) {
        return translation_exact_match(m, examples, source_vocab, target_vocab);
    };
    train(
        early, {batches.begin(), batches.begin() + (chapter.quick ? 40 : 80)},
        [&](const Batch& b) { return early.loss(b); },
        [&] { return greedy_match(early, validation); },
        {.epochs = 1, .lr = 3e-3, .progress = false});
    nn::save_model(early, early_path);
    Seq2Seq trained = make_model(source_vocab, target_vocab);
    nn::load_model(trained, early_path);
    train(
        trained, batches, [&](const Batch& b) { return trained.loss(b); },
        [&] { return greedy_match(trained, validation); },
        {.epochs = chapter.quick ? 2 : 4, .lr = 3e-3, .lr_decay = 0.8});
    fmt::print("{} training, {} test strings; target vocabulary {} tokens\n", data.train.size(),
               test.size(), target_vocab.size());
    fmt::print("greedy exact match on the test strings: early {:.3f}, trained {:.3f}\n",
               greedy_match(early, test), greedy_match(trained, test));

    chapter.step("greedy against beam search");
    // Beam size 1 is greedy search. A larger beam finds outputs of higher probability; whether
    // that means more right answers depends on the model: the most probable output is not
    // always the right one.
    fmt::print("model    search   exact match\n");
    for (const auto& [name, model] :
         {std::pair<const char*, const Seq2Seq*>{"early", &early}, {"trained", &trained}}) {
        for (const int64_t k : {1, 2, 5}) {
            BeamSearchOptions options;
            options.beam_size = k;
            fmt::print("{:<8} beam {:<3} {:>11.3f}\n", name, k,
                       translation_exact_match(*model, test, source_vocab, target_vocab,
                                               best_of_beam(options)));
        }
    }

    chapter.step("n-best lists");
    // Beam search keeps k hypotheses, so it can return up to k of them, ranked: an n-best list.
    // Each has its log-probability (the sum of its tokens') and its probability.
    const std::vector<Example> shown(test.begin(), test.begin() + 2);
    for (const auto& [name, model] :
         {std::pair<const char*, const Seq2Seq*>{"early", &early}, {"trained", &trained}}) {
        const Batch batch = source_batch(sources_of(shown), source_vocab);
        const auto decoding = model->start_decoding(batch.source, batch.source_lengths);
        BeamSearchOptions options;
        options.beam_size = 5;
        options.n_best = 5;
        const std::vector<NBestList> lists = beam_search(*decoding, options);
        for (std::size_t i = 0; i < shown.size(); ++i) {
            fmt::print("{} model, '{}' (reference '{}'):\n", name, shown[i].source,
                       shown[i].target);
            for (const Hypothesis& h : lists[i]) {
                fmt::print("   {:<10} log P = {:>8.4f}   P = {:.4f}\n",
                           fmt::format("'{}'", target_vocab.decode(h.tokens)), h.log_prob,
                           std::exp(h.log_prob));
            }
        }
    }

    chapter.step("sampling: temperature and top-k");
    // Sampling draws instead of searching. Temperature T divides the log-probabilities before
    // the softmax: T < 1 sharpens the distribution towards greedy, T > 1 flattens it. Top-k
    // draws only among the k most probable tokens. 200 samples of one source from the trained
    // model (one batch of 200 copies), each setting from the same seed:
    const Example& source = shown[0];
    constexpr int kSamples = 200;
    const Batch copies =
        source_batch(std::vector<std::string>(kSamples, source.source), source_vocab);
    fmt::print("source '{}', reference '{}'\n", source.source, source.target);
    fmt::print("setting         distinct  right  most frequent (count)\n");
    const std::vector<std::tuple<std::string, double, int64_t>> settings = {
        {"T = 0.5", 0.5, 0}, {"T = 1", 1.0, 0}, {"T = 2", 2.0, 0}, {"T = 2, top-2", 2.0, 2}};
    for (const auto& [name, temperature, top_k] : settings) {
        SamplingOptions options;
        options.temperature = temperature;
        options.top_k = top_k;
        Generator generator(42);
        std::map<std::string, int> counts;
        const auto decoding = trained.start_decoding(copies.source, copies.source_lengths);
        for (const Hypothesis& h : sample(*decoding, options, generator)) {
            ++counts[target_vocab.decode(h.tokens)];
        }
        std::vector<std::pair<int, std::string>> frequent;
        for (const auto& [text, count] : counts) frequent.emplace_back(count, text);
        std::sort(frequent.rbegin(), frequent.rend());
        frequent.resize(std::min<std::size_t>(frequent.size(), 3));
        std::string listed;
        for (const auto& [count, text] : frequent) listed += fmt::format("'{}' {}  ", text, count);
        fmt::print("{:<15} {:>8}  {:>5}  {}\n", name, counts.size(), counts[source.target], listed);
    }

    chapter.step("the length penalty");
    // Every token multiplies in a probability below 1, so log P favours short outputs. Beam
    // search can divide the log-probability by a length penalty before ranking finished
    // hypotheses: average |Y|^alpha, or GNMT's ((5 + |Y|) / 6)^alpha. Over the test strings
    // (beam 5, early model, whose bias shows most): exact match, and the mean output length
    // against the references'. A penalty moves the length; it cannot fix what the model has
    // not learnt.
    double reference_length = 0;
    for (const Example& e : test) reference_length += static_cast<double>(e.target.size());
    reference_length /= static_cast<double>(test.size());
    fmt::print("penalty           exact match  mean length  (references: {:.3f})\n",
               reference_length);
    const std::vector<std::tuple<std::string, LengthPenalty, double>> penalties = {
        {"none", LengthPenalty::None, 0.0},
        {"average a=1", LengthPenalty::Average, 1.0},
        {"GNMT a=0.6", LengthPenalty::GNMT, 0.6},
        {"GNMT a=2", LengthPenalty::GNMT, 2.0}};
    for (const auto& [name, penalty, alpha] : penalties) {
        BeamSearchOptions options;
        options.beam_size = 5;
        options.length_penalty = penalty;
        options.alpha = alpha;
        const std::vector<std::string> outputs =
            translate(early, sources_of(test), source_vocab, target_vocab, best_of_beam(options));
        double length = 0;
        std::vector<std::string> references;
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            length += static_cast<double>(outputs[i].size());
            references.push_back(test[i].target);
        }
        fmt::print("{:<17} {:>11.3f}  {:>11.3f}\n", name, exact_match(outputs, references),
                   length / static_cast<double>(outputs.size()));
    }

    chapter.step("search error against exhaustive search");
    // Exhaustive search scores every sequence of up to max_length tokens: 8^5 = 32768 per
    // sentence here, so only strings of up to 4 letters (4 letters + <eos>). Its best is the
    // true most probable output; a search whose best differs made a search error, and the score
    // gap says how much log-probability it lost. The strings come from both splits: search error
    // is about the search, not about generalisation.
    std::vector<Example> short_ones = shorter_than(data.train, 5);
    const std::vector<Example> short_test = shorter_than(test, 5);
    short_ones.insert(short_ones.end(), short_test.begin(), short_test.end());
    if (chapter.quick) short_ones.resize(std::min<std::size_t>(short_ones.size(), 60));
    const Batch batch = source_batch(sources_of(short_ones), source_vocab);
    fmt::print("{} strings of 1 to 4 letters\n", short_ones.size());
    fmt::print("model    search      differs from best  mean gap  max gap  exact match\n");
    for (const auto& [name, model] :
         {std::pair<const char*, const Seq2Seq*>{"early", &early}, {"trained", &trained}}) {
        ExhaustiveOptions exhaustive;
        exhaustive.max_length = 5;
        const std::vector<NBestList> best = exhaustive_search(
            *model->start_decoding(batch.source, batch.source_lengths), exhaustive);
        std::vector<std::string> references, best_outputs;
        for (std::size_t i = 0; i < short_ones.size(); ++i) {
            references.push_back(short_ones[i].target);
            best_outputs.push_back(target_vocab.decode(best[i].front().tokens));
        }
        for (const int64_t k : {1, 2, 5}) {
            BeamSearchOptions options;
            options.beam_size = k;
            options.max_length = 5;
            std::vector<Hypothesis> found;
            for (NBestList& list :
                 beam_search(*model->start_decoding(batch.source, batch.source_lengths), options)) {
                found.push_back(list.front());
            }
            std::vector<std::string> outputs;
            for (const Hypothesis& h : found) outputs.push_back(target_vocab.decode(h.tokens));
            const SearchError error = search_error(found, best);
            fmt::print("{:<8} beam {:<6} {:>17}  {:>8.4f}  {:>7.4f}  {:>11.3f}\n", name, k,
                       fmt::format("{} ({:.1f}%)", error.differs,
                                   100.0 * error.differs / double(found.size())),
                       error.differs ? error.total_gap / error.differs : 0.0, error.max_gap,
                       exact_match(outputs, references));
        }
        fmt::print("{:<8} exhaustive  {:>17}  {:>8}  {:>7}  {:>11.3f}\n", name, "-", "-", "-",
                   exact_match(best_outputs, references));
    }
    // The gap is measured in log-probability: a gap of g means the search's output is e^-g as
    // probable as the best one. Exact match of exhaustive search is the model's own accuracy,
    // free of search errors: what remains wrong there is the model's fault, not the search's.
}
