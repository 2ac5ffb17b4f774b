#pragma once
// Strings in, strings out: what the tutorials and the demo do with a trained Seq2Seq. Sources are
// encoded with the source vocabulary, cut into batches in their order, decoded by a search, and
// (for translate) turned back into text with the target vocabulary.
//
//   auto outputs = decode::translate(model, {"3rd of May 1979"}, source_vocab, target_vocab);
//   double em = decode::translation_exact_match(model, data.test, source_vocab, target_vocab);
//   auto lists = decode::beam_translate(model, {"3rd of May 1979"}, source_vocab, beam);
//   // lists[0][0].tokens, .score, .attention: the best hypothesis, for n-best lists and heatmaps
//
// Each sentence's result does not depend on the others in its batch (padding is masked), so the
// results are the same for any batch size. The model is used as it is: call model.eval() first
// if it has dropout.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "decode/batch.hpp"
#include "decode/beam_search.hpp"
#include "decode/cmudict.hpp"
#include "decode/dataset.hpp"
#include "decode/decode_options.hpp"
#include "decode/hypothesis.hpp"
#include "decode/seq2seq.hpp"
#include "decode/step_model.hpp"
#include "decode/vocab.hpp"

namespace glimpse::decode {

// A search that gives one hypothesis per sentence of the model's batch, in batch order.
using Search = std::function<std::vector<Hypothesis>(StepModel&)>;

Search greedy(const DecodeOptions& options = {});       // greedy_search
Search best_of_beam(const BeamSearchOptions& options);  // the first of each n-best list

// The sources as a batch in their order, with empty targets: what start_decoding reads.
// An empty source is an error.
Batch source_batch(const std::vector<std::string>& sources, const Vocab& source_vocab);

// One hypothesis (greedy) or n-best list (beam) per source, in order. A character that the source
// vocabulary lacks is read as <unk> (unknown_tokens() finds them first).
std::vector<Hypothesis> greedy_translate(const Seq2Seq& model,
                                         const std::vector<std::string>& sources,
                                         const Vocab& source_vocab,
                                         const DecodeOptions& options = {},
                                         int64_t batch_size = 256);
std::vector<NBestList> beam_translate(const Seq2Seq& model, const std::vector<std::string>& sources,
                                      const Vocab& source_vocab,
                                      const BeamSearchOptions& options = {},
                                      int64_t batch_size = 64);

// Each source's output text, in the sources' order, decoded batch_size sources at a time.
std::vector<std::string> translate(const Seq2Seq& model, const std::vector<std::string>& sources,
                                   const Vocab& source_vocab, const Vocab& target_vocab,
                                   const Search& search = greedy(), int64_t batch_size = 64);

// Fraction (0..1) of the examples whose translation equals their target exactly.
double translation_exact_match(const Seq2Seq& model, const std::vector<Example>& examples,
                               const Vocab& source_vocab, const Vocab& target_vocab,
                               const Search& search = greedy(), int64_t batch_size = 64);

// Grapheme-to-phoneme error rates on `words` (decode/cmudict.hpp): each spelling translated by
// `search`, scored against all of its reference pronunciations (decode/metrics.hpp).
struct PronunciationErrorRates {
    double word = 0;     // word_error_rate: the share of words pronounced wrong
    double phoneme = 0;  // phoneme_error_rate: phone edits per reference phone
};
PronunciationErrorRates pronunciation_error_rates(const Seq2Seq& model,
                                                  const std::vector<WordReferences>& words,
                                                  const Vocab& letters, const Vocab& phones,
                                                  const Search& search = greedy(),
                                                  int64_t batch_size = 256);

// The tokens of `text` that `vocab` lacks, each once, in order of appearance.
std::vector<std::string> unknown_tokens(const Vocab& vocab, const std::string& text);

}  // namespace glimpse::decode
