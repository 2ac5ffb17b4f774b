#include "tests/seq2seq_testing.hpp"

#include <algorithm>
#include <numeric>

#include "core/ops.hpp"

namespace glimpse::testing {

namespace {

constexpr int64_t kPad = 0, kSos = 1, kEos = 2;

// Rows of tokens padded to the longest: int64 [rows, longest].
Tensor padded(const TokenLists& rows) {
    std::size_t longest = 0;
    for (const auto& row : rows) longest = std::max(longest, row.size());
    std::vector<double> values;
    for (const auto& row : rows) {
        values.insert(values.end(), row.begin(), row.end());
        values.insert(values.end(), longest - row.size(), kPad);
    }
    return tensor(values, {static_cast<int64_t>(rows.size()), static_cast<int64_t>(longest)},
                  DType::Int64);
}

}  // namespace

decode::Batch padded_batch(const TokenLists& sources, const TokenLists& targets) {
    TokenLists inputs, outputs;
    std::vector<double> lengths;
    for (const auto& y : targets) {
        inputs.push_back({kSos});
        inputs.back().insert(inputs.back().end(), y.begin(), y.end());
        outputs.push_back(y);
        outputs.back().push_back(kEos);
    }
    for (const auto& x : sources) lengths.push_back(static_cast<double>(x.size()));
    decode::Batch batch;
    batch.source = padded(sources);
    batch.source_lengths = tensor(lengths, {static_cast<int64_t>(sources.size())}, DType::Int64);
    batch.source_mask =
        lt(arange(batch.source.size(1)).unsqueeze(0), batch.source_lengths.unsqueeze(1));
    batch.target_input = padded(inputs);
    batch.target_output = padded(outputs);
    batch.example_indices.resize(sources.size());
    std::iota(batch.example_indices.begin(), batch.example_indices.end(), 0);
    return batch;
}

}  // namespace glimpse::testing
