#include "decode/translate.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "decode/greedy.hpp"
#include "decode/metrics.hpp"

namespace glimpse::decode {

namespace {

// Runs `search` on each slice of batch_size sources and joins the results in order.
template <typename Result, typename Search>
std::vector<Result> in_batches(const char* who, const Seq2Seq& model, const Vocab& source_vocab,
                               const std::vector<std::string>& sources, int64_t batch_size,
                               Search search) {
    if (batch_size < 1)
        throw Error(fmt::format("{}: batch_size must be >= 1, got {}", who, batch_size));
    const NoGradGuard no_grad;
    const Vocab no_targets;  // the batches carry empty targets
    std::vector<Example> examples;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        if (sources[i].empty()) throw Error(fmt::format("{}: source {} is empty", who, i));
        examples.push_back({sources[i], ""});
    }
    std::vector<Result> results;
    for (std::size_t first = 0; first < examples.size();
         first += static_cast<std::size_t>(batch_size)) {
        const std::size_t last =
            std::min(examples.size(), first + static_cast<std::size_t>(batch_size));
        std::vector<int64_t> indices;
        for (std::size_t i = first; i < last; ++i) indices.push_back(static_cast<int64_t>(i));
        const Batch batch = make_batch(examples, indices, source_vocab, no_targets);
        const auto decoding = model.start_decoding(batch.source, batch.source_lengths);
        for (auto& result : search(*decoding)) results.push_back(std::move(result));
    }
    return results;
}

}  // namespace

std::vector<Hypothesis> greedy_translate(const Seq2Seq& model, const Vocab& source_vocab,
                                         const std::vector<std::string>& sources,
                                         const DecodeOptions& options, int64_t batch_size) {
    return in_batches<Hypothesis>("greedy_translate", model, source_vocab, sources, batch_size,
                                  [&](StepModel& m) { return greedy_search(m, options); });
}

std::vector<NBestList> beam_translate(const Seq2Seq& model, const Vocab& source_vocab,
                                      const std::vector<std::string>& sources,
                                      const BeamSearchOptions& options, int64_t batch_size) {
    return in_batches<NBestList>("beam_translate", model, source_vocab, sources, batch_size,
                                 [&](StepModel& m) { return beam_search(m, options); });
}

double greedy_exact_match(const Seq2Seq& model, const Vocab& source_vocab,
                          const Vocab& target_vocab, const std::vector<Example>& examples,
                          const DecodeOptions& options, int64_t batch_size) {
    if (examples.empty()) throw Error("greedy_exact_match: no examples");
    std::vector<std::string> sources, references, outputs;
    for (const Example& example : examples) {
        sources.push_back(example.source);
        references.push_back(example.target);
    }
    for (const Hypothesis& h :
         greedy_translate(model, source_vocab, sources, options, batch_size)) {
        outputs.push_back(target_vocab.decode(h.tokens));
    }
    return exact_match(outputs, references);
}

std::vector<std::string> unknown_tokens(const Vocab& vocab, const std::string& text) {
    std::vector<std::string> unknown;
    for (const std::string& token : vocab.tokenize(text)) {
        if (!vocab.contains(token) &&
            std::find(unknown.begin(), unknown.end(), token) == unknown.end()) {
            unknown.push_back(token);
        }
    }
    return unknown;
}

}  // namespace glimpse::decode
