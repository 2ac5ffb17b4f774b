// decode/translate.hpp: text in, text out through a Seq2Seq and a search; exact match over
// examples; batching never changes a translation; unknown characters are found. An untrained model
// is enough: the tests compare the helpers with the searches they wrap, not with right answers.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "decode/greedy.hpp"
#include "decode/metrics.hpp"
#include "decode/translate.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

const std::vector<std::string> kSources = {"abc", "cabbage", "b", "acab"};

struct Fixture {
    Vocab source_vocab = Vocab::build({"abcdeg"}, Tokenization::Character);
    Vocab target_vocab = Vocab::build({"xyz"}, Tokenization::Character);
    Seq2Seq model{Seq2SeqConfig{.source_vocab = source_vocab.size(),
                                .target_vocab = target_vocab.size(),
                                .embedding_size = 6,
                                .hidden_size = 8}};
};

DecodeOptions short_outputs() {
    DecodeOptions options;
    options.max_length = 6;
    return options;
}

Seq2Seq small_model(const Vocab& source, const Vocab& target) {
    manual_seed(3);
    return Seq2Seq({.source_vocab = source.size(),
                    .target_vocab = target.size(),
                    .embedding_size = 5,
                    .hidden_size = 6,
                    .attention = AttentionKind::Bahdanau});
}

}  // namespace

TEST_CASE("translate: greedy search's outputs as text, in order, whatever the batch size") {
    manual_seed(11);
    const Fixture f;
    const Search search = greedy(short_outputs());
    const std::vector<std::string> outputs =
        translate(f.model, kSources, f.source_vocab, f.target_vocab, search, 3);
    REQUIRE(outputs.size() == kSources.size());
    for (std::size_t i = 0; i < kSources.size(); ++i) {
        // The same sentence decoded alone, by greedy_search on the model directly.
        const Batch one = source_batch({kSources[i]}, f.source_vocab);
        const auto decoding = f.model.start_decoding(one.source, one.source_lengths);
        const Hypothesis alone = greedy_search(*decoding, short_outputs()).at(0);
        CHECK(outputs[i] == f.target_vocab.decode(alone.tokens));
    }
    CHECK(translate(f.model, kSources, f.source_vocab, f.target_vocab, search, 1) == outputs);
    // Beam search with beam size 1 is greedy search.
    BeamSearchOptions beam;
    beam.beam_size = 1;
    beam.max_length = 6;
    CHECK(translate(f.model, kSources, f.source_vocab, f.target_vocab, best_of_beam(beam)) ==
          outputs);
}

TEST_CASE("translation_exact_match: the share of examples translated exactly") {
    manual_seed(12);
    const Fixture f;
    const Search search = greedy(short_outputs());
    const std::vector<std::string> outputs =
        translate(f.model, kSources, f.source_vocab, f.target_vocab, search);
    std::vector<Example> examples;
    for (std::size_t i = 0; i < kSources.size(); ++i) examples.push_back({kSources[i], outputs[i]});
    CHECK(translation_exact_match(f.model, examples, f.source_vocab, f.target_vocab, search, 2) ==
          1.0);
    examples[1].target += "x";
    CHECK(translation_exact_match(f.model, examples, f.source_vocab, f.target_vocab, search) ==
          0.75);
}

TEST_CASE("pronunciation_error_rates: the translations scored against every reference") {
    manual_seed(12);
    const Fixture f;
    const Search search = greedy(short_outputs());
    const std::vector<std::string> outputs =
        translate(f.model, kSources, f.source_vocab, f.target_vocab, search);
    // Words 0 and 1 have their output as the only reference, word 2 as its second one; word 3's
    // one reference is the output with two tokens added.
    const std::vector<WordReferences> words = {{kSources[0], {outputs[0]}},
                                               {kSources[1], {outputs[1]}},
                                               {kSources[2], {outputs[2] + " x", outputs[2]}},
                                               {kSources[3], {outputs[3] + " x y"}}};
    std::vector<std::vector<std::string>> references;
    for (const WordReferences& word : words) references.push_back(word.pronunciations);
    const PronunciationErrorRates rates =
        pronunciation_error_rates(f.model, words, f.source_vocab, f.target_vocab, search, 3);
    CHECK(rates.word == 0.25);
    CHECK(rates.phoneme == phoneme_error_rate(outputs, references));
    CHECK(rates.phoneme > 0);
    CHECK_THROWS_WITH_AS(
        pronunciation_error_rates(f.model, {}, f.source_vocab, f.target_vocab, search),
        "pronunciation_error_rates: no words", Error);
}

