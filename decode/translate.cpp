#include "decode/translate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "decode/greedy.hpp"
#include "decode/metrics.hpp"

namespace glimpse::decode {

namespace {

// Runs `search` on each slice of batch_size sources, under no-grad, and joins the results in
// order; `search` must give one result per source of its slice.
template <typename Result, typename SearchFn>
std::vector<Result> in_batches(const char* who, const Seq2Seq& model,
                               const std::vector<std::string>& sources, const Vocab& source_vocab,
                               int64_t batch_size, const SearchFn& search) {
    if (batch_size < 1) {
        throw Error(fmt::format("{}: batch_size must be at least 1, got {}", who, batch_size));
    }
    const NoGradGuard no_grad;
    const auto step = static_cast<std::size_t>(batch_size);
    std::vector<Result> results;
    for (std::size_t first = 0; first < sources.size(); first += step) {
        const std::size_t last = std::min(sources.size(), first + step);
        const Batch batch =
            source_batch({sources.begin() + first, sources.begin() + last}, source_vocab);
        const auto decoding = model.start_decoding(batch.source, batch.source_lengths);
        std::vector<Result> found = search(*decoding);
        if (found.size() != last - first) {
            throw Error(fmt::format("{}: the search returned {} hypotheses for {} sources", who,
                                    found.size(), last - first));
        }
        for (Result& result : found) results.push_back(std::move(result));
    }
    return results;
}

}  // namespace

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
    for (std::size_t i = 0; i < sources.size(); ++i) {
        if (sources[i].empty()) throw Error(fmt::format("source_batch: source {} is empty", i));
        examples.push_back({sources[i], ""});
    }
    std::vector<int64_t> indices(examples.size());
    std::iota(indices.begin(), indices.end(), 0);
    const Vocab no_targets;  // the batch carries empty targets
    return make_batch(examples, indices, source_vocab, no_targets);
}

std::vector<Hypothesis> greedy_translate(const Seq2Seq& model,
                                         const std::vector<std::string>& sources,
                                         const Vocab& source_vocab, const DecodeOptions& options,
                                         int64_t batch_size) {
    return in_batches<Hypothesis>("greedy_translate", model, sources, source_vocab, batch_size,
                                  greedy(options));
}

std::vector<NBestList> beam_translate(const Seq2Seq& model, const std::vector<std::string>& sources,
                                      const Vocab& source_vocab, const BeamSearchOptions& options,
                                      int64_t batch_size) {
    return in_batches<NBestList>("beam_translate", model, sources, source_vocab, batch_size,
                                 [&](StepModel& m) { return beam_search(m, options); });
}

std::vector<std::string> translate(const Seq2Seq& model, const std::vector<std::string>& sources,
                                   const Vocab& source_vocab, const Vocab& target_vocab,
                                   const Search& search, int64_t batch_size) {
    std::vector<std::string> outputs;
    for (const Hypothesis& hypothesis :
         in_batches<Hypothesis>("translate", model, sources, source_vocab, batch_size, search)) {
        outputs.push_back(target_vocab.decode(hypothesis.tokens));
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

PronunciationErrorRates pronunciation_error_rates(const Seq2Seq& model,
                                                  const std::vector<WordReferences>& words,
                                                  const Vocab& letters, const Vocab& phones,
                                                  const Search& search, int64_t batch_size) {
    if (words.empty()) throw Error("pronunciation_error_rates: no words");
    std::vector<std::string> spellings;
    std::vector<std::vector<std::string>> references;
    for (const WordReferences& word : words) {
        spellings.push_back(word.word);
        references.push_back(word.pronunciations);
    }
    const std::vector<std::string> outputs =
        translate(model, spellings, letters, phones, search, batch_size);
    return {word_error_rate(outputs, references), phoneme_error_rate(outputs, references)};
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
