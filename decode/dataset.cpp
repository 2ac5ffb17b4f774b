#include "decode/dataset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/random.hpp"

namespace glimpse::decode {

namespace {

// Fisher-Yates with glimpse's own generator: std::shuffle's draws differ between standard
// libraries, and the same seed must give the same batches everywhere.
template <typename T>
void shuffle_in_place(std::vector<T>& values, Generator& generator) {
    for (int64_t i = static_cast<int64_t>(values.size()) - 1; i > 0; --i) {
        std::swap(values[static_cast<std::size_t>(i)],
                  values[static_cast<std::size_t>(generator.integer(0, i + 1))]);
    }
}

std::vector<int64_t> encode_source(const Example& example, int64_t index, const Vocab& vocab) {
    std::vector<int64_t> ids = vocab.encode(example.source);
    if (ids.empty()) {
        throw Error(fmt::format("make_batch: example {} has an empty source ('{}')", index,
                                example.source));
    }
    return ids;
}

// rows[b] padded with pad to the longest row: [B, max length] int64.
Tensor pad_rows(const std::vector<std::vector<int64_t>>& rows) {
    std::size_t longest = 0;
    for (const auto& row : rows) longest = std::max(longest, row.size());
    Tensor out =
        zeros({static_cast<int64_t>(rows.size()), static_cast<int64_t>(longest)}, DType::Int64);
    int64_t* data = out.data<int64_t>();
    static_assert(Vocab::pad == 0, "zeros() is the padding");
    for (std::size_t b = 0; b < rows.size(); ++b) {
        std::copy(rows[b].begin(), rows[b].end(), data + b * longest);
    }
    return out;
}

// Appends order[begin, end) to groups in runs of at most batch_size.
void cut_into_groups(const std::vector<int64_t>& order, int64_t begin, int64_t end,
                     int64_t batch_size, std::vector<std::vector<int64_t>>& groups) {
    for (int64_t start = begin; start < end; start += batch_size) {
        groups.emplace_back(order.begin() + start,
                            order.begin() + std::min(end, start + batch_size));
    }
}

}  // namespace

Batch make_batch(const std::vector<Example>& examples, const std::vector<int64_t>& indices,
                 const Vocab& source_vocab, const Vocab& target_vocab) {
    if (indices.empty()) throw Error("make_batch: no examples (indices is empty)");
    std::vector<std::vector<int64_t>> sources, target_inputs, target_outputs;
    for (const int64_t index : indices) {
        if (index < 0 || index >= static_cast<int64_t>(examples.size())) {
            throw Error(fmt::format("make_batch: index {} is out of range for {} examples", index,
                                    examples.size()));
        }
        const Example& example = examples[static_cast<std::size_t>(index)];
        sources.push_back(encode_source(example, index, source_vocab));
        const std::vector<int64_t> target = target_vocab.encode(example.target);
        // Teacher forcing: the decoder reads <sos> y_1..y_n and predicts y_1..y_n <eos>.
        target_inputs.push_back({Vocab::sos});
        target_inputs.back().insert(target_inputs.back().end(), target.begin(), target.end());
        target_outputs.push_back(target);
        target_outputs.back().push_back(Vocab::eos);
    }
    Batch batch;
    batch.source = pad_rows(sources);  // [B, S]
    const int64_t batch_size = batch.source.size(0);
    const int64_t source_length = batch.source.size(1);
    batch.source_lengths = empty({batch_size}, DType::Int64);
    batch.source_mask = zeros({batch_size, source_length}, DType::Bool);
    for (int64_t b = 0; b < batch_size; ++b) {
        const auto length = static_cast<int64_t>(sources[static_cast<std::size_t>(b)].size());
        batch.source_lengths.data<int64_t>()[b] = length;
        std::fill_n(batch.source_mask.data<uint8_t>() + b * source_length, length, uint8_t{1});
    }
    batch.target_input = pad_rows(target_inputs);    // [B, T]
    batch.target_output = pad_rows(target_outputs);  // [B, T]
    batch.example_indices = indices;
    return batch;
}

std::vector<Batch> make_batches(const std::vector<Example>& examples, const Vocab& source_vocab,
                                const Vocab& target_vocab, const BatchOptions& options) {
    if (examples.empty()) throw Error("make_batches: no examples");
    if (options.batch_size < 1) {
        throw Error(
            fmt::format("make_batches: batch_size must be at least 1, got {}", options.batch_size));
    }
    if (options.bucket_batches < 1) {
        throw Error(fmt::format("make_batches: bucket_batches must be at least 1, got {}",
                                options.bucket_batches));
    }
    const auto count = static_cast<int64_t>(examples.size());
    std::vector<int64_t> order(examples.size());
    std::iota(order.begin(), order.end(), int64_t{0});
    std::vector<std::vector<int64_t>> groups;  // the examples of each batch
    if (!options.shuffle) {
        cut_into_groups(order, 0, count, options.batch_size, groups);
    } else {
        Generator generator(options.seed);
        shuffle_in_place(order, generator);
        std::vector<int64_t> source_lengths(examples.size());
        for (std::size_t i = 0; i < examples.size(); ++i) {
            source_lengths[i] =
                static_cast<int64_t>(source_vocab.tokenize(examples[i].source).size());
        }
        const int64_t chunk = options.batch_size * options.bucket_batches;
        for (int64_t begin = 0; begin < count; begin += chunk) {
            const int64_t end = std::min(count, begin + chunk);
            std::stable_sort(order.begin() + begin, order.begin() + end, [&](int64_t a, int64_t b) {
                return source_lengths[static_cast<std::size_t>(a)] >
                       source_lengths[static_cast<std::size_t>(b)];
            });
            cut_into_groups(order, begin, end, options.batch_size, groups);
        }
        shuffle_in_place(groups, generator);
    }
    std::vector<Batch> batches;
    batches.reserve(groups.size());
    for (const auto& group : groups) {
        batches.push_back(make_batch(examples, group, source_vocab, target_vocab));
    }
    return batches;
}

}  // namespace glimpse::decode