TEST_CASE("translate: bad input is an error naming the function") {
    manual_seed(13);
    const Fixture f;
    CHECK_THROWS_WITH_AS(translate(f.model, kSources, f.source_vocab, f.target_vocab, greedy(), 0),
                         "translate: batch_size must be at least 1, got 0", Error);
    CHECK_THROWS_WITH_AS(translation_exact_match(f.model, {}, f.source_vocab, f.target_vocab),
                         "translation_exact_match: no examples", Error);
    CHECK_THROWS_AS(translate(f.model, {"abc", ""}, f.source_vocab, f.target_vocab), Error);
    const Search wrong_count = [](StepModel&) { return std::vector<Hypothesis>(1); };
    CHECK_THROWS_WITH_AS(translate(f.model, kSources, f.source_vocab, f.target_vocab, wrong_count),
                         "translate: the search returned 1 hypotheses for 4 sources", Error);
}

TEST_CASE("greedy_translate, beam_translate: the same hypotheses whatever the batch size") {
    const std::vector<std::string> sources = {"ab", "abcabc", "c", "bca", "aaaaaaa"};
    const Vocab source = Vocab::build(sources, Tokenization::Character);
    const Vocab target = Vocab::build({"xyz"}, Tokenization::Character);
    const Seq2Seq model = small_model(source, target);
    const DecodeOptions options{.max_length = 6};
    const auto together = greedy_translate(model, sources, source, options, 256);
    const auto one_by_one = greedy_translate(model, sources, source, options, 1);
    const auto in_twos = greedy_translate(model, sources, source, options, 2);
    REQUIRE(together.size() == sources.size());
    for (std::size_t i = 0; i < sources.size(); ++i) {
        CHECK(one_by_one[i].tokens == together[i].tokens);
        CHECK(in_twos[i].tokens == together[i].tokens);
        CHECK(one_by_one[i].log_prob == doctest::Approx(together[i].log_prob).epsilon(1e-5));
        CHECK(together[i].attention.size(1) == static_cast<int64_t>(sources[i].size()));
    }
    BeamSearchOptions beam;
    beam.max_length = 6;
    beam.beam_size = 3;
    beam.n_best = 2;
    const auto lists = beam_translate(model, sources, source, beam, 2);
    const auto alone = beam_translate(model, {sources[3]}, source, beam);
    REQUIRE(lists.size() == sources.size());
    REQUIRE(alone[0].size() == lists[3].size());
    for (std::size_t k = 0; k < alone[0].size(); ++k)
        CHECK(alone[0][k].tokens == lists[3][k].tokens);

    CHECK_THROWS_WITH_AS(greedy_translate(model, {"ab", ""}, source),
                         "source_batch: source 1 is empty", Error);
    CHECK_THROWS_WITH_AS(greedy_translate(model, sources, source, options, 0),
                         "greedy_translate: batch_size must be at least 1, got 0", Error);
}

TEST_CASE("unknown_tokens: lists each missing character once, in order") {
    const Vocab vocab = Vocab::build({"3 May 1979"}, Tokenization::Character);
    CHECK(unknown_tokens(vocab, "3 May 1979").empty());
    CHECK(unknown_tokens(vocab, "3 mai 1979 é!é") == std::vector<std::string>{"m", "i", "é", "!"});
}
