// decode::exhaustive_search: every sequence scored, on scripted decoders; a beam large enough to
// hold every hypothesis finds exactly the same n-best list (so beam search's stopping rule never
// gives up too early, with or without penalties); small beams never beat it; the cap.

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "decode/beam_search.hpp"
#include "decode/exhaustive.hpp"
#include "tests/scripted_model.hpp"

using namespace glimpse;
using namespace glimpse::decode;
using namespace glimpse::testing;

namespace {

// The same penalties for both searches, varied with the seed.
ScoreOptions scoring_for(uint64_t seed) {
    ScoreOptions scoring;
    scoring.length_penalty = static_cast<LengthPenalty>(seed % 3);
    scoring.alpha = 0.5 + 0.25 * static_cast<double>(seed % 4);
    scoring.coverage_beta = seed % 2 ? 0.4 : 0.0;
    return scoring;
}

}  // namespace

TEST_CASE("exhaustive_search: lists every sequence, best first") {
    // Two words and <eos>, at most 2 tokens: "<eos>", "a <eos>", "b <eos>", and the cut "a a",
    // "a b", "b a", "b b".
    ScriptedModel model({{0, 3}}, table_script({{{}, {0, 0, 0.2, 0.5, 0.3}},
                                                {{a}, {0, 0, 0.6, 0.3, 0.1}},
                                                {{b}, {0, 0, 0.1, 0.1, 0.8}}},
                                               {0, 0, 1, 0, 0}));
    ExhaustiveOptions options;
    options.max_length = 2;
    options.n_best = 10;
    const NBestList all = exhaustive_search(model, options).at(0);
    REQUIRE(all.size() == 7);
    CHECK(all[0].tokens == Tokens{a, eos});  // .30
    CHECK(all[0].log_prob == doctest::Approx(std::log(0.3)).epsilon(1e-12));
    CHECK(all[1].tokens == Tokens{b, b});  // .24, cut
    CHECK_FALSE(all[1].finished);
    CHECK(all[2].tokens == Tokens{eos});                                       // .20
    CHECK(all[3].tokens == Tokens{a, a});                                      // .15
    CHECK(all[6].log_prob == doctest::Approx(std::log(0.03)).epsilon(1e-12));  // two of .03
    CHECK(model.extended_after_eos == 0);
}

TEST_CASE("beam_search with a beam holding every hypothesis equals exhaustive search") {
    // V = 5 or 6: <eos> and 2 or 3 words have probability; at most 4 tokens: a beam of 256 keeps
    // every prefix (at most 3^3 live), and its 2k candidates every expansion.
    for (uint64_t seed = 0; seed < 12; ++seed) {
        const int64_t vocab = seed % 2 ? 5 : 6;
        const auto sentences = scripted_sentences(3, static_cast<int64_t>(seed));
        ExhaustiveOptions exhaustive;
        static_cast<ScoreOptions&>(exhaustive) = scoring_for(seed);
        exhaustive.max_length = 4;
        exhaustive.min_length = seed % 3 == 2 ? 1 : 0;
        exhaustive.n_best = 3;
        BeamSearchOptions beam;
        static_cast<ScoreOptions&>(beam) = scoring_for(seed);
        static_cast<DecodeOptions&>(beam) = exhaustive;
        beam.beam_size = 256;
        beam.n_best = 3;

        ScriptedModel for_exhaustive(sentences, random_script(seed, vocab));
        ScriptedModel for_beam(sentences, random_script(seed, vocab));
        const std::vector<NBestList> reference = exhaustive_search(for_exhaustive, exhaustive);
        const std::vector<NBestList> found = beam_search(for_beam, beam);
        for (std::size_t s = 0; s < sentences.size(); ++s) {
            CAPTURE(seed);
            CAPTURE(s);
            check_same_hypotheses(found.at(s), reference.at(s));
            for (const Hypothesis& h : reference[s]) {
                check_against_script(random_script(seed, vocab), sentences[s], h);
            }
        }
    }
}

TEST_CASE("beam_search never beats exhaustive search, and small beams sometimes lose") {
    int64_t greedy_errors = 0;
    for (uint64_t seed = 0; seed < 20; ++seed) {
        ExhaustiveOptions exhaustive;
        exhaustive.max_length = 5;
        exhaustive.length_penalty = LengthPenalty::Average;
        ScriptedModel for_exhaustive(scripted_sentences(1), random_script(seed, 5));
        const double best = exhaustive_search(for_exhaustive, exhaustive).at(0).at(0).score;
        for (int64_t k : {1, 2, 3}) {
            BeamSearchOptions beam;
            beam.max_length = 5;
            beam.length_penalty = LengthPenalty::Average;
            beam.beam_size = k;
            ScriptedModel for_beam(scripted_sentences(1), random_script(seed, 5));
            const double found = beam_search(for_beam, beam).at(0).at(0).score;
            CHECK(found <= best);
            if (k == 1 && found < best) ++greedy_errors;
        }
    }
    CHECK(greedy_errors > 0);  // else this test could not tell a beam from exhaustive search
}

TEST_CASE("exhaustive_search: refuses when V^max_length passes the cap") {
    ScriptedModel model(scripted_sentences(2), random_script(1, 5));
    ExhaustiveOptions options;
    options.max_length = 8;
    CHECK_THROWS_WITH_AS(exhaustive_search(model, options),
                         doctest::Contains("exhaustive_search: sentence 0 has up to V^max_length "
                                           "= 5^8 = 3.91e+05 sequences, more than max_sequences "
                                           "= 100000"),
                         Error);
    options.max_sequences = 400'000;
    CHECK(exhaustive_search(model, options).size() == 2);
    options.n_best = 0;
    CHECK_THROWS_WITH_AS(exhaustive_search(model, options),
                         doctest::Contains("n_best must be >= 1"), Error);
}
