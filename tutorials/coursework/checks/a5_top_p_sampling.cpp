// Checks of assignment a5: nucleus (top-p) sampling (the rule is in a5_top_p_sampling.hpp).

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "tutorials/coursework/a5_top_p_sampling.hpp"
#include "tutorials/coursework/checks/checker.hpp"
#include "tutorials/coursework/checks/scripted_model.hpp"

namespace coursework::check {

using namespace glimpse;

namespace {

// The first-token distribution of the nucleus checks: a 0.5, b 0.3, c 0.15, d 0.05.
const std::vector<double> kFirst = {0, 0, 0, 0.5, 0.3, 0.15, 0.05};
constexpr int64_t kDraws = 4000;

std::string token_name(int64_t v) {
    static const char* names[] = {"<pad>", "<sos>", "<eos>", "a", "b", "c", "d"};
    return v >= 0 && v < kVocab ? names[v] : fmt::format("token {}", v);
}

std::string tokens_text(const std::vector<int64_t>& tokens) {
    std::string text;
    for (const int64_t v : tokens) text += (text.empty() ? "" : " ") + token_name(v);
    return "[" + text + "]";
}

// How often each first token is drawn over kDraws sentences of the one-token script.
std::map<int64_t, int64_t> first_tokens(double top_p) {
    ScriptedModel model(kDraws, one_token_script(kFirst));
    TopPOptions options;
    options.top_p = top_p;
    Generator generator(31);
    const std::vector<decode::Hypothesis> drawn = sample_top_p(model, options, generator);
    expect(static_cast<int64_t>(drawn.size()) == kDraws,
           fmt::format("{} hypotheses for {} sentences", drawn.size(), kDraws));
    std::map<int64_t, int64_t> counts;
    for (const decode::Hypothesis& h : drawn) {
        expect(!h.tokens.empty(), "a hypothesis has no tokens");
        ++counts[h.tokens[0]];
    }
    return counts;
}

// Fails unless the first tokens are drawn with the given probabilities (others never), each
// within 5 standard deviations of kDraws draws: deterministic, as the seed is fixed.
void expect_frequencies(double top_p, const std::map<int64_t, double>& expected) {
    const std::map<int64_t, int64_t> counts = first_tokens(top_p);
    for (const auto& [v, count] : counts) {
        expect(expected.count(v) > 0,
               fmt::format("top_p {}: drew {} {} times in {}, but it is outside the nucleus "
                           "{{{}}}",
                           top_p, token_name(v), count, kDraws, [&] {
                               std::string names;
                               for (const auto& [w, p] : expected) {
                                   names += (names.empty() ? "" : ", ") + token_name(w);
                               }
                               return names;
                           }()));
    }
    std::string drawn, wanted;
    bool close = true;
    for (const auto& [v, p] : expected) {
        const auto it = counts.find(v);
        const double frequency = it == counts.end() ? 0.0 : double(it->second) / kDraws;
        const double tolerance = 5 * std::sqrt(p * (1 - p) / kDraws);
        close = close && std::abs(frequency - p) <= tolerance;
        drawn += fmt::format("{}{} {:.4f}", drawn.empty() ? "" : ", ", token_name(v), frequency);
        wanted += fmt::format("{}{} {:.4f} (+-{:.4f})", wanted.empty() ? "" : ", ", token_name(v),
                              p, tolerance);
    }
    expect(close, fmt::format("top_p {}: frequencies in {} draws: {}; expected {}", top_p, kDraws,
                              drawn, wanted));
}

void check_greedy() {
    TopPOptions options;
    options.top_p = 1e-9;
    options.max_length = 8;
    ScriptedModel sampled(5, random_script(3));
    Generator generator(1);
    const auto drawn = sample_top_p(sampled, options, generator);
    ScriptedModel searched(5, random_script(3));
    const auto greedy = decode::greedy_search(searched, options);
    expect(drawn.size() == greedy.size(),
           fmt::format("{} hypotheses for {} sentences", drawn.size(), greedy.size()));
    for (std::size_t b = 0; b < greedy.size(); ++b) {
        expect(drawn[b].tokens == greedy[b].tokens,
               fmt::format("sentence {}: top_p 1e-9 drew {}, greedy search gives {}", b,
                           tokens_text(drawn[b].tokens), tokens_text(greedy[b].tokens)));
    }
}

// log_prob is the sum of the script's log-probabilities of the tokens; <eos> ends and finishes.
void check_log_prob() {
    const Script script = random_script(8);
    ScriptedModel model(6, script);
    TopPOptions options;
    options.top_p = 0.95;
    options.max_length = 30;
    Generator generator(4);
    const auto drawn = sample_top_p(model, options, generator);
    for (std::size_t b = 0; b < drawn.size(); ++b) {
        const decode::Hypothesis& h = drawn[b];
        double log_prob = 0;
        std::vector<int64_t> prefix;
        for (const int64_t v : h.tokens) {
            log_prob += std::log(script(static_cast<int64_t>(b), prefix).at(v));
            prefix.push_back(v);
        }
        expect(std::abs(h.log_prob - log_prob) < 1e-4,
               fmt::format("sentence {} {}: log_prob {:.6f}, expected the model's {:.6f}", b,
                           tokens_text(h.tokens), h.log_prob, log_prob));
        const bool ended = !h.tokens.empty() && h.tokens.back() == kEos;
        expect(h.finished == ended,
               fmt::format("sentence {} {}: finished is {}", b, tokens_text(h.tokens), h.finished));
    }
}

void check_lengths() {
    // <eos> is the likeliest token at every step: min_length must hold it back.
    const Script eager = [](int64_t, const std::vector<int64_t>&) {
        return std::vector<double>{0, 0, 0.7, 0.1, 0.1, 0.05, 0.05};
    };
    TopPOptions options;
    options.top_p = 1.0;
    options.min_length = 3;
    options.max_length = 5;
    ScriptedModel model(200, eager);
    Generator generator(6);
    for (const decode::Hypothesis& h : sample_top_p(model, options, generator)) {
        const auto length = static_cast<int64_t>(h.tokens.size());
        expect(length >= 1 && length <= 5,
               fmt::format("{} has {} tokens; max_length is 5", tokens_text(h.tokens), length));
        for (int64_t t = 0; t < std::min<int64_t>(3, length); ++t) {
            expect(h.tokens[static_cast<std::size_t>(t)] != kEos,
                   fmt::format("{}: <eos> at position {}, before min_length 3",
                               tokens_text(h.tokens), t));
        }
        expect(length == 5 || h.tokens.back() == kEos,
               fmt::format("{} stopped before max_length without <eos>", tokens_text(h.tokens)));
        expect(h.finished == (h.tokens.back() == kEos),
               fmt::format("{}: finished is {}", tokens_text(h.tokens), h.finished));
    }
}

void check_rows_leave() {
    ScriptedModel model(50, random_script(12));
    TopPOptions options;
    options.max_length = 12;
    Generator generator(2);
    sample_top_p(model, options, generator);
    expect(model.fed_after_eos == 0,
           fmt::format("{} rows were fed another token after their <eos>: let finished rows "
                       "leave with select_rows",
                       model.fed_after_eos));
}

void check_seeded() {
    const auto run = [](uint64_t seed) {
        ScriptedModel model(8, random_script(5));
        TopPOptions options;
        options.max_length = 10;
        Generator generator(seed);
        std::vector<std::vector<int64_t>> tokens;
        for (const auto& h : sample_top_p(model, options, generator)) tokens.push_back(h.tokens);
        return tokens;
    };
    expect(run(77) == run(77), "two runs from Generator(77) drew different samples");
    expect(run(77) != run(78),
           "Generator(77) and Generator(78) drew the same 8 samples: draw "
           "from the generator you are given");
}

void check_refused() {
    const auto refused = [](const TopPOptions& options, const std::string& what,
                            const std::string& mention) {
        ScriptedModel model(1, one_token_script(kFirst));
        Generator generator(1);
        expect_error(
            what, [&] { sample_top_p(model, options, generator); }, mention);
    };
    for (const double top_p : {0.0, 1.5}) {
        TopPOptions options;
        options.top_p = top_p;
        refused(options, fmt::format("sample_top_p with top_p {}", top_p), "top_p");
    }
    TopPOptions constrained;
    constrained.constraint =
        std::make_shared<decode::ForcedOutput>(std::vector<std::vector<int64_t>>{{kA}}, kEos);
    refused(constrained, "sample_top_p with a constraint", "constraint");
}

}  // namespace

Assignment a5_top_p_sampling() {
    return {
        "a5",
        "nucleus (top-p) sampling against decode::StepModel (a5_top_p_sampling.cpp)",
        {
            {"a tiny top_p is greedy search", check_greedy},
            {"top_p 0.7 draws exactly the nucleus {a, b}",
             [] {
                 expect_frequencies(0.7, {{kA, 0.5 / 0.8}, {kB, 0.3 / 0.8}});
             }},
            {"top_p 0.9 draws a, b, c with their renormalised probabilities",
             [] {
                 expect_frequencies(0.9, {{kA, 0.5 / 0.95}, {kB, 0.3 / 0.95}, {kC, 0.15 / 0.95}});
             }},
            {"top_p 1 draws every token with the model's probabilities",
             [] {
                 expect_frequencies(1.0, {{kA, 0.5}, {kB, 0.3}, {kC, 0.15}, {kD, 0.05}});
             }},
            {"log_prob is the model's, and finished means ended by <eos>", check_log_prob},
            {"min_length and max_length are obeyed", check_lengths},
            {"finished rows leave: none is fed a token after its <eos>", check_rows_leave},
            {"the same seed draws the same samples", check_seeded},
            {"top_p outside (0, 1] and a constraint are refused with errors naming them",
             check_refused},
        },
    };
}

}  // namespace coursework::check
