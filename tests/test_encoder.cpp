// The seq2seq encoder (decode/encoder.cpp): outputs, mask, lengths and the bridge to the
// decoder's initial state.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/random.hpp"
#include "decode/encoder.hpp"

using namespace glimpse;
using decode::Encoder;

TEST_CASE("Encoder: outputs [B, S, D*H], the mask of real tokens, and the bridged state") {
    manual_seed(0);
    const Encoder encoder(
        {.vocab_size = 6, .embedding_size = 3, .hidden_size = 4, .bidirectional = true});
    const Tensor source = tensor({1, 2, 3, 4, 5, 0}, {2, 3}, DType::Int64);
    const Tensor lengths = tensor({3, 2}, {2}, DType::Int64);
    const decode::EncoderOutput out = encoder.forward(source, lengths);
    CHECK(out.outputs.shape() == Shape{2, 3, 8});
    CHECK(out.mask.to_vector() == std::vector<double>{1, 1, 1, 1, 1, 0});
    CHECK(out.lengths == std::vector<int64_t>{3, 2});
    CHECK(out.outputs.select(0, 1).select(0, 2).to_vector() == std::vector<double>(8, 0.0));
    CHECK(out.initial.h.shape() == Shape{2, 4});
    CHECK(out.initial.c.shape() == Shape{2, 4});
    CHECK(encoder.output_size() == 8);

    const decode::EncoderOutput whole = encoder.forward(source);
    CHECK_FALSE(whole.mask.defined());
    CHECK(whole.lengths == std::vector<int64_t>{3, 3});
}

TEST_CASE("Encoder: the zero bridge leaves the decoder's state to start from zeros") {
    const Encoder encoder(
        {.vocab_size = 6, .cell = nn::CellKind::GRU, .bridge = decode::Bridge::Zero});
    const decode::EncoderOutput out = encoder.forward(tensor({1, 2}, {1, 2}, DType::Int64));
    CHECK_FALSE(out.initial.h.defined());
    CHECK_FALSE(out.initial.c.defined());
    CHECK(encoder.named_parameters().size() == 5);  // embedding and the GRU, no bridge
}

TEST_CASE("Encoder: bad sources and lengths are reported") {
    const Encoder encoder({.vocab_size = 6});
    CHECK_THROWS_WITH_AS(encoder.forward(zeros({2, 3})),
                         doctest::Contains("source must be int64 [batch, length]"), Error);
    CHECK_THROWS_WITH_AS(
        encoder.forward(zeros({2, 3}, DType::Int64), tensor({3}, {1}, DType::Int64)),
        doctest::Contains("lengths must be int64 [2]"), Error);
    CHECK_THROWS_WITH_AS(Encoder({.vocab_size = 6, .hidden_size = 0}),
                         doctest::Contains("sizes must be positive"), Error);
}
