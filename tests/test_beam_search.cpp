// decode::beam_search, tested as fairseq tests its sequence generator: scripted decoders with
// fixed probabilities (tests/scripted_model.hpp), asserting the exact hypotheses and scores; then
// the properties that must hold on any model: a finished hypothesis is never extended, the same
// n-best list alone or inside a batch, one step() per time step for the whole batch.

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "decode/beam_search.hpp"
#include "tests/scripted_model.hpp"

using namespace glimpse;
using namespace glimpse::decode;
using namespace glimpse::testing;

namespace {

ScriptedModel one_sentence(const Script& script) {
    return ScriptedModel({{0, 3}}, script);
}

}  // namespace

TEST_CASE("beam_search: exact hypotheses and scores on a scripted decoder (beam 2, no penalty)") {
    BeamSearchOptions options;
    options.beam_size = 2;
    options.n_best = 2;
    ScriptedModel model = one_sentence(two_paths_script());
    const NBestList best = beam_search(model, options).at(0);
    // Step 0: a .4, b .35 form the beam; <eos> (.25) ranks third, outside the top k = 2, so
    // "<eos>" does not count although its .25 would beat both answers below.
    // Step 1: b a .21, a <eos> .2 (rank 1: finished), a a .12; the beam is "b a", "a a".
    // Step 2: b a <eos> .189 and a a <eos> .06 finish; the live a a a, a a b (.03) cannot beat
    // the two best finished (.2, .189): stop.
    REQUIRE(best.size() == 2);
    CHECK(best[0].tokens == Tokens{a, eos});
    CHECK(best[0].log_prob == doctest::Approx(std::log(0.4) + std::log(0.5)).epsilon(1e-12));
    CHECK(best[0].score == best[0].log_prob);
    CHECK(best[0].finished);
    CHECK(best[1].tokens == Tokens{b, a, eos});
    CHECK(best[1].log_prob ==
          doctest::Approx(std::log(0.35) + std::log(0.6) + std::log(0.9)).epsilon(1e-12));
    CHECK_FALSE(best[0].attention.defined());  // the table script has no attention
    CHECK(model.rows_per_step == std::vector<int64_t>{1, 2, 2});
    CHECK(model.extended_after_eos == 0);
}

TEST_CASE("beam_search: the length penalty changes the ranking, and the search waits for it") {
    // "<eos>" finishes first (.5); "a <eos>" (.4 * .9 = .36) has the better average log-prob.
    const Script script = table_script(
        {{{}, probs(0.5, 0.4, 0.1)}, {{a}, probs(0.9, 0.05, 0.05)}, {{b}, probs(0.5, 0.25, 0.25)}},
        probs(0.1, 0.45, 0.45));
    BeamSearchOptions options;
    options.beam_size = 2;
    options.max_length = 4;

    SUBCASE("without a penalty, the first finished hypothesis is the best") {
        ScriptedModel model = one_sentence(script);
        const NBestList best = beam_search(model, options).at(0);
        CHECK(best.at(0).tokens == Tokens{eos});
        CHECK(best.at(0).score == doctest::Approx(std::log(0.5)).epsilon(1e-12));
    }
    SUBCASE("average: after step 0, a's bound log .4 / lp(4) beats log .5: the search goes on") {
        options.length_penalty = LengthPenalty::Average;
        ScriptedModel model = one_sentence(script);
        const NBestList best = beam_search(model, options).at(0);
        CHECK(best.at(0).tokens == Tokens{a, eos});
        CHECK(best.at(0).log_prob == doctest::Approx(std::log(0.36)).epsilon(1e-12));
        CHECK(best.at(0).score == doctest::Approx(std::log(0.36) / 2).epsilon(1e-12));
        // After step 1 the live "b a", "b b" (log .025 / 4 = -0.92) cannot beat -0.51: stop.
        CHECK(model.rows_per_step == std::vector<int64_t>{1, 2});
    }
    SUBCASE("GNMT with alpha 1, lp = (5 + |Y|) / 6, is gentler: <eos> stays best") {
        // log .36 / (7/6) = -0.88 < log .5; but a's bound log .4 / (9/6) = -0.61 after step 0
        // still made the search look one step further.
        options.length_penalty = LengthPenalty::GNMT;
        ScriptedModel model = one_sentence(script);
        const NBestList best = beam_search(model, options).at(0);
        CHECK(best.at(0).tokens == Tokens{eos});
        CHECK(best.at(0).score == doctest::Approx(std::log(0.5)).epsilon(1e-12));
        CHECK(model.rows_per_step == std::vector<int64_t>{1, 2});
    }
}

