// Checks of assignment a4: cosine attention with a learned scale (the spec is in
// a4_cosine_attention.hpp).

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "tutorials/coursework/a4_cosine_attention.hpp"
#include "tutorials/coursework/checks/checker.hpp"
#include "tutorials/coursework/checks/golden.hpp"

namespace coursework::check {

using namespace glimpse;

namespace {

constexpr int64_t kQuery = 3, kKey = 5;  // the golden step's sizes

const golden::Case& golden_step() {
    return golden_case("cosine/step");
}

// A float64 scorer holding PyTorch's weights.
std::shared_ptr<CosineAttention> golden_scorer() {
    const golden::Case& c = golden_step();
    auto scorer = std::make_shared<CosineAttention>(kQuery, kKey, DType::Float64);
    expect(scorer->query_proj && scorer->log_scale.defined(),
           "query_proj or log_scale is missing: check the parameters first");
    NoGradGuard no_grad;
    copy_(scorer->query_proj->weight, c.tensor("query_proj.weight"));
    copy_(scorer->log_scale, c.tensor("log_scale"));
    return scorer;
}

struct StepLeaves {
    Tensor query, keys, values;
};

StepLeaves golden_leaves() {
    const golden::Case& c = golden_step();
    return {c.tensor("query").clone().requires_grad_(), c.tensor("keys").clone().requires_grad_(),
            c.tensor("values").clone().requires_grad_()};
}

void check_parameters() {
    const CosineAttention scorer(3, 4);
    std::vector<std::string> got;
    for (const auto& [name, value] : scorer.named_parameters()) {
        got.push_back(fmt::format("{} {}", name, shape_str(value.shape())));
    }
    std::sort(got.begin(), got.end());
    const std::vector<std::string> expected = {"log_scale []", "query_proj.weight [4, 3]"};
    expect(got == expected,
           fmt::format("CosineAttention(3, 4) should have query_proj.weight [4, 3] and log_scale "
                       "[]; it has: {}",
                       got.empty() ? "no parameters" : fmt::format("{}", fmt::join(got, ", "))));
    expect(std::abs(scorer.log_scale.item() - std::log(5.0)) < 1e-6,
           fmt::format("log_scale starts at {}, expected log(5) = {}", scorer.log_scale.item(),
                       std::log(5.0)));
}

void check_gradients() {
    const golden::Case& c = golden_step();
    const auto scorer = golden_scorer();
    const StepLeaves in = golden_leaves();
    const Tensor mask = c.tensor("mask");
    const attention::PreparedSource source = scorer->prepare(in.keys, in.values, mask);
    const Tensor scores = scorer->score(in.query, source);
    const attention::AttentionOutput out = scorer->forward(in.query, source);
    const Tensor loss = sum(scores * c.tensor("grad_scores")) +
                        sum(out.weights * c.tensor("grad_weights")) +
                        sum(out.context * c.tensor("grad_context"));
    loss.backward();
    const std::vector<std::pair<std::string, Tensor>> leaves = {
        {"query", in.query},
        {"keys", in.keys},
        {"values", in.values},
        {"query_proj.weight", scorer->query_proj->weight},
        {"log_scale", scorer->log_scale}};
    for (const auto& [name, leaf] : leaves) {
        expect_close(fmt::format("the gradient of {}", name), grad_or_zeros(leaf),
                     c.tensor("grad_" + name), 1e-10, 1e-8);
    }
}

void check_gradcheck() {
    const golden::Case& c = golden_step();
    const Tensor mask = c.tensor("mask");
    std::vector<Tensor> inputs;
    for (const char* name : {"query", "keys", "values", "query_proj.weight", "log_scale"}) {
        inputs.push_back(c.tensor(name).clone().requires_grad_());
    }
    expect_gradcheck("a padded attention step (context, then weights)",
                     [mask](const std::vector<Tensor>& in) {
                         const Tensor scores =
                             cosine_scores(in[0], unit_vectors(in[1]), in[3], in[4]);
                         const Tensor weights = attention::masked_softmax(scores, mask);  // [B, S]
                         return cat({attention::attend(weights, in[2]), weights}, 1);
                     },
                     inputs, {"query", "keys", "values", "query_proj.weight", "log_scale"});
}

void check_scale_invariance() {
    const golden::Case& c = golden_step();
    const auto scorer = golden_scorer();
    const Tensor keys = c.tensor("keys");
    const Tensor values = c.tensor("values");
    const Tensor scores = scorer->score(c.tensor("query"), scorer->prepare(keys, values));
    const Tensor longer = scorer->score(c.tensor("query"), scorer->prepare(keys * 3.0, values));
    expect_close("scores with the keys times 3 against scores with the keys", longer, scores, 1e-10,
                 1e-8);
}

// Six reversal examples over "abcd" as one padded batch, with one vocabulary for both sides.
struct TinyTask {
    decode::Vocab vocab;
    decode::Batch batch;
};

TinyTask tiny_task() {
    decode::TaskOptions options;
    options.min_length = 2;
    options.max_length = 5;
    options.symbols = "abcd";
    const decode::TaskData data = decode::make_task(decode::Task::Reverse, 6, 0, 3, options);
    std::vector<std::string> texts;
    for (const decode::Example& e : data.train) texts.push_back(e.source);
    TinyTask task{decode::Vocab::build(texts, decode::Tokenization::Character), {}};
    task.batch = decode::make_batch(data.train, {0, 1, 2, 3, 4, 5}, task.vocab, task.vocab);
    return task;
}

// decode::Seq2Seq with the student's scorer, as any user would build it: a training step, then
// greedy and beam search, and the attention of every decoded step a distribution.
void check_inside_seq2seq(decode::AttentionKind kind) {
    manual_seed(23);
    const TinyTask task = tiny_task();
    const decode::Seq2SeqConfig config{.source_vocab = task.vocab.size(),
                                       .target_vocab = task.vocab.size(),
                                       .embedding_size = 4,
                                       .hidden_size = 5,
                                       .bidirectional = true,
                                       .attention = kind};
    const auto scorer = std::make_shared<CosineAttention>(5, 10);
    decode::Seq2Seq model(config, scorer);
    bool registered = false;
    for (const auto& [name, value] : model.named_parameters()) {
        registered = registered || value.impl_ptr() == scorer->log_scale.impl_ptr();
    }
    expect(registered, "log_scale is not among model.named_parameters(): register it");
    const Tensor loss = model.loss(task.batch);
    expect(std::isfinite(loss.item()), fmt::format("the model's loss is {}", loss.item()));
    loss.backward();
    expect(scorer->log_scale.grad().defined() && scorer->log_scale.grad().item() != 0,
           "after loss.backward(), log_scale has no gradient: is it used in score()?");
    model.eval();
    decode::DecodeOptions greedy;
    greedy.max_length = 6;
    const auto decoding = model.start_decoding(task.batch.source, task.batch.source_lengths);
    const std::vector<decode::Hypothesis> best = decode::greedy_search(*decoding, greedy);
    expect(best.size() == 6,
           fmt::format("greedy search returned {} hypotheses for 6 sentences", best.size()));
    for (std::size_t b = 0; b < best.size(); ++b) {
        const Tensor row_sums = sum(best[b].attention, {1});
        expect_close(fmt::format("sentence {}: the attention of each greedy step, summed", b),
                     row_sums, ones_like(row_sums), 1e-5, 1e-5);
    }
    decode::BeamSearchOptions beam;
    beam.beam_size = 3;
    beam.max_length = 6;
    const auto lists = decode::beam_search(
        *model.start_decoding(task.batch.source, task.batch.source_lengths), beam);
    expect(lists.size() == 6 && !lists[0].empty(), "beam search returned no hypotheses");
}

// The scorer named "cosine" in a Seq2SeqConfig through decode::register_scorer: built from the
// config, saved, and loaded back with the same loss.
void check_saved_by_name() {
    static const bool registered = [] {
        decode::register_scorer("cosine", [](int64_t query, int64_t key, int64_t, DType dtype) {
            return std::make_shared<CosineAttention>(query, key, dtype);
        });
        return true;
    }();
    (void)registered;
    manual_seed(29);
    const TinyTask task = tiny_task();
    const decode::Seq2Seq model({.source_vocab = task.vocab.size(),
                                 .target_vocab = task.vocab.size(),
                                 .embedding_size = 4,
                                 .hidden_size = 5,
                                 .attention = decode::AttentionKind::Luong,
                                 .scorer = "cosine"});
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / fmt::format("coursework_a4_{}", ::getpid());
    decode::save_seq2seq(dir.string(), model, task.vocab, task.vocab);
    const decode::Seq2SeqCheckpoint loaded = decode::load_seq2seq(dir.string());
    std::filesystem::remove_all(dir);
    const double before = model.loss(task.batch).item();
    const double after = loaded.model->loss(task.batch).item();
    expect(before == after,
           fmt::format("the loss is {} before saving and {} after loading", before, after));
}

}  // namespace

Assignment a4_cosine_attention() {
    return {
        "a4",
        "cosine attention with a learned scale, inside an unedited Seq2Seq "
        "(a4_cosine_attention.cpp)",
        {
            {"parameters query_proj.weight and log_scale = log 5", check_parameters},
            {"scores match PyTorch",
             [] {
                 const golden::Case& c = golden_step();
                 const auto scorer = golden_scorer();
                 const Tensor scores = scorer->score(
                     c.tensor("query"),
                     scorer->prepare(c.tensor("keys"), c.tensor("values"), c.tensor("mask")));
                 expect_close("the scores [2, 4]", scores, c.tensor("scores"), 1e-10, 1e-8);
             }},
            {"weights and context of a padded batch match PyTorch",
             [] {
                 const golden::Case& c = golden_step();
                 const auto scorer = golden_scorer();
                 const attention::AttentionOutput out = scorer->forward(
                     c.tensor("query"),
                     scorer->prepare(c.tensor("keys"), c.tensor("values"), c.tensor("mask")));
                 expect_close("the weights [2, 4]", out.weights, c.tensor("weights"), 1e-10, 1e-8);
                 expect_close("the context [2, 2]", out.context, c.tensor("context"), 1e-10, 1e-8);
             }},
            {"every gradient matches PyTorch", check_gradients},
            {"gradcheck of a padded step: query, keys, values and both parameters",
             check_gradcheck},
            {"scores do not change when the keys are scaled", check_scale_invariance},
            {"inside decode::Seq2Seq, Luong decoder: trains a step, greedy and beam search",
             [] { check_inside_seq2seq(decode::AttentionKind::Luong); }},
            {"inside decode::Seq2Seq, Bahdanau decoder: trains a step, greedy and beam search",
             [] { check_inside_seq2seq(decode::AttentionKind::Bahdanau); }},
            {"named \"cosine\" by decode::register_scorer: built from a config, saved and loaded",
             check_saved_by_name},
        },
    };
}

}  // namespace coursework::check
