// decode::sample: temperature -> 0 and top-k = 1 are greedy search; drawn frequencies follow the
// (reshaped) probabilities; the same seed repeats the same samples.

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/random.hpp"
#include "decode/greedy.hpp"
#include "decode/sampling.hpp"
#include "tests/scripted_model.hpp"

using namespace glimpse;
using namespace glimpse::decode;
using namespace glimpse::testing;

namespace {

// How often each of <eos>, a, b is drawn first, over `count` copies of one sentence sampled in
// one batch, when the first token's probabilities are `first` (then <eos>).
std::vector<double> first_token_frequencies(const std::vector<double>& first,
                                            const SamplingOptions& options, int64_t count) {
    ScriptedModel model(std::vector<ScriptedSentence>(count, {0, 3}),
                        table_script({{{}, first}}, {0, 0, 1, 0, 0}));
    Generator generator(42);
    std::vector<double> frequency(3, 0.0);
    for (const Hypothesis& h : sample(model, options, generator)) {
        frequency.at(static_cast<std::size_t>(h.tokens.at(0) - eos)) += 1.0 / count;
        // log_prob is under the model, whatever the temperature and top-k.
        CHECK(h.log_prob == doctest::Approx(std::log(first[h.tokens[0]])).epsilon(1e-12));
    }
    return frequency;
}

void check_close(const std::vector<double>& frequency, const std::vector<double>& expected) {
    // 20,000 draws: a standard deviation of at most 0.0036, so 0.015 is over 4 of them.
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(i);
        CHECK(std::abs(frequency[i] - expected[i]) < 0.015);
    }
}

}  // namespace

TEST_CASE("sample: frequencies follow the probabilities, reshaped by temperature and top-k") {
    const std::vector<double> first = {0, 0, 0.2, 0.5, 0.3};
    const int64_t draws = 20'000;
    SUBCASE("temperature 1: the model's probabilities") {
        check_close(first_token_frequencies(first, {}, draws), {0.2, 0.5, 0.3});
    }
    SUBCASE("temperature 2: p^(1/2), normalised") {
        SamplingOptions options;
        options.temperature = 2.0;
        const double total = std::sqrt(0.2) + std::sqrt(0.5) + std::sqrt(0.3);
        check_close(first_token_frequencies(first, options, draws),
                    {std::sqrt(0.2) / total, std::sqrt(0.5) / total, std::sqrt(0.3) / total});
    }
    SUBCASE("top-k 2: <eos> (.2) is never drawn, a and b renormalised") {
        SamplingOptions options;
        options.top_k = 2;
        check_close(first_token_frequencies(first, options, draws), {0.0, 0.5 / 0.8, 0.3 / 0.8});
    }
}

TEST_CASE("sample: temperature -> 0 and top-k 1 are greedy search") {
    for (uint64_t seed = 0; seed < 5; ++seed) {
        ScriptedModel for_greedy(scripted_sentences(6), random_script(seed, 7));
        const std::vector<Hypothesis> greedy = greedy_search(for_greedy);
        SamplingOptions cold;
        cold.temperature = 1e-4;
        SamplingOptions top1;
        top1.top_k = 1;
        for (const SamplingOptions& options : {cold, top1}) {
            ScriptedModel for_sample(scripted_sentences(6), random_script(seed, 7));
            Generator generator(seed);
            const std::vector<Hypothesis> sampled = sample(for_sample, options, generator);
            for (std::size_t s = 0; s < greedy.size(); ++s) {
                check_same_hypotheses(sampled.at(s), greedy.at(s));
            }
        }
    }
}

TEST_CASE("sample: the same seed gives the same samples; another seed others") {
    auto draw = [](uint64_t seed) {
        ScriptedModel model(scripted_sentences(8), random_script(3, 7));
        Generator generator(seed);
        std::vector<std::vector<int64_t>> tokens;
        for (const Hypothesis& h : sample(model, {}, generator)) tokens.push_back(h.tokens);
        CHECK(model.extended_after_eos == 0);
        return tokens;
    };
    CHECK(draw(5) == draw(5));
    CHECK(draw(5) != draw(6));
}

TEST_CASE("sample: min_length and max_length hold; bad options are clear errors") {
    ScriptedModel model(scripted_sentences(20), random_script(9, 6));
    SamplingOptions options;
    options.min_length = 2;
    options.max_length = 4;
    for (const Hypothesis& h : sample(model, options)) {
        // Two tokens, then <eos> at the earliest; a sample without <eos> is cut at 4.
        if (h.finished) {
            CHECK(h.tokens.size() >= 3);
            CHECK(h.tokens.size() <= 4);
        } else {
            CHECK(h.tokens.size() == 4);
        }
        for (std::size_t t = 0; t < std::min<std::size_t>(2, h.tokens.size()); ++t) {
            CHECK(h.tokens[t] != eos);
        }
    }
    options.temperature = 0.0;
    CHECK_THROWS_WITH_AS(sample(model, options),
                         doctest::Contains("sample: temperature must be > 0, got 0"), Error);
    options.temperature = 1.0;
    options.top_k = -1;
    CHECK_THROWS_WITH_AS(sample(model, options), doctest::Contains("top_k must be >= 0"), Error);
}