TEST_CASE("beam_search: hypotheses reaching max_length are cut and returned unfinished") {
    BeamSearchOptions options;
    options.beam_size = 2;
    options.n_best = 2;
    options.max_length = 3;
    ScriptedModel model = one_sentence(table_script({}, probs(0.1, 0.6, 0.3)));
    const NBestList best = beam_search(model, options).at(0);
    // <eos> never reaches the top k = 2 of any step; the two best of length 3 are cut.
    REQUIRE(best.size() == 2);
    CHECK(best[0].tokens == Tokens{a, a, a});
    CHECK_FALSE(best[0].finished);
    CHECK(best[0].log_prob == doctest::Approx(3 * std::log(0.6)).epsilon(1e-12));
    CHECK(best[1].tokens == Tokens{a, a, b});
    CHECK(best[1].log_prob == doctest::Approx(2 * std::log(0.6) + std::log(0.3)).epsilon(1e-12));
}

TEST_CASE("beam_search: min_length forbids <eos> early, keeping the model's log-probabilities") {
    BeamSearchOptions options;
    options.beam_size = 2;
    options.n_best = 2;
    options.min_length = 2;
    ScriptedModel model = one_sentence(two_paths_script());
    const NBestList best = beam_search(model, options).at(0);
    REQUIRE(best.size() == 2);
    CHECK(best[0].tokens == Tokens{b, a, eos});
    CHECK(best[0].log_prob ==
          doctest::Approx(std::log(0.35) + std::log(0.6) + std::log(0.9)).epsilon(1e-12));
    CHECK(best[1].tokens == Tokens{a, a, eos});
    CHECK(best[1].log_prob ==
          doctest::Approx(std::log(0.4) + std::log(0.3) + std::log(0.5)).epsilon(1e-12));
}

TEST_CASE("beam_search: max_length defaults to max_length_a * source length + max_length_b") {
    // <eos> never has probability: every hypothesis is cut at its sentence's maximum length.
    ScriptedModel model({{0, 3}, {1, 5}}, table_script({}, {0.0, 0.0, 0.0, 0.5, 0.5}));
    BeamSearchOptions options;
    options.beam_size = 1;
    options.max_length_a = 1.5;
    options.max_length_b = 2;
    const std::vector<NBestList> results = beam_search(model, options);
    CHECK(results.at(0).at(0).tokens.size() == 6);  // floor(1.5 * 3) + 2
    CHECK(results.at(1).at(0).tokens.size() == 9);  // floor(1.5 * 5) + 2
    CHECK_FALSE(results.at(0).at(0).finished);
}

TEST_CASE("beam_search: never extends a finished hypothesis nor feeds <sos> again") {
    for (uint64_t seed = 0; seed < 10; ++seed) {
        ScriptedModel model(scripted_sentences(4), random_script(seed, 6));
        BeamSearchOptions options;
        options.beam_size = 4;
        options.n_best = 3;
        options.max_length = 8;
        const std::vector<NBestList> results = beam_search(model, options);
        CHECK(model.extended_after_eos == 0);
        CHECK(model.fed_sos_late == 0);
        for (const NBestList& list : results) {
            for (const Hypothesis& h : list) {
                for (std::size_t t = 0; t + 1 < h.tokens.size(); ++t) CHECK(h.tokens[t] != eos);
                CHECK(h.finished == (h.tokens.back() == eos));
            }
        }
    }
}

