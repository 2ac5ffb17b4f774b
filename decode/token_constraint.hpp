#pragma once
// Constrained decoding: a rule that says which tokens may come next, applied by every search
// (greedy, beam, sampling, exhaustive) as a mask on the model's next-token log-probabilities.
//
// At each step, for each hypothesis, the search asks the constraint which tokens may follow the
// hypothesis's tokens so far, and sets every other token's log-probability to -inf (probability
// 0) before it chooses: greedy search takes the most probable allowed token, beam search expands
// only by allowed tokens, sampling draws among them. Allowed tokens keep the model's own
// log-probabilities (they are not renormalised), so a hypothesis's log_prob is still
// log P(tokens | source) under the model, comparable with what an unconstrained search found.
// (Hugging Face's generate() offers the same hook as prefix_allowed_tokens_fn.)
//
// A constraint must allow at least one token after every prefix that it allowed: an empty answer
// is an error naming the search, the step, the sentence and the prefix. When every token it
// allows has probability 0 under the model, the search stops with an error naming the step too,
// so a constraint never leaves a sentence without an output silently.
//
// To write one: derive from TokenConstraint, implement allowed_tokens, and pass it to a search,
//     decode::DecodeOptions options;
//     options.constraint = std::make_shared<MyRule>();
//     auto best = decode::greedy_search(model, options);
// decode/date_grammar.hpp is a larger example: a grammar of ISO dates.

#include <cstdint>
#include <vector>

namespace glimpse::decode {

class TokenConstraint {
  public:
    virtual ~TokenConstraint() = default;
    // The token ids that may follow `prefix`, the tokens generated so far (without <sos>) for
    // sentence `sentence` of the model's batch. Order and repeats do not matter; an id outside
    // the model's vocabulary is an error.
    virtual std::vector<int64_t> allowed_tokens(int64_t sentence,
                                                const std::vector<int64_t>& prefix) const = 0;
};

// Forced decoding: allows exactly one output per sentence, outputs[b] followed by `eos`. A greedy
// search under it writes that output and nothing else, so its log_prob is log P(outputs[b] |
// source b): how probable the model finds an answer that it may not have chosen itself. b is the
// sentence's place in the StepModel's batch: the translate functions cut their sources into
// batches of batch_size, so give them at most batch_size sources with one ForcedOutput.
class ForcedOutput : public TokenConstraint {
  public:
    explicit ForcedOutput(std::vector<std::vector<int64_t>> outputs, int64_t eos = 2);
    std::vector<int64_t> allowed_tokens(int64_t sentence,
                                        const std::vector<int64_t>& prefix) const override;

  private:
    std::vector<std::vector<int64_t>> outputs_;
    int64_t eos_;
};

}  // namespace glimpse::decode
