#pragma once
// A decoder whose next-token probabilities are fixed in advance, for testing the search
// algorithms the way fairseq tests its sequence generator: with the probabilities known, the
// tests can assert the exact hypotheses and scores a search must return.
//
// The script maps (sentence, prefix) to the next token's distribution and the attention
// weights of that step. The prefix is what the row has generated so far (without <sos>). A
// sentence is named by an id rather than its batch position, so the same sentence gives the same
// probabilities alone or at any position of a batch.

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "decode/hypothesis.hpp"
#include "decode/step_model.hpp"

namespace glimpse::testing {

// The tokens of the scripts in the tests: <pad> 0 and <sos> 1 get no probability, then <eos> 2
// and two words, a 3 and b 4.
constexpr int64_t eos = 2, a = 3, b = 4;
using Tokens = std::vector<int64_t>;

struct ScriptedStep {
    std::vector<double> probs;      // [V], summing to 1; zeros allowed (log-probability -inf)
    std::vector<double> attention;  // [source_length]; empty for a model without attention
};

struct ScriptedSentence {
    int64_t id = 0;
    int64_t source_length = 1;
};

using Script = std::function<ScriptedStep(const ScriptedSentence& sentence,
                                          const std::vector<int64_t>& prefix)>;

class ScriptedModel : public decode::StepModel {
  public:
    // log_probs come out in `dtype` (float64 keeps the scores exact for the tests), attention
    // [N, longest source] float32, zero beyond each sentence's length.
    ScriptedModel(std::vector<ScriptedSentence> sentences, Script script,
                  DType dtype = DType::Float64, int64_t sos = 1, int64_t eos = 2);

    int64_t batch_size() const override { return static_cast<int64_t>(sentences_.size()); }
    int64_t source_length(int64_t b) const override { return sentences_.at(b).source_length; }
    decode::StepOutput step(const Tensor& tokens) override;
    void select_rows(const Tensor& rows) override;

    // What the tests inspect afterwards:
    std::vector<int64_t> rows_per_step;  // the N of each step() call, in order
    int64_t extended_after_eos = 0;      // rows fed <eos>: finished hypotheses extended
    int64_t fed_sos_late = 0;            // rows fed <sos> after their first step

  private:
    struct Row {
        int64_t sentence;
        std::vector<int64_t> prefix;
        bool started = false;
    };
    std::vector<ScriptedSentence> sentences_;
    Script script_;
    DType dtype_;
    int64_t sos_, eos_;
    std::vector<Row> rows_;
};

// The same distribution for every sentence: table[prefix] if the prefix is listed, else
// `otherwise`; no attention.
Script table_script(std::map<std::vector<int64_t>, std::vector<double>> table,
                    std::vector<double> otherwise);

// The distribution over the five tokens above: <pad> and <sos> 0, then <eos>, a and b.
std::vector<double> probs(double p_eos, double p_a, double p_b);

// <eos> is the third choice at the first step, then the probabilities favour "a <eos>" and
// "b a <eos>": beam search with k = 2 finds those two (tests/test_beam_search.cpp).
Script two_paths_script();

// Random but fixed: the distribution and attention of each (id, prefix) come from a generator
// seeded by a hash of (seed, id, prefix). Tokens 0 and 1 (<pad>, <sos>) get probability 0;
// the others U(0,1)^3, normalised (peaked, as a trained model's); attention a softmax of
// normals over the source positions (none when with_attention is false).
Script random_script(uint64_t seed, int64_t vocab_size, bool with_attention = true);

// `count` sentences with ids first, first + 1, ... and source lengths 2, 3, 4, 2, 3, 4, ...
std::vector<ScriptedSentence> scripted_sentences(int64_t count, int64_t first = 0);

// CHECKs a hypothesis of `sentence` against its script, prefix by prefix: log_prob the sum of
// the script's log-probabilities of its tokens, attention row t the script's attention after
// tokens[0..t), finished exactly when it ends in <eos>.
void check_against_script(const Script& script, const ScriptedSentence& sentence,
                          const decode::Hypothesis& hypothesis);

// CHECKs that two searches returned the same hypotheses: tokens, finished, log_prob, score and
// attention, all exactly.
void check_same_hypotheses(const decode::Hypothesis& a, const decode::Hypothesis& b);
void check_same_hypotheses(const decode::NBestList& a, const decode::NBestList& b);

}  // namespace glimpse::testing
