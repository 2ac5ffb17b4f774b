// decode::TokenConstraint on scripted decoders: greedy, beam and exhaustive search under a
// constraint return the exact hypotheses and scores the script gives the allowed tokens, never a
// forbidden token however probable; an empty or impossible constraint is an error naming the
// step; ForcedOutput scores given outputs.

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "decode/beam_search.hpp"
#include "decode/exhaustive.hpp"
#include "decode/greedy.hpp"
#include "tests/scripted_model.hpp"

using namespace glimpse;
using namespace glimpse::decode;
using namespace glimpse::testing;

namespace {

// A constraint written as a function, as a test or a student would write one.
class RuleConstraint : public TokenConstraint {
  public:
    using Rule = std::function<std::vector<int64_t>(int64_t, const std::vector<int64_t>&)>;
    explicit RuleConstraint(Rule rule) : rule_(std::move(rule)) {}
    std::vector<int64_t> allowed_tokens(int64_t sentence,
                                        const std::vector<int64_t>& prefix) const override {
        return rule_(sentence, prefix);
    }

  private:
    Rule rule_;
};

std::shared_ptr<const TokenConstraint> rule(RuleConstraint::Rule rule) {
    return std::make_shared<RuleConstraint>(std::move(rule));
}

// b is never allowed.
std::shared_ptr<const TokenConstraint> never_b() {
    return rule([](int64_t, const std::vector<int64_t>&) { return Tokens{eos, a}; });
}

}  // namespace

TEST_CASE(
    "constraint: greedy search takes the most probable allowed token, never a forbidden one") {
    // b (.6) is the most probable first token, but the rule allows only a first.
    ScriptedModel model(
        {{0, 3}},
        table_script({{{}, probs(0.1, 0.3, 0.6)}, {{a}, probs(0.5, 0.3, 0.2)}}, probs(1, 0, 0)));
    DecodeOptions options;
    options.constraint = rule([](int64_t, const std::vector<int64_t>& prefix) {
        return prefix.empty() ? Tokens{a} : Tokens{eos, a, b};
    });
    const Hypothesis out = greedy_search(model, options).at(0);
    CHECK(out.tokens == Tokens{a, eos});
    // The model's own log-probabilities, not renormalised over the allowed tokens.
    CHECK(out.log_prob == doctest::Approx(std::log(0.3) + std::log(0.5)).epsilon(1e-12));
    CHECK(out.finished);
}

TEST_CASE("constraint: beam search expands only by allowed tokens, with exact scores") {
    BeamSearchOptions options;
    options.beam_size = 2;
    options.n_best = 2;
    options.constraint = never_b();
    ScriptedModel model({{0, 3}}, two_paths_script());
    const NBestList best = beam_search(model, options).at(0);
    // Unconstrained, this search finds "a <eos>" and "b a <eos>" (tests/test_beam_search.cpp).
    // Step 0: a .4, <eos> .25 (rank 1 < k: finished), b forbidden. Step 1 from "a": a <eos> .2
    // finishes, a a .12 stays live but cannot beat the two finished (.25, .2): stop.
    REQUIRE(best.size() == 2);
    CHECK(best[0].tokens == Tokens{eos});
    CHECK(best[0].log_prob == doctest::Approx(std::log(0.25)).epsilon(1e-12));
    CHECK(best[1].tokens == Tokens{a, eos});
    CHECK(best[1].log_prob == doctest::Approx(std::log(0.4) + std::log(0.5)).epsilon(1e-12));
    CHECK(model.rows_per_step == std::vector<int64_t>{1, 1});
}

TEST_CASE("constraint: a beam holding every hypothesis equals exhaustive search under it") {
    // No token twice in a row, and sentence 1 must start with b: the rule reads the prefix and
    // the sentence, and both searches must agree on every n-best list.
    const auto no_repeat = rule([](int64_t sentence, const std::vector<int64_t>& prefix) {
        if (prefix.empty() && sentence == 1) return Tokens{b};
        Tokens allowed;
        for (int64_t v = eos; v <= 5; ++v) {
            if (prefix.empty() || prefix.back() != v) allowed.push_back(v);
        }
        return allowed;
    });
    for (uint64_t seed = 0; seed < 6; ++seed) {
        CAPTURE(seed);
        const auto sentences = scripted_sentences(3);
        ExhaustiveOptions exhaustive;
        exhaustive.max_length = 4;
        exhaustive.n_best = 3;
        exhaustive.length_penalty = LengthPenalty::Average;
        exhaustive.constraint = no_repeat;
        BeamSearchOptions beam;
        static_cast<DecodeOptions&>(beam) = exhaustive;
        static_cast<ScoreOptions&>(beam) = exhaustive;
        beam.beam_size = 256;
        beam.n_best = 3;
        ScriptedModel for_exhaustive(sentences, random_script(seed, 6));
        ScriptedModel for_beam(sentences, random_script(seed, 6));
        const std::vector<NBestList> reference = exhaustive_search(for_exhaustive, exhaustive);
        const std::vector<NBestList> found = beam_search(for_beam, beam);
        for (std::size_t s = 0; s < sentences.size(); ++s) {
            CAPTURE(s);
            check_same_hypotheses(found.at(s), reference.at(s));
            REQUIRE_FALSE(reference[s].empty());
            for (const Hypothesis& h : reference[s]) {
                if (s == 1) CHECK(h.tokens.front() == b);
                for (std::size_t t = 1; t < h.tokens.size(); ++t) {
                    CHECK(h.tokens[t] != h.tokens[t - 1]);
                }
                check_against_script(random_script(seed, 6), sentences[s], h);
            }
        }
    }
}

