#pragma once
// Strings in, strings out: a trained Seq2Seq model with its vocabularies, decoding sources in
// batches with greedy or beam search (decode/greedy.hpp, decode/beam_search.hpp), and its exact
// match on held-out examples.
//
//     auto outputs = decode::greedy_translate(model, source_vocab, {"3rd of May 1979"});
//     target_vocab.decode(outputs[0].tokens)   // "1979-05-03"
//
// Sentences are decoded batch_size at a time in the order given; each sentence's result does not
// depend on the others in its batch (padding is masked), so the results are the same for any
// batch size.

#include <cstdint>
#include <string>
#include <vector>

#include "decode/beam_search.hpp"
#include "decode/dataset.hpp"
#include "decode/decode_options.hpp"
#include "decode/hypothesis.hpp"
#include "decode/seq2seq.hpp"
#include "decode/vocab.hpp"

namespace glimpse::decode {

// One hypothesis per source, in order. A character that the source vocabulary lacks is read as
// <unk> (unknown_tokens() finds them first); an empty source is an error.
std::vector<Hypothesis> greedy_translate(const Seq2Seq& model, const Vocab& source_vocab,
                                         const std::vector<std::string>& sources,
                                         const DecodeOptions& options = {},
                                         int64_t batch_size = 256);
// One n-best list per source, in order.
std::vector<NBestList> beam_translate(const Seq2Seq& model, const Vocab& source_vocab,
                                      const std::vector<std::string>& sources,
                                      const BeamSearchOptions& options = {},
                                      int64_t batch_size = 64);

// The fraction (0..1) of examples whose greedy translation is exactly their target.
double greedy_exact_match(const Seq2Seq& model, const Vocab& source_vocab,
                          const Vocab& target_vocab, const std::vector<Example>& examples,
                          const DecodeOptions& options = {}, int64_t batch_size = 256);

// The tokens of `text` that `vocab` lacks, each once, in order of appearance.
std::vector<std::string> unknown_tokens(const Vocab& vocab, const std::string& text);

}  // namespace glimpse::decode
