#include "decode/translate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "decode/greedy.hpp"
#include "decode/metrics.hpp"

namespace glimpse::decode {

Search greedy(const DecodeOptions& options) {
    return [options](StepModel& model) { return greedy_search(model, options); };
}

Search best_of_beam(const BeamSearchOptions& options) {
    return [options](StepModel& model) {
        std::vector<Hypothesis> best;
        for (NBestList& list : beam_search(model, options)) {
            if (list.empty()) {
                throw Error("best_of_beam: beam search found no hypothesis for a sentence");
            }
            best.push_back(std::move(list.front()));
        }
        return best;
    };
}

Batch source_batch(const std::vector<std::string>& sources, const Vocab& source_vocab) {
    std::vector<Example> examples;
    for (const std::string& source : sources) examples.push_back({source, ""});
    std::vector<int64_t> indices(examples.size());
    std::iota(indices.begin(), indices.end(), 0);
    return make_batch(examples, indices, source_vocab, source_vocab);
}

std::vector<std::string> translate(const Seq2Seq& model, const std::vector<std::string>& sources,
                                   const Vocab& source_vocab, const Vocab& target_vocab,
                                   const Search& search, int64_t batch_size) {
    if (batch_size < 1) {
        throw Error(fmt::format("translate: batch_size must be at least 1, got {}", batch_size));
    }
    std::vector<std::string> outputs;
    for (std::size_t start = 0; start < sources.size(); start += batch_size) {
        const std::size_t end = std::min(sources.size(), start + batch_size);
        const Batch batch =
            source_batch({sources.begin() + start, sources.begin() + end}, source_vocab);
        const auto decoding = model.start_decoding(batch.source, batch.source_lengths);
        const std::vector<Hypothesis> found = search(*decoding);
        if (found.size() != end - start) {
            throw Error(fmt::format("translate: the search returned {} hypotheses for {} sources",
                                    found.size(), end - start));
        }
        for (const Hypothesis& hypothesis : found) {
            outputs.push_back(target_vocab.decode(hypothesis.tokens));
        }
    }
    return outputs;
}

double translation_exact_match(const Seq2Seq& model, const std::vector<Example>& examples,
                               const Vocab& source_vocab, const Vocab& target_vocab,
                               const Search& search, int64_t batch_size) {
    if (examples.empty()) throw Error("translation_exact_match: no examples");
    std::vector<std::string> sources, targets;
    for (const Example& example : examples) {
        sources.push_back(example.source);
        targets.push_back(example.target);
    }
    return exact_match(translate(model, sources, source_vocab, target_vocab, search, batch_size),
                       targets);
}

}  // namespace glimpse::decode
