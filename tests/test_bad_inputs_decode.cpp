// The catalogue of bad inputs, decode/: searches and their options, sources as text, batches and
// models (tests/bad_inputs.hpp); then inputs that are odd but valid, which must give an answer.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/ops.hpp"
#include "core/random.hpp"
#include "decode/dataset.hpp"
#include "decode/greedy.hpp"
#include "decode/sampling.hpp"
#include "decode/seq2seq.hpp"
#include "decode/translate.hpp"
#include "decode/vocab.hpp"
#include "tests/bad_inputs.hpp"

using namespace glimpse;
using namespace glimpse::decode;
using glimpse::testing::check_bad_inputs;

namespace {

struct Fixture {
    Vocab source_vocab = Vocab::build({"abcde"}, Tokenization::Character);
    Vocab target_vocab = Vocab::build({"xyz"}, Tokenization::Character);
    Seq2Seq model{Seq2SeqConfig{.source_vocab = source_vocab.size(),
                                .target_vocab = target_vocab.size(),
                                .embedding_size = 6,
                                .hidden_size = 8}};
};

BeamSearchOptions beam_of(int64_t beam_size, int64_t n_best = 1) {
    BeamSearchOptions options;
    options.beam_size = beam_size;
    options.n_best = n_best;
    return options;
}

DecodeOptions max_length_of(int64_t max_length) {
    DecodeOptions options;
    options.max_length = max_length;
    return options;
}

}  // namespace

TEST_CASE("bad inputs: searches and translation") {
    manual_seed(5);
    const Fixture f;
    const std::vector<std::string> abc = {"abc"};
    check_bad_inputs({
        {"beam size 0", [&] { beam_translate(f.model, abc, f.source_vocab, beam_of(0)); },
         "beam_search: beam_size must be >= 1, got 0"},
        {"more n-best than the beam holds",
         [&] { beam_translate(f.model, abc, f.source_vocab, beam_of(2, 3)); },
         "beam_search: n_best must be in [1, beam_size = 2], got 3"},
        {"max length 0", [&] { greedy_translate(f.model, abc, f.source_vocab, max_length_of(0)); },
         "decode: the maximum length must be at least 1, got 0 (max_length 0, or max_length_a 2 * "
         "source length 3 + max_length_b 10)"},
        {"a negative max length",
         [&] { greedy_translate(f.model, abc, f.source_vocab, max_length_of(-4)); },
         "decode: the maximum length must be at least 1, got -4 (max_length -4, or max_length_a 2 "
         "* source length 3 + max_length_b 10)"},
        {"an empty source string",
         [&] {
             translate(f.model, {"abc", ""}, f.source_vocab, f.target_vocab);
         },
         "source_batch: source 1 is empty"},
        {"translating in batches of 0",
         [&] { translate(f.model, abc, f.source_vocab, f.target_vocab, greedy(), 0); },
         "translate: batch_size must be at least 1, got 0"},
        {"sampling at temperature 0",
         [&] {
             const Batch batch = source_batch(abc, f.source_vocab);
             SamplingOptions options;
             options.temperature = 0;
             sample(*f.model.start_decoding(batch.source, batch.source_lengths), options);
         },
         "sample: temperature must be > 0, got 0"},
        {"source ids outside the source vocabulary",
         [&] {
             const Tensor source = tensor({4, 99}, {1, 2}, DType::Int64);
             f.model.start_decoding(source, tensor({2}, {1}, DType::Int64));
         },
         "Seq2Seq::start_decoding: source [1, 2] int64 holds token 99 at [0, 1], outside the "
         "vocabulary of 9 tokens (ids 0..8, pad 0)"},
        {"source lengths longer than the source",
         [&] {
             const Tensor source = tensor({4, 5}, {1, 2}, DType::Int64);
             f.model.start_decoding(source, tensor({3}, {1}, DType::Int64));
         },
         "Encoder: lengths[0] = 3 is out of range: a length must be in [1, 2], the input's time "
         "steps"},
        {"exact match over no examples",
         [&] { translation_exact_match(f.model, {}, f.source_vocab, f.target_vocab); },
         "translation_exact_match: no examples"},
    });
}

