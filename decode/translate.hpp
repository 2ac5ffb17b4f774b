#pragma once
// Translating text with a trained Seq2Seq: what the tutorials and the demo do after training.
// The sources are encoded with the source vocabulary, cut into batches in their order, decoded
// by a search (greedy by default) and turned back into text with the target vocabulary.
//
//   auto outputs = decode::translate(model, {"3rd of May 1979"}, source_vocab, target_vocab);
//   double em = decode::translation_exact_match(model, data.test, source_vocab, target_vocab);
//   decode::BeamSearchOptions beam;
//   beam.beam_size = 5;
//   double em5 = decode::translation_exact_match(model, data.test, source_vocab, target_vocab,
//                                                decode::best_of_beam(beam));
//
// The model is used as it is: call model.eval() first if it has dropout.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "decode/batch.hpp"
#include "decode/beam_search.hpp"
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

// The sources as a batch in their order (empty targets): what start_decoding reads.
Batch source_batch(const std::vector<std::string>& sources, const Vocab& source_vocab);

// Each source's output text, in the sources' order, decoded batch_size sources at a time.
std::vector<std::string> translate(const Seq2Seq& model, const std::vector<std::string>& sources,
                                   const Vocab& source_vocab, const Vocab& target_vocab,
                                   const Search& search = greedy(), int64_t batch_size = 64);

// Fraction (0..1) of the examples whose translation equals their target exactly.
double translation_exact_match(const Seq2Seq& model, const std::vector<Example>& examples,
                               const Vocab& source_vocab, const Vocab& target_vocab,
                               const Search& search = greedy(), int64_t batch_size = 64);

}  // namespace glimpse::decode