TEST_CASE("beam_search: n-best lists sorted by score; tokens, log_prob and attention as scripted") {
    const auto sentences = scripted_sentences(3);
    const Script script = random_script(11, 6);
    ScriptedModel model(sentences, script);
    BeamSearchOptions options;
    options.beam_size = 4;
    options.n_best = 4;
    options.max_length = 7;
    options.length_penalty = LengthPenalty::GNMT;
    options.alpha = 0.8;
    options.coverage_beta = 0.3;
    const std::vector<NBestList> results = beam_search(model, options);
    for (int64_t s = 0; s < 3; ++s) {
        const NBestList& list = results[s];
        REQUIRE(list.size() == 4);
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Hypothesis& h = list[i];
            if (i > 0) CHECK(list[i - 1].score >= h.score);
            check_against_script(script, sentences[s], h);
            // The score recomputed from the attention, by the formula of Wu et al.
            const auto length = static_cast<int64_t>(h.tokens.size());
            const std::vector<double> a = h.attention.to_vector();  // [length, S]
            double coverage = 0.0;
            for (int64_t i_src = 0; i_src < model.source_length(s); ++i_src) {
                double sum = 0.0;
                for (int64_t j = 0; j < length; ++j) sum += a[j * model.source_length(s) + i_src];
                coverage += std::log(std::min(sum, 1.0));
            }
            const double lp = std::pow((5.0 + static_cast<double>(length)) / 6.0, 0.8);
            CHECK(h.score == doctest::Approx(h.log_prob / lp + 0.3 * coverage).epsilon(1e-9));
        }
    }
}

TEST_CASE("beam_search: a sentence alone or inside a batch gives the same n-best list") {
    for (uint64_t seed = 0; seed < 6; ++seed) {
        BeamSearchOptions options;
        options.beam_size = 3;
        options.n_best = 3;
        options.length_penalty = seed % 2 ? LengthPenalty::GNMT : LengthPenalty::None;
        options.coverage_beta = seed % 3 == 0 ? 0.2 : 0.0;
        options.max_length_a = 1.0;
        options.max_length_b = 3;
        const auto sentences = scripted_sentences(5);
        ScriptedModel batch(sentences, random_script(seed, 6));
        const std::vector<NBestList> together = beam_search(batch, options);

        int64_t longest_alone = 0;
        for (std::size_t s = 0; s < sentences.size(); ++s) {
            ScriptedModel alone({sentences[s]}, random_script(seed, 6));
            check_same_hypotheses(beam_search(alone, options).at(0), together.at(s));
            longest_alone =
                std::max(longest_alone, static_cast<int64_t>(alone.rows_per_step.size()));
        }
        // One step() per time step for the whole batch: as many as the slowest sentence alone.
        CHECK(static_cast<int64_t>(batch.rows_per_step.size()) == longest_alone);
        CHECK(batch.rows_per_step.front() == 5);
        for (int64_t rows : batch.rows_per_step) CHECK(rows <= 5 * options.beam_size);
    }
}

TEST_CASE("beam_search: float32 log-probabilities work as well") {
    ScriptedModel model(scripted_sentences(2), two_paths_script(), DType::Float32);
    BeamSearchOptions options;
    options.beam_size = 2;
    const std::vector<NBestList> results = beam_search(model, options);
    CHECK(results.at(1).at(0).tokens == Tokens{a, eos});
    CHECK(results.at(1).at(0).log_prob == doctest::Approx(std::log(0.2)).epsilon(1e-6));
}

TEST_CASE("beam_search: bad options and bad model outputs are clear errors") {
    ScriptedModel model(scripted_sentences(1), two_paths_script());
    BeamSearchOptions options;
    options.beam_size = 0;
    CHECK_THROWS_WITH_AS(beam_search(model, options), doctest::Contains("beam_size must be >= 1"),
                         Error);
    options.beam_size = 2;
    options.n_best = 3;
    CHECK_THROWS_WITH_AS(beam_search(model, options),
                         doctest::Contains("n_best must be in [1, beam_size = 2], got 3"), Error);
    options.n_best = 1;
    options.alpha = -1;
    CHECK_THROWS_WITH_AS(beam_search(model, options), doctest::Contains("alpha must be >= 0"),
                         Error);
    options.alpha = 1;
    options.coverage_beta = 0.5;
    CHECK_THROWS_WITH_AS(beam_search(model, options),
                         doctest::Contains("coverage penalty (coverage_beta > 0) needs attention"),
                         Error);
    options.coverage_beta = 0;
    options.max_length = 0;
    CHECK_THROWS_WITH_AS(beam_search(model, options),
                         doctest::Contains("maximum length must be at least 1, got 0"), Error);
    options.max_length.reset();
    options.min_length = -1;
    CHECK_THROWS_WITH_AS(beam_search(model, options),
                         doctest::Contains("min_length must be >= 0, got -1"), Error);

    ScriptedModel not_normalised(scripted_sentences(1), table_script({}, probs(2.0, 0.5, 0.5)));
    CHECK_THROWS_WITH_AS(beam_search(not_normalised),
                         doctest::Contains("must be log-probabilities (<= 0), got 0.69"), Error);
}
