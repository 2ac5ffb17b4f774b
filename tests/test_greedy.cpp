// decode::greedy_search on scripted decoders: the exact output, <eos> and the length limits,
// batch invariance, and beam search with beam size 1 giving the same answers.

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "decode/beam_search.hpp"
#include "decode/greedy.hpp"
#include "tests/scripted_model.hpp"

using namespace glimpse;
using namespace glimpse::decode;
using namespace glimpse::testing;

TEST_CASE("greedy_search: the most probable token at each step, until <eos>") {
    // Greedy takes b (.45), then b <eos> (.45 * .5); "a a <eos>" (.4 * .9 * .9 = .32) is better,
    // but greedy never looks at it.
    ScriptedModel model({{0, 3}}, table_script({{{}, {0, 0, 0.15, 0.4, 0.45}},
                                                {{a}, {0, 0, 0.05, 0.9, 0.05}},
                                                {{b}, {0, 0, 0.5, 0.3, 0.2}},
                                                {{a, a}, {0, 0, 0.9, 0.05, 0.05}}},
                                               {0, 0, 1, 0, 0}));
    const std::vector<Hypothesis> out = greedy_search(model);
    REQUIRE(out.size() == 1);
    CHECK(out[0].tokens == Tokens{b, eos});
    CHECK(out[0].finished);
    CHECK(out[0].log_prob == doctest::Approx(std::log(0.45) + std::log(0.5)).epsilon(1e-12));
    CHECK(out[0].score == out[0].log_prob);
    CHECK(model.rows_per_step == std::vector<int64_t>{1, 1});
}

TEST_CASE("greedy_search: max_length cuts, min_length forbids <eos> before it") {
    const Script script = table_script({}, {0, 0, 0.5, 0.3, 0.2});
    SUBCASE("max_length") {
        ScriptedModel model({{0, 3}}, table_script({}, {0, 0, 0.1, 0.6, 0.3}));
        DecodeOptions options;
        options.max_length = 4;
        const Hypothesis out = greedy_search(model, options).at(0);
        CHECK(out.tokens == Tokens{a, a, a, a});
        CHECK_FALSE(out.finished);
        CHECK(out.log_prob == doctest::Approx(4 * std::log(0.6)).epsilon(1e-12));
    }
    SUBCASE("min_length") {
        ScriptedModel model({{0, 3}}, script);
        DecodeOptions options;
        options.min_length = 2;
        const Hypothesis out = greedy_search(model, options).at(0);
        CHECK(out.tokens == Tokens{a, a, eos});
        CHECK(out.log_prob == doctest::Approx(2 * std::log(0.3) + std::log(0.5)).epsilon(1e-12));
    }
    SUBCASE("the default maximum is 2 * source length + 10") {
        ScriptedModel model({{0, 3}, {1, 1}}, table_script({}, {0, 0, 0, 0.6, 0.4}));
        const std::vector<Hypothesis> out = greedy_search(model);
        CHECK(out.at(0).tokens.size() == 16);
        CHECK(out.at(1).tokens.size() == 12);
        // The shorter sentence left the batch after its last step.
        CHECK(model.rows_per_step.at(11) == 2);
        CHECK(model.rows_per_step.at(12) == 1);
        CHECK(model.rows_per_step.size() == 16);
    }
}

TEST_CASE("greedy_search: a sentence alone or inside a batch gives the same output") {
    for (uint64_t seed = 0; seed < 5; ++seed) {
        const auto sentences = scripted_sentences(4);
        ScriptedModel batch(sentences, random_script(seed, 7));
        const std::vector<Hypothesis> together = greedy_search(batch);
        CHECK(batch.extended_after_eos == 0);
        for (std::size_t s = 0; s < sentences.size(); ++s) {
            check_against_script(random_script(seed, 7), sentences[s], together.at(s));
            ScriptedModel alone({sentences[s]}, random_script(seed, 7));
            check_same_hypotheses(greedy_search(alone).at(0), together.at(s));
        }
    }
}

TEST_CASE("beam_search with beam size 1 and no penalty is greedy search") {
    for (uint64_t seed = 0; seed < 8; ++seed) {
        BeamSearchOptions options;
        options.beam_size = 1;
        options.min_length = seed % 3;
        options.max_length = 3 + static_cast<int64_t>(seed % 4);
        ScriptedModel for_beam(scripted_sentences(5), random_script(seed, 5));
        ScriptedModel for_greedy(scripted_sentences(5), random_script(seed, 5));
        const std::vector<NBestList> beam = beam_search(for_beam, options);
        const std::vector<Hypothesis> greedy = greedy_search(for_greedy, options);
        for (std::size_t s = 0; s < greedy.size(); ++s) {
            REQUIRE(beam.at(s).size() == 1);
            check_same_hypotheses(beam[s][0], greedy[s]);
        }
        CHECK(for_beam.rows_per_step == for_greedy.rows_per_step);
    }
}

TEST_CASE("greedy_search: no token left to choose is a clear error") {
    // Only <eos> has probability, and min_length forbids it at the first step.
    ScriptedModel only_eos({{0, 3}}, table_script({}, {0, 0, 1, 0, 0}));
    DecodeOptions options;
    options.min_length = 1;
    CHECK_THROWS_WITH_AS(
        greedy_search(only_eos, options),
        doctest::Contains("greedy_search: no token left to choose at step 0: the 5 "
                          "log-probabilities are -inf but for <eos> = 2, which "
                          "min_length = 1 forbids"),
        Error);
}
