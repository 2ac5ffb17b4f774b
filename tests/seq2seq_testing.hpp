#pragma once
// Helpers for the seq2seq tests (tests/test_seq2seq.cpp, tests/test_gradcheck_seq2seq.cpp):
// a padded Batch made from token lists, as the decoder's training sees it.

#include <cstdint>
#include <vector>

#include "decode/batch.hpp"

namespace glimpse::testing {

using TokenLists = std::vector<std::vector<int64_t>>;

// Sources padded with 0 (<pad>); targets y become <sos>=1 y as the input and y <eos>=2 as the
// output, both padded with 0. Every source and target is at least one token long.
decode::Batch padded_batch(const TokenLists& sources, const TokenLists& targets);

}  // namespace glimpse::testing
