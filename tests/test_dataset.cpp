// Tests of decode/dataset.cpp.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "decode/dataset.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

std::vector<int64_t> values_of(const Tensor& x) {
    const std::vector<double> values = x.to_vector();
    return {values.begin(), values.end()};
}

// Examples whose sources have lengths 1..count in a scrambled order.
std::vector<Example> scrambled_examples(int64_t count) {
    std::vector<Example> examples;
    for (int64_t i = 0; i < count; ++i) {
        const int64_t length = (i * 7) % count + 1;
        examples.push_back({std::string(static_cast<std::size_t>(length), 'a'), "b"});
    }
    return examples;
}

int64_t padding_in(const std::vector<Batch>& batches) {
    int64_t padding = 0;
    for (const Batch& batch : batches) {
        for (const int64_t real : values_of(batch.source_mask)) padding += real == 0;
    }
    return padding;
}

}  // namespace

TEST_CASE("dataset: make_batch pads, and shifts the target for teacher forcing") {
    const std::vector<Example> examples{{"abc", "xy"}, {"a", ""}, {"ba", "yxx"}};
    const Vocab source = Vocab::build({"abc", "a", "ba"}, Tokenization::Character);
    const Vocab target = Vocab::build({"xy", "yxx"}, Tokenization::Character);
    const int64_t a = source.id("a"), b = source.id("b"), c = source.id("c");
    const int64_t x = target.id("x"), y = target.id("y");
    constexpr int64_t pad = Vocab::pad, sos = Vocab::sos, eos = Vocab::eos;

    const Batch batch = make_batch(examples, {0, 1, 2}, source, target);
    CHECK(batch.source.shape() == Shape{3, 3});
    CHECK(values_of(batch.source) == std::vector<int64_t>{a, b, c, a, pad, pad, b, a, pad});
    CHECK(values_of(batch.source_lengths) == std::vector<int64_t>{3, 1, 2});
    CHECK(batch.source_mask.dtype() == DType::Bool);
    CHECK(values_of(batch.source_mask) == std::vector<int64_t>{1, 1, 1, 1, 0, 0, 1, 1, 0});
    CHECK(batch.target_input.shape() == Shape{3, 4});
    CHECK(values_of(batch.target_input) ==
          std::vector<int64_t>{sos, x, y, pad, sos, pad, pad, pad, sos, y, x, x});
    CHECK(values_of(batch.target_output) ==
          std::vector<int64_t>{x, y, eos, pad, eos, pad, pad, pad, y, x, x, eos});
    CHECK(batch.example_indices == std::vector<int64_t>{0, 1, 2});

    const Batch reordered = make_batch(examples, {2, 0}, source, target);
    CHECK(values_of(reordered.source_lengths) == std::vector<int64_t>{2, 3});
    CHECK(reordered.example_indices == std::vector<int64_t>{2, 0});
}

TEST_CASE("dataset: make_batches holds every example once, bucketed, the same for one seed") {
    const std::vector<Example> examples = scrambled_examples(100);
    const Vocab source = Vocab::build({"a"}, Tokenization::Character);
    const Vocab target = Vocab::build({"b"}, Tokenization::Character);
    const BatchOptions options{.batch_size = 8, .shuffle = true, .bucket_batches = 4, .seed = 7};
    const std::vector<Batch> batches = make_batches(examples, source, target, options);
    CHECK(batches.size() == 13);  // 100 = 12 * 8 + 4
    std::vector<int64_t> seen;
    for (const Batch& batch : batches) {
        CHECK(batch.source.size(0) <= 8);
        const std::vector<int64_t> lengths = values_of(batch.source_lengths);
        CHECK(std::is_sorted(lengths.rbegin(), lengths.rend()));  // longest first
        CHECK(batch.source.size(1) == lengths.front());
        for (std::size_t i = 0; i < lengths.size(); ++i) {
            const Example& example = examples[static_cast<std::size_t>(batch.example_indices[i])];
            CHECK(static_cast<int64_t>(example.source.size()) == lengths[i]);
        }
        seen.insert(seen.end(), batch.example_indices.begin(), batch.example_indices.end());
    }
    std::sort(seen.begin(), seen.end());
    for (int64_t i = 0; i < 100; ++i) CHECK(seen[static_cast<std::size_t>(i)] == i);

    const std::vector<Batch> again = make_batches(examples, source, target, options);
    const std::vector<Batch> other =
        make_batches(examples, source, target, {.batch_size = 8, .seed = 8});
    bool other_differs = false;
    for (std::size_t i = 0; i < batches.size(); ++i) {
        CHECK(again[i].example_indices == batches[i].example_indices);
        CHECK(values_of(again[i].source) == values_of(batches[i].source));
        other_differs |= other[i].example_indices != batches[i].example_indices;
    }
    CHECK(other_differs);

    // Sorting within chunks leaves less padding than batches in dataset order.
    const std::vector<Batch> in_order =
        make_batches(examples, source, target, {.batch_size = 8, .shuffle = false});
    CHECK(padding_in(batches) < padding_in(in_order) / 2);
}

TEST_CASE("dataset: without shuffling, batches keep the dataset's order") {
    const std::vector<Example> examples = scrambled_examples(5);
    const Vocab source = Vocab::build({"a"}, Tokenization::Character);
    const std::vector<Batch> batches =
        make_batches(examples, source, source, {.batch_size = 2, .shuffle = false});
    REQUIRE(batches.size() == 3);
    CHECK(batches[0].example_indices == std::vector<int64_t>{0, 1});
    CHECK(batches[1].example_indices == std::vector<int64_t>{2, 3});
    CHECK(batches[2].example_indices == std::vector<int64_t>{4});
}

TEST_CASE("dataset: bad input is an error naming the function and the problem") {
    const std::vector<Example> examples{{"ab", "c"}, {" ", "c"}};
    const Vocab words = Vocab::build({"ab"}, Tokenization::Word);
    CHECK_THROWS_WITH_AS(make_batches({}, words, words), "make_batches: no examples", Error);
    CHECK_THROWS_WITH_AS(make_batches(examples, words, words, {.batch_size = 0}),
                         "make_batches: batch_size must be at least 1, got 0", Error);
    CHECK_THROWS_WITH_AS(make_batches(examples, words, words, {.bucket_batches = 0}),
                         "make_batches: bucket_batches must be at least 1, got 0", Error);
    CHECK_THROWS_WITH_AS(make_batches(examples, words, words),
                         "make_batch: example 1 has an empty source (' ')", Error);
    CHECK_THROWS_WITH_AS(make_batch(examples, {}, words, words),
                         "make_batch: no examples (indices is empty)", Error);
    CHECK_THROWS_WITH_AS(make_batch(examples, {0, 2}, words, words),
                         "make_batch: index 2 is out of range for 2 examples", Error);
}