TEST_CASE("constraint: allowing nothing is an error that names the step, sentence and prefix") {
    const auto dead_end = rule([](int64_t, const std::vector<int64_t>& prefix) {
        return prefix.size() < 2 ? Tokens{a} : Tokens{};
    });
    const Script script = table_script({}, probs(0.2, 0.5, 0.3));
    SUBCASE("greedy") {
        ScriptedModel model({{0, 3}}, script);
        DecodeOptions options;
        options.constraint = dead_end;
        CHECK_THROWS_WITH_AS(
            greedy_search(model, options),
            "greedy_search: the constraint at step 2, sentence 0, after prefix [3, 3] allows no "
            "token",
            Error);
    }
    SUBCASE("beam") {
        ScriptedModel model({{0, 3}, {1, 2}}, script);
        BeamSearchOptions options;
        options.constraint = dead_end;
        CHECK_THROWS_WITH_AS(
            beam_search(model, options),
            "beam_search: the constraint at step 2, sentence 0, after prefix [3, 3] allows no "
            "token",
            Error);
    }
    SUBCASE("a token outside the vocabulary") {
        ScriptedModel model({{0, 3}}, script);
        BeamSearchOptions options;
        options.constraint = rule([](int64_t, const std::vector<int64_t>&) { return Tokens{7}; });
        CHECK_THROWS_WITH_AS(beam_search(model, options),
                             "beam_search: the constraint at step 0, sentence 0, after prefix [] "
                             "allows token 7, outside the vocabulary [0, 5)",
                             Error);
    }
}

TEST_CASE("constraint: when every allowed token has probability 0, the search says so") {
    // The rule allows only b after a, and the model never writes b after a.
    const Script script =
        table_script({{{}, probs(0.2, 0.8, 0)}, {{a}, probs(0.5, 0.5, 0)}}, probs(1, 0, 0));
    const auto only_b_after_a = rule([](int64_t, const std::vector<int64_t>& prefix) {
        return prefix.empty() ? Tokens{a} : Tokens{b};
    });
    SUBCASE("beam") {
        ScriptedModel model({{0, 3}}, script);
        BeamSearchOptions options;
        options.constraint = only_b_after_a;
        CHECK_THROWS_WITH_AS(beam_search(model, options),
                             "beam_search: at step 1, sentence 0 has no hypothesis left: every "
                             "token the constraint allows has probability 0 under the model",
                             Error);
    }
    SUBCASE("greedy") {
        ScriptedModel model({{0, 3}}, script);
        DecodeOptions options;
        options.constraint = only_b_after_a;
        CHECK_THROWS_WITH_AS(greedy_search(model, options),
                             "greedy_search: no token left to choose at step 1: the 5 "
                             "log-probabilities are -inf once the constraint has masked the "
                             "tokens it forbids",
                             Error);
    }
}

TEST_CASE("ForcedOutput: greedy search writes the given outputs and scores them") {
    const Script script = random_script(5, 5);
    const auto sentences = scripted_sentences(2);
    ScriptedModel model(sentences, script);
    DecodeOptions options;
    options.constraint = std::make_shared<ForcedOutput>(std::vector<Tokens>{{b, b, a}, {a}});
    const std::vector<Hypothesis> out = greedy_search(model, options);
    CHECK(out.at(0).tokens == Tokens{b, b, a, eos});
    CHECK(out.at(1).tokens == Tokens{a, eos});
    for (std::size_t s = 0; s < 2; ++s) check_against_script(script, sentences[s], out[s]);

    ScriptedModel three(scripted_sentences(3), script);
    CHECK_THROWS_WITH_AS(greedy_search(three, options),
                         "ForcedOutput: sentence 2 of the batch, but 2 outputs were given", Error);
}
