// Strings in, strings out: batching does not change a translation, exact match counts whole
// strings, unknown characters are found.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "decode/translate.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

Seq2Seq small_model(const Vocab& source, const Vocab& target) {
    manual_seed(3);
    return Seq2Seq({.source_vocab = source.size(),
                    .target_vocab = target.size(),
                    .embedding_size = 5,
                    .hidden_size = 6,
                    .attention = AttentionKind::Bahdanau});
}

}  // namespace

TEST_CASE("translate: the same hypotheses whatever the batch size") {
    const std::vector<std::string> sources = {"ab", "abcabc", "c", "bca", "aaaaaaa"};
    const Vocab source = Vocab::build(sources, Tokenization::Character);
    const Vocab target = Vocab::build({"xyz"}, Tokenization::Character);
    const Seq2Seq model = small_model(source, target);
    const DecodeOptions options{.max_length = 6};
    const auto together = greedy_translate(model, source, sources, options, 256);
    const auto one_by_one = greedy_translate(model, source, sources, options, 1);
    const auto in_twos = greedy_translate(model, source, sources, options, 2);
    REQUIRE(together.size() == sources.size());
    for (std::size_t i = 0; i < sources.size(); ++i) {
        CHECK(one_by_one[i].tokens == together[i].tokens);
        CHECK(in_twos[i].tokens == together[i].tokens);
        CHECK(one_by_one[i].log_prob == doctest::Approx(together[i].log_prob).epsilon(1e-5));
        CHECK(together[i].attention.size(1) == static_cast<int64_t>(sources[i].size()));
    }
    BeamSearchOptions beam;
    beam.max_length = 6;
    beam.beam_size = 3;
    beam.n_best = 2;
    const auto lists = beam_translate(model, source, sources, beam, 2);
    const auto alone = beam_translate(model, source, {sources[3]}, beam);
    REQUIRE(lists.size() == sources.size());
    REQUIRE(alone[0].size() == lists[3].size());
    for (std::size_t k = 0; k < alone[0].size(); ++k)
        CHECK(alone[0][k].tokens == lists[3][k].tokens);

    CHECK_THROWS_WITH_AS(greedy_translate(model, source, {"ab", ""}),
                         "greedy_translate: source 1 is empty", Error);
    CHECK_THROWS_WITH_AS(greedy_translate(model, source, sources, options, 0),
                         "greedy_translate: batch_size must be >= 1, got 0", Error);
}

TEST_CASE("translate: greedy exact match scores whole strings against the targets") {
    const Vocab source = Vocab::build({"abc"}, Tokenization::Character);
    const Vocab target = Vocab::build({"xyz"}, Tokenization::Character);
    const Seq2Seq model = small_model(source, target);
    const DecodeOptions options{.max_length = 4};
    const std::vector<std::string> sources = {"ab", "ca", "b"};
    const auto outputs = greedy_translate(model, source, sources, options);
    // Half the targets are the model's own outputs, half are not.
    std::vector<Example> examples;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const std::string output = target.decode(outputs[i].tokens);
        examples.push_back({sources[i], output});
        examples.push_back({sources[i], output + "x"});
    }
    CHECK(greedy_exact_match(model, source, target, examples, options) == doctest::Approx(0.5));
    CHECK_THROWS_WITH_AS(greedy_exact_match(model, source, target, {}, options),
                         "greedy_exact_match: no examples", Error);
}

TEST_CASE("translate: unknown_tokens lists each missing character once, in order") {
    const Vocab vocab = Vocab::build({"3 May 1979"}, Tokenization::Character);
    CHECK(unknown_tokens(vocab, "3 May 1979").empty());
    CHECK(unknown_tokens(vocab, "3 mai 1979 é!é") == std::vector<std::string>{"m", "i", "é", "!"});
}
