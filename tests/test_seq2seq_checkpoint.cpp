// A seq2seq model saved as a folder (weights, vocabularies, config) and loaded back translates
// exactly as before; a damaged or mismatched folder is an Error that says what is wrong.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "decode/dataset.hpp"
#include "decode/seq2seq_checkpoint.hpp"
#include "decode/translate.hpp"
#include "nn/optim.hpp"
#include "tests/temp_dir.hpp"

using namespace glimpse;
using namespace glimpse::decode;
using glimpse::testing::TempDir;
namespace fs = std::filesystem;

namespace {

const std::vector<Example> kExamples = {{"3 May 1979", "1979-05-03"}, {"May 4, 1980", "1980-05-04"},
                                        {"05.06.2001", "2001-06-05"}, {"7/8/1999", "1999-07-08"},
                                        {"19991231", "1999-12-31"},   {"1 jan 02", "2002-01-01"}};

struct Trained {
    Vocab source_vocab;
    Vocab target_vocab;
    std::shared_ptr<Seq2Seq> model;
};

// A small attention model after a few Adam steps, so that its weights are not the ones a fresh
// model would start from.
Trained small_trained_model(AttentionKind attention) {
    manual_seed(5);
    std::vector<std::string> sources, targets;
    for (const Example& e : kExamples) {
        sources.push_back(e.source);
        targets.push_back(e.target);
    }
    Trained t{Vocab::build(sources, Tokenization::Character),
              Vocab::build(targets, Tokenization::Character), nullptr};
    t.model = std::make_shared<Seq2Seq>(Seq2SeqConfig{.source_vocab = t.source_vocab.size(),
                                                      .target_vocab = t.target_vocab.size(),
                                                      .embedding_size = 6,
                                                      .hidden_size = 8,
                                                      .bidirectional = true,
                                                      .attention = attention,
                                                      .scorer = "general"});
    const Batch batch = make_batch(kExamples, {0, 1, 2, 3, 4, 5}, t.source_vocab, t.target_vocab);
    nn::Adam adam(t.model->parameters(), {.lr = 0.05});
    for (int step = 0; step < 5; ++step) {
        adam.zero_grad();
        t.model->loss(batch).backward();
        adam.step();
    }
    t.model->eval();
    return t;
}

std::vector<std::string> sources_of(const std::vector<Example>& examples) {
    std::vector<std::string> sources;
    for (const Example& e : examples) sources.push_back(e.source);
    return sources;
}

void check_same_hypothesis(const Hypothesis& a, const Hypothesis& b) {
    CHECK(a.tokens == b.tokens);
    CHECK(a.finished == b.finished);
    CHECK(a.log_prob == b.log_prob);
    CHECK(a.score == b.score);
    REQUIRE(a.attention.defined() == b.attention.defined());
    if (a.attention.defined()) CHECK(a.attention.to_vector() == b.attention.to_vector());
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("seq2seq checkpoint: a loaded model translates exactly as the saved one") {
    for (const AttentionKind attention : {AttentionKind::Bahdanau, AttentionKind::Luong}) {
        CAPTURE(static_cast<int>(attention));
        const Trained t = small_trained_model(attention);
        TempDir dir;
        const std::string path = dir.file("dates");
        save_seq2seq(path, *t.model, t.source_vocab, t.target_vocab, {{"task", "date"}});

        const Seq2SeqCheckpoint loaded = load_seq2seq(path);
        CHECK(loaded.source_vocab == t.source_vocab);
        CHECK(loaded.target_vocab == t.target_vocab);
        CHECK(loaded.notes == CheckpointNotes{{"task", "date"}});
        CHECK(config_text(loaded.model->config()) == config_text(t.model->config()));
        CHECK_FALSE(loaded.model->is_training());

        const std::vector<std::string> sources = sources_of(kExamples);
        const DecodeOptions options{.max_length = 12};
        const auto before = greedy_translate(*t.model, sources, t.source_vocab, options);
        const auto after = greedy_translate(*loaded.model, sources, loaded.source_vocab, options);
        REQUIRE(after.size() == before.size());
        for (std::size_t i = 0; i < before.size(); ++i) check_same_hypothesis(before[i], after[i]);

        BeamSearchOptions beam;
        beam.max_length = 12;
        beam.beam_size = 4;
        beam.n_best = 3;
        const auto lists_before = beam_translate(*t.model, sources, t.source_vocab, beam);
        const auto lists_after = beam_translate(*loaded.model, sources, loaded.source_vocab, beam);
        for (std::size_t i = 0; i < lists_before.size(); ++i) {
            REQUIRE(lists_after[i].size() == lists_before[i].size());
            for (std::size_t k = 0; k < lists_before[i].size(); ++k) {
                check_same_hypothesis(lists_before[i][k], lists_after[i][k]);
            }
        }

        // The weights did come from the file: a fresh model of the same config translates
        // with other probabilities.
        const Seq2Seq fresh(t.model->config());
        const auto fresh_out = greedy_translate(fresh, sources, t.source_vocab, options);
        CHECK(fresh_out[0].log_prob != before[0].log_prob);
    }
}

TEST_CASE("seq2seq checkpoint: saving again replaces the folder and leaves no temporaries") {
    const Trained t = small_trained_model(AttentionKind::Bahdanau);
    TempDir dir;
    const std::string path = dir.file("model");
    save_seq2seq(path, *t.model, t.source_vocab, t.target_vocab, {{"run", "1"}});
    write_text(path + "/stray.txt", "left by someone");
    save_seq2seq(path, *t.model, t.source_vocab, t.target_vocab, {{"run", "2"}});
    CHECK(load_seq2seq(path).notes.at("run") == "2");
    CHECK_FALSE(fs::exists(path + "/stray.txt"));
    CHECK_FALSE(fs::exists(path + ".tmp"));
    CHECK_FALSE(fs::exists(path + ".old"));
}

TEST_CASE("seq2seq checkpoint: damaged or mismatched folders are errors naming the problem") {
    const Trained t = small_trained_model(AttentionKind::Bahdanau);
    TempDir dir;
    const std::string path = dir.file("model");
    auto fresh_save = [&] { save_seq2seq(path, *t.model, t.source_vocab, t.target_vocab); };
    auto edit_config = [&](const std::string& from, const std::string& to) {
        std::string config = read_file(path + "/config.txt", "test");
        const auto at = config.find(from);
        REQUIRE(at != std::string::npos);
        write_text(path + "/config.txt", config.replace(at, from.size(), to));
    };

    CHECK_THROWS_WITH_AS(load_seq2seq(dir.file("nothing")), doctest::Contains("no such folder"),
                         Error);

    fresh_save();
    fs::remove(path + "/target.vocab");
    CHECK_THROWS_WITH_AS(load_seq2seq(path), doctest::Contains("target.vocab is missing"), Error);

    fresh_save();  // a truncated weights file
    const std::string weights = read_file(path + "/model.safetensors", "test");
    write_text(path + "/model.safetensors", weights.substr(0, weights.size() / 2));
    CHECK_THROWS_WITH_AS(load_seq2seq(path), doctest::Contains("model.safetensors"), Error);

    fresh_save();  // the config of a bigger model: the weights do not fit it
    edit_config("hidden_size = 8", "hidden_size = 9");
    CHECK_THROWS_WITH_AS(load_seq2seq(path), doctest::Contains("does not fit"), Error);

    fresh_save();  // a source vocabulary from another model
    Vocab::build({"abc"}, Tokenization::Character).save(path + "/source.vocab");
    CHECK_THROWS_WITH_AS(load_seq2seq(path), doctest::Contains("not from one model"), Error);

    fresh_save();  // a config that no model can be built from
    edit_config("scorer = general", "scorer = cosine");
    CHECK_THROWS_WITH_AS(load_seq2seq(path),
                         doctest::Contains("config.txt: cannot build the model: make_scorer: "
                                           "unknown scorer 'cosine'"),
                         Error);

    fresh_save();
    write_text(path + "/config.txt", "");
    CHECK_THROWS_WITH_AS(load_seq2seq(path), doctest::Contains("empty"), Error);

    CHECK_THROWS_WITH_AS(save_seq2seq(path, *t.model, t.target_vocab, t.target_vocab),
                         doctest::Contains("save_seq2seq: vocabularies of"), Error);
    CHECK_THROWS_WITH_AS(
        save_seq2seq(path, *t.model, t.source_vocab, t.target_vocab, {{"Bad Name", "x"}}),
        doctest::Contains("note 'Bad Name'"), Error);
}

TEST_CASE("seq2seq config text: every field round-trips; bad lines are named") {
    const Seq2SeqConfig config{
        .source_vocab = 40,
        .target_vocab = 14,
        .embedding_size = 16,
        .hidden_size = 24,
        .cell = nn::CellKind::GRU,
        .num_layers = 2,
        .bidirectional = true,
        .bridge = Bridge::Zero,
        .attention = AttentionKind::Luong,
        .scorer = "scaled_dot",
        .attention_size = 7,
        .bahdanau_output = {.state = true, .context = false, .embedding = true},
        .dropout = 0.25,
        .pad = 0,
        .dtype = DType::Float64};
    const CheckpointNotes notes{{"exact_match", "99.50%"}, {"task", "date"}};
    const std::string text = config_text(config, notes);
    const auto [back, back_notes] = parse_config_text(text, "config.txt");
    CHECK(config_text(back, back_notes) == text);
    CHECK(back.cell == nn::CellKind::GRU);
    CHECK(back.attention == AttentionKind::Luong);
    CHECK(back.dropout == 0.25);
    CHECK(back.dtype == DType::Float64);
    CHECK_FALSE(back.bahdanau_output.context);
    CHECK(back_notes == notes);

    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string changed = text;
        changed.replace(changed.find(from), from.size(), to);
        return changed;
    };
    CHECK_THROWS_WITH_AS(parse_config_text(replaced("hidden_size = 24", "hidden_size = 2x4"), "c"),
                         "c: line 6: hidden_size = '2x4', expected an integer", Error);
    CHECK_THROWS_WITH_AS(parse_config_text(replaced("cell = GRU", "cell = TLSM"), "c"),
                         doctest::Contains("cell = 'TLSM', expected one of LSTM, GRU"), Error);
    CHECK_THROWS_WITH_AS(parse_config_text(replaced("pad = 0", "pad = 0\nwidth = 3"), "c"),
                         doctest::Contains("unknown key 'width'"), Error);
    CHECK_THROWS_WITH_AS(parse_config_text(replaced("pad = 0", "hidden_size = 3"), "c"),
                         doctest::Contains("'hidden_size' appears twice"), Error);
    CHECK_THROWS_WITH_AS(parse_config_text(replaced("pad = 0\n", ""), "c"), "c: missing keys: pad",
                         Error);
    CHECK_THROWS_WITH_AS(parse_config_text(replaced("format = 1", "format = 2"), "c"),
                         doctest::Contains("format 2 is not the format 1"), Error);
    CHECK_THROWS_WITH_AS(parse_config_text("hidden_size = 3\n", "c"),
                         doctest::Contains("not a glimpse seq2seq config"), Error);
}
