#include "tests/scripted_model.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/random.hpp"

namespace glimpse::testing {

ScriptedModel::ScriptedModel(std::vector<ScriptedSentence> sentences, Script script, DType dtype,
                             int64_t sos, int64_t eos)
    : sentences_(std::move(sentences)),
      script_(std::move(script)),
      dtype_(dtype),
      sos_(sos),
      eos_(eos) {
    for (int64_t b = 0; b < batch_size(); ++b) rows_.push_back(Row{b, {}, false});
}

decode::StepOutput ScriptedModel::step(const Tensor& tokens) {
    const auto n = static_cast<int64_t>(rows_.size());
    if (tokens.shape() != Shape{n} || tokens.dtype() != DType::Int64) {
        throw Error(fmt::format("ScriptedModel::step: tokens must be [{}] int64", n));
    }
    rows_per_step.push_back(n);
    int64_t longest = 0;
    for (const ScriptedSentence& s : sentences_) longest = std::max(longest, s.source_length);

    std::vector<ScriptedStep> steps;
    for (int64_t r = 0; r < n; ++r) {
        Row& row = rows_[r];
        const int64_t token = tokens.data<int64_t>()[r];
        if (row.started) {
            extended_after_eos += token == eos_;
            fed_sos_late += token == sos_;
            row.prefix.push_back(token);
        } else if (token != sos_) {
            throw Error(
                fmt::format("ScriptedModel::step: row {} started with {}, not <sos>", r, token));
        }
        row.started = true;
        steps.push_back(script_(sentences_[row.sentence], row.prefix));
    }
    const auto vocab = static_cast<int64_t>(steps.at(0).probs.size());
    Tensor log_probs = empty({n, vocab}, DType::Float64);  // [N, V]
    Tensor attention = zeros({n, longest});                // [N, S]
    bool has_attention = false;
    for (int64_t r = 0; r < n; ++r) {
        const ScriptedStep& s = steps[r];
        if (static_cast<int64_t>(s.probs.size()) != vocab) {
            throw Error("ScriptedModel::step: the script's vocabulary size changed");
        }
        for (int64_t v = 0; v < vocab; ++v) {
            log_probs.data<double>()[r * vocab + v] = std::log(s.probs[v]);
        }
        has_attention = !s.attention.empty();
        for (std::size_t i = 0; i < s.attention.size(); ++i) {
            attention.data<float>()[r * longest + static_cast<int64_t>(i)] =
                static_cast<float>(s.attention[i]);
        }
    }
    return {log_probs.to(dtype_), has_attention ? attention : Tensor()};
}

void ScriptedModel::select_rows(const Tensor& rows) {
    if (rows.dim() != 1 || rows.dtype() != DType::Int64) {
        throw Error("ScriptedModel::select_rows: rows must be [N'] int64");
    }
    std::vector<Row> selected;
    for (int64_t i = 0; i < rows.size(0); ++i) {
        selected.push_back(rows_.at(static_cast<std::size_t>(rows.data<int64_t>()[i])));
    }
    rows_ = std::move(selected);
}

Script table_script(std::map<std::vector<int64_t>, std::vector<double>> table,
                    std::vector<double> otherwise) {
    return [table = std::move(table), otherwise = std::move(otherwise)](
               const ScriptedSentence&, const std::vector<int64_t>& prefix) {
        const auto found = table.find(prefix);
        return ScriptedStep{found == table.end() ? otherwise : found->second, {}};
    };
}

std::vector<double> probs(double p_eos, double p_a, double p_b) {
    return {0.0, 0.0, p_eos, p_a, p_b};
}

Script two_paths_script() {
    return table_script({{{}, probs(0.25, 0.4, 0.35)},
                         {{a}, probs(0.5, 0.3, 0.2)},
                         {{b}, probs(0.2, 0.6, 0.2)},
                         {{b, a}, probs(0.9, 0.05, 0.05)},
                         {{a, a}, probs(0.5, 0.25, 0.25)}},
                        probs(0.4, 0.3, 0.3));
}

namespace {

// SplitMix64's mixing step: one well-spread 64-bit value from another.
uint64_t mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

}  // namespace

Script random_script(uint64_t seed, int64_t vocab_size, bool with_attention) {
    return [seed, vocab_size, with_attention](const ScriptedSentence& sentence,
                                              const std::vector<int64_t>& prefix) {
        uint64_t h = mix(seed ^ mix(static_cast<uint64_t>(sentence.id)));
        for (int64_t token : prefix) h = mix(h ^ static_cast<uint64_t>(token));
        Generator generator(h);
        ScriptedStep step;
        step.probs.assign(static_cast<std::size_t>(vocab_size), 0.0);
        double total = 0.0;
        for (int64_t v = 2; v < vocab_size; ++v) {
            step.probs[v] = std::pow(generator.uniform(), 3.0) + 1e-3;
            total += step.probs[v];
        }
        for (double& p : step.probs) p /= total;
        if (!with_attention) return step;
        double attention_total = 0.0;
        for (int64_t i = 0; i < sentence.source_length; ++i) {
            step.attention.push_back(std::exp(generator.normal()));
            attention_total += step.attention.back();
        }
        for (double& a : step.attention) a /= attention_total;
        return step;
    };
}

std::vector<ScriptedSentence> scripted_sentences(int64_t count, int64_t first) {
    std::vector<ScriptedSentence> sentences;
    for (int64_t i = 0; i < count; ++i) sentences.push_back({first + i, 2 + (first + i) % 3});
    return sentences;
}

void check_against_script(const Script& script, const ScriptedSentence& sentence,
                          const decode::Hypothesis& hypothesis) {
    const std::vector<int64_t>& tokens = hypothesis.tokens;
    REQUIRE_FALSE(tokens.empty());
    CHECK(hypothesis.finished == (tokens.back() == eos));
    std::vector<float> attention;
    double log_prob = 0.0;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        const ScriptedStep step =
            script(sentence, std::vector<int64_t>(tokens.begin(), tokens.begin() + t));
        log_prob += std::log(step.probs.at(static_cast<std::size_t>(tokens[t])));
        for (double a : step.attention) attention.push_back(static_cast<float>(a));
    }
    CHECK(hypothesis.log_prob == doctest::Approx(log_prob).epsilon(1e-12));
    REQUIRE(hypothesis.attention.defined() == !attention.empty());
    if (!attention.empty()) {
        const Tensor& a = hypothesis.attention;
        CHECK(a.shape() == Shape{static_cast<int64_t>(tokens.size()), sentence.source_length});
        CHECK(std::equal(attention.begin(), attention.end(), a.data<float>()));
    }
}

void check_same_hypotheses(const decode::Hypothesis& a, const decode::Hypothesis& b) {
    CHECK(a.tokens == b.tokens);
    CHECK(a.finished == b.finished);
    CHECK(a.log_prob == b.log_prob);
    CHECK(a.score == b.score);
    REQUIRE(a.attention.defined() == b.attention.defined());
    if (a.attention.defined()) {
        CHECK(a.attention.shape() == b.attention.shape());
        CHECK(a.attention.to_vector() == b.attention.to_vector());
    }
}

void check_same_hypotheses(const decode::NBestList& a, const decode::NBestList& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) check_same_hypotheses(a[i], b[i]);
}

}  // namespace glimpse::testing
