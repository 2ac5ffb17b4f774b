#pragma once
// From parallel sentences to batches of token ids: encode each side with its vocabulary, pad to
// the longest in the batch, and record lengths and masks (decode/batch.hpp).
//
// Bucketing: examples of similar source length share a batch, so little of each batch is
// padding. The examples are shuffled by a seeded generator, cut into chunks of bucket_batches
// batches, sorted by source length (longest first) within each chunk and cut into batches; the
// batches are shuffled again. Shuffling between chunks keeps each epoch's batches varied, the
// sort within a chunk keeps the padding small, and the seed makes every run the same.

#include <cstdint>
#include <string>
#include <vector>

#include "decode/batch.hpp"
#include "decode/vocab.hpp"

namespace glimpse::decode {

struct Example {
    std::string source;
    std::string target;
};

struct BatchOptions {
    int64_t batch_size = 32;
    // false: examples stay in dataset order and so do the batches (evaluation, translation).
    bool shuffle = true;
    // Batches per chunk sorted by source length; 1 sorts only within each batch.
    int64_t bucket_batches = 16;
    uint64_t seed = 0;  // e.g. base seed + epoch, for a fresh but reproducible order each epoch
};

// One batch of the examples at `indices`, in that order. An empty target is allowed (the
// decoder then learns to stop at once); an empty source is an error.
Batch make_batch(const std::vector<Example>& examples, const std::vector<int64_t>& indices,
                 const Vocab& source_vocab, const Vocab& target_vocab);

// Every example exactly once, in batches of at most batch_size (the last may be smaller).
std::vector<Batch> make_batches(const std::vector<Example>& examples, const Vocab& source_vocab,
                                const Vocab& target_vocab, const BatchOptions& options = {});

}  // namespace glimpse::decode
