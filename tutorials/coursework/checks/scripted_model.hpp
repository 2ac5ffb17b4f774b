#pragma once
// A StepModel whose next-token probabilities are fixed by a script, for checking a decoding rule
// (assignment a5) the way fairseq tests its generator: with the probabilities known, the checks
// know what a search must return. Vocabulary: <pad> 0, <sos> 1, <eos> 2, then a 3, b 4, c 5, d 6.

#include <cstdint>
#include <functional>
#include <vector>

#include "decode/step_model.hpp"

namespace coursework::check {

constexpr int64_t kEos = 2, kA = 3, kB = 4, kC = 5, kD = 6, kVocab = 7;

// The probabilities [kVocab] of the next token of sentence `sentence` after `prefix` (the tokens
// generated so far, without <sos>).
using Script =
    std::function<std::vector<double>(int64_t sentence, const std::vector<int64_t>& prefix)>;

class ScriptedModel : public glimpse::decode::StepModel {
  public:
    // `sentences` sentences, each of source length 3.
    ScriptedModel(int64_t sentences, Script script);

    int64_t batch_size() const override { return sentences_; }
    int64_t source_length(int64_t) const override { return 3; }
    glimpse::decode::StepOutput step(const glimpse::Tensor& tokens) override;
    void select_rows(const glimpse::Tensor& rows) override;

    int64_t fed_after_eos = 0;  // rows fed a token after their <eos>: finished rows extended

  private:
    struct Row {
        int64_t sentence;
        std::vector<int64_t> prefix;
        bool started = false;
    };
    int64_t sentences_;
    Script script_;
    std::vector<Row> rows_;
};

// Random but fixed probabilities for each (sentence, prefix), none tied, <pad> and <sos> zero.
Script random_script(uint64_t seed);

// The same first-token distribution `first` for every sentence, then <eos> for sure.
Script one_token_script(std::vector<double> first);

}  // namespace coursework::check