TEST_CASE("bad inputs: vocabularies, batches and models") {
    const Vocab vocab = Vocab::build({"abc"}, Tokenization::Character);
    check_bad_inputs({
        {"a token id past the vocabulary", [&] { vocab.token(vocab.size()); },
         "Vocab::token: id 7 is out of range for a vocabulary of 7"},
        {"decoding a negative id",
         [&] {
             vocab.decode(std::vector<int64_t>{4, -1});
         },
         "Vocab::decode: id -1 is out of range for a vocabulary of 7"},
        {"a minimum frequency of 0", [] { Vocab::build({"abc"}, Tokenization::Character, 0); },
         "Vocab::build: min_frequency must be at least 1, got 0"},
        {"batches of no examples", [&] { make_batches({}, vocab, vocab, {.batch_size = 2}); },
         "make_batches: no examples"},
        {"batches of size 0",
         [&] {
             make_batches({{"ab", "ba"}}, vocab, vocab, {.batch_size = 0});
         },
         "make_batches: batch_size must be at least 1, got 0"},
        {"a training example with an empty source",
         [&] {
             make_batches({{"", "ba"}}, vocab, vocab, {.batch_size = 2});
         },
         "make_batch: example 0 has an empty source ('')"},
        {"a model without a source vocabulary",
         [] { Seq2Seq({.source_vocab = 0, .target_vocab = 5}); },
         "Seq2Seq: source_vocab, target_vocab, embedding_size, hidden_size and num_layers must be "
         "at least 1, got 0, 5, 32, 64 and 1"},
        {"a model with hidden size 0",
         [] { Seq2Seq({.source_vocab = 5, .target_vocab = 5, .hidden_size = 0}); },
         "Seq2Seq: source_vocab, target_vocab, embedding_size, hidden_size and num_layers must be "
         "at least 1, got 5, 5, 32, 0 and 1"},
        {"an unknown scorer",
         [] { Seq2Seq({.source_vocab = 5, .target_vocab = 5, .scorer = "cosine"}); },
         "make_scorer: unknown scorer 'cosine' (bahdanau, concat, dot, scaled_dot, general; "
         "register_scorer adds one)"},
        {"dot attention between sizes that differ",
         [] {
             Seq2Seq(
                 {.source_vocab = 5, .target_vocab = 5, .bidirectional = true, .scorer = "dot"});
         },
         "make_scorer: dot needs queries and keys of one size, got 64 and 128 (a bidirectional "
         "encoder's states are twice the decoder's: use general)"},
        {"teacher forcing ratio above 1",
         [&] {
             const Seq2Seq model({.source_vocab = 7, .target_vocab = 7, .hidden_size = 4});
             const auto batches = make_batches({{"ab", "ba"}}, vocab, vocab, {.batch_size = 1});
             model.loss(batches.at(0), 1.5);
         },
         "Seq2Seq::loss: teacher_forcing_ratio must be in [0, 1], got 1.5"},
        {"target ids outside the target vocabulary",
         [&] {
             const Seq2Seq model({.source_vocab = 7, .target_vocab = 5, .hidden_size = 4});
             const auto batches = make_batches({{"ab", "cc"}}, vocab, vocab, {.batch_size = 1});
             model.loss(batches.at(0));
         },
         "Seq2Seq::loss: target_input [1, 3] int64 holds token 6 at [0, 1], outside the vocabulary "
         "of 5 tokens (ids 0..4, pad 0)"},
    });
}

TEST_CASE("odd but valid inputs: unknown characters and a 1,000-character source translate") {
    manual_seed(6);
    const Fixture f;
    // Characters the vocabulary lacks are read as <unk>: the same as a source of <unk> ids.
    const std::string unknown = "%%&";
    CHECK(unknown_tokens(f.source_vocab, unknown) == std::vector<std::string>{"%", "&"});
    const auto from_text = greedy_translate(f.model, {unknown}, f.source_vocab);
    const Tensor unk_ids = full({1, 3}, static_cast<double>(Vocab::unk), DType::Int64);
    const auto decoding = f.model.start_decoding(unk_ids, tensor({3}, {1}, DType::Int64));
    CHECK(from_text.at(0).tokens == greedy_search(*decoding).at(0).tokens);

    // A long source decodes to at most the default maximum length, 2 * 1000 + 10, and does not
    // change the translation of a short sentence beside it in the batch.
    const std::string long_source(1000, 'b');
    const auto both = greedy_translate(f.model, {long_source, "abc"}, f.source_vocab);
    CHECK(both.at(0).tokens.size() <= 2010);
    CHECK(both.at(0).attention.shape() == Shape{static_cast<int64_t>(both[0].tokens.size()), 1000});
    CHECK(both.at(1).tokens == greedy_translate(f.model, {"abc"}, f.source_vocab).at(0).tokens);
}
