// Tests of decode/metrics.cpp. BLEU figures marked "sacreBLEU" are the values that sacreBLEU's
// own test suite (test/test_bleu.py, sacreBLEU 2.x) asserts for the same input; the others are
// worked out by hand in the comments. (Debian has no python3-sacrebleu package to run here.)

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/tensor.hpp"
#include "decode/metrics.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

Tensor ids(const std::vector<double>& values, const Shape& shape) {
    return tensor(values, shape, DType::Int64);
}

}  // namespace

TEST_CASE("metrics: exact match on strings and on id tensors, ignoring padding") {
    CHECK(exact_match({"1979-05-03", "2000-01-01", "x"}, {"1979-05-03", "2000-01-02", "x"}) ==
          doctest::Approx(2.0 / 3.0));
    // Rows: equal; equal where the target is not pad (0); wrong at position 1.
    const Tensor predictions = ids({5, 6, 2, 5, 6, 9, 5, 7, 2}, {3, 3});
    const Tensor targets = ids({5, 6, 2, 5, 6, 0, 5, 6, 2}, {3, 3});
    CHECK(exact_match(predictions, targets) == doctest::Approx(2.0 / 3.0));
    CHECK(exact_match(predictions, targets, -1) == doctest::Approx(1.0 / 3.0));
}

TEST_CASE("metrics: token accuracy counts only non-pad target positions") {
    const Tensor predictions = ids({5, 6, 2, 5, 6, 9, 5, 7, 2}, {3, 3});
    const Tensor targets = ids({5, 6, 2, 5, 6, 0, 5, 6, 2}, {3, 3});
    CHECK(token_accuracy(predictions, targets) == doctest::Approx(7.0 / 8.0));
    // A transposed (non-contiguous) view is read in its own order.
    CHECK(token_accuracy(predictions.t(), targets.t()) == doctest::Approx(7.0 / 8.0));
    // Over 3 + 2 reference tokens: a b c right, x wrong, the missing second token wrong.
    const std::vector<std::vector<std::string>> hypotheses{{"a", "b", "c", "extra"}, {"x"}};
    const std::vector<std::vector<std::string>> references{{"a", "b", "c"}, {"y", "z"}};
    CHECK(token_accuracy(hypotheses, references) == doctest::Approx(3.0 / 5.0));
}

TEST_CASE("metrics: perplexity is exp of the mean negative log-likelihood") {
    CHECK(perplexity(0.0, 10) == 1.0);
    // A uniform guess over 14 tokens has NLL log(14) per token: perplexity 14.
    CHECK(perplexity(5 * std::log(14.0), 5) == doctest::Approx(14.0));
}

TEST_CASE("metrics: bad input is an error naming the function") {
    CHECK_THROWS_WITH_AS(exact_match({"a"}, {"a", "b"}),
                         "exact_match: 1 hypotheses but 2 references", Error);
    CHECK_THROWS_WITH_AS(exact_match(std::vector<std::string>{}, std::vector<std::string>{}),
                         "exact_match: no hypotheses", Error);
    CHECK_THROWS_WITH_AS(token_accuracy(zeros({2, 3}, DType::Int64), zeros({3, 2}, DType::Int64)),
                         "token_accuracy: predictions and targets must be the same non-empty "
                         "[B, T], got [2, 3] int64 and [3, 2] int64",
                         Error);
    CHECK_THROWS_WITH_AS(token_accuracy(zeros({2, 3}), zeros({2, 3}, DType::Int64)),
                         "token_accuracy: predictions must be int64, got [2, 3] float32", Error);
    CHECK_THROWS_WITH_AS(token_accuracy(zeros({2, 3}, DType::Int64), zeros({2, 3}, DType::Int64)),
                         "token_accuracy: every target is ignore_index 0", Error);
    CHECK_THROWS_WITH_AS(exact_match(zeros({6}, DType::Int64), zeros({6}, DType::Int64)),
                         doctest::Contains("exact_match: predictions and targets must be"), Error);
    const std::vector<std::vector<std::string>> no_tokens{{}};
    CHECK_THROWS_WITH_AS(token_accuracy(no_tokens, no_tokens),
                         "token_accuracy: the references hold no tokens", Error);
    CHECK_THROWS_WITH_AS(perplexity(1.0, 0), "perplexity: token_count must be at least 1, got 0",
                         Error);
    CHECK_THROWS_WITH_AS(perplexity(NAN, 3),
                         "perplexity: total_nll must be finite and >= 0, got nan", Error);
    CHECK_THROWS_WITH_AS(corpus_bleu({"a"}, std::vector<std::string>{}),
                         "corpus_bleu: 1 hypotheses but 0 references", Error);
    CHECK_THROWS_WITH_AS(corpus_bleu_multi_reference({"a"}, {}), "corpus_bleu: no references",
                         Error);
    CHECK_THROWS_WITH_AS(
        bleu_from_statistics({3, 0, 0, 0}, {2, 1, 0, 0}, 2, 2),
        "bleu_from_statistics: need 0 <= counts <= totals, got 3 and 2 for 1-grams", Error);
}

TEST_CASE("metrics: BLEU from statistics (sacreBLEU test_scoring)") {
    // sacreBLEU: counts [9, 7, 5, 3] of totals [10, 8, 6, 4], hyp_len = ref_len = 11 -> 83.759224.
    // By hand: (0.9 * 0.875 * 0.8333 * 0.75)^(1/4) = 0.4921875^(1/4) = 0.837592.
    const BleuScore bleu = bleu_from_statistics({9, 7, 5, 3}, {10, 8, 6, 4}, 11, 11);
    CHECK(bleu.score == doctest::Approx(83.75922397).epsilon(1e-9));
    CHECK(bleu.precisions[1] == doctest::Approx(87.5));
    CHECK(bleu.brevity_penalty == 1.0);
}

TEST_CASE("metrics: BLEU statistics of one sentence (sacreBLEU test_statistics)") {
    // sacreBLEU: matched n-grams [4, 2, 1, 0] of [6, 5, 4, 3].
    const std::vector<std::string> hyp{"am I am a character sequence"};
    const std::vector<std::string> ref{"I am a symbol string sequence a a"};
    const BleuScore plain = corpus_bleu(hyp, ref);
    CHECK(plain.counts == std::array<int64_t, 4>{4, 2, 1, 0});
    CHECK(plain.totals == std::array<int64_t, 4>{6, 5, 4, 3});
    CHECK(plain.hyp_len == 6);
    CHECK(plain.ref_len == 8);
    CHECK(plain.score == 0.0);  // no 4-gram matches, no smoothing
    CHECK(plain.brevity_penalty == doctest::Approx(0.7165313106));  // exp(1 - 8/6)
    // exp smoothing: the first zero precision becomes 100 / (2 * 3); then
    // exp(1 - 8/6) * (66.667 * 40 * 25 * 16.667)^(1/4) = 0.716531 * 32.466 = 23.263473.
    const BleuScore smoothed = corpus_bleu(hyp, ref, BleuSmoothing::Exp);
    CHECK(smoothed.precisions[3] == doctest::Approx(100.0 / 6.0));
    CHECK(smoothed.score == doctest::Approx(23.2634726977).epsilon(1e-9));
}

TEST_CASE("metrics: corpus BLEU with two references (sacreBLEU test_corpus_bleu, tok none)") {
    const std::vector<std::string> hypotheses{"The dog bit the man.", "It wasn't surprising.",
                                              "The man had just bitten him."};
    const std::vector<std::vector<std::string>> references{
        {"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
        {"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."}};
    // sacreBLEU's corpus_bleu(hyps, refs, tokenize='none') with its default smooth='exp'.
    const BleuScore bleu = corpus_bleu_multi_reference(hypotheses, references, BleuSmoothing::Exp);
    CHECK(bleu.score == doctest::Approx(49.1919566).epsilon(1e-9));
    CHECK(bleu.signature == "nrefs:2|case:mixed|eff:no|tok:none|smooth:exp|version:glimpse");
    // sacreBLEU: empty hypotheses are scored, not dropped: 0.
    const BleuScore empty =
        corpus_bleu_multi_reference({"", "", ""}, references, BleuSmoothing::Exp);
    CHECK(empty.score == 0.0);
    CHECK(empty.brevity_penalty == 0.0);
    CHECK(empty.hyp_len == 0);
}

TEST_CASE("metrics: BLEU by hand: identity, brevity penalty, clipping, corpus sums") {
    CHECK(corpus_bleu({"this is a test"}, {"this is a test"}).score == doctest::Approx(100.0));
    // Every n-gram matches but the hypothesis is short: 5 of 6 tokens, BP = exp(1 - 6/5).
    const BleuScore short_one = corpus_bleu({"the cat sat on the"}, {"the cat sat on the mat"});
    CHECK(short_one.score == doctest::Approx(81.8730753078).epsilon(1e-9));
    CHECK(short_one.ratio == doctest::Approx(5.0 / 6.0));
    // Papineni et al.'s example: "the" x7 against a reference with two "the": 2/7 unigrams.
    const BleuScore clipped =
        corpus_bleu({"the the the the the the the"}, {"the cat is on the mat"});
    CHECK(clipped.counts == std::array<int64_t, 4>{2, 0, 0, 0});
    CHECK(clipped.totals == std::array<int64_t, 4>{7, 6, 5, 4});
    CHECK(clipped.precisions[0] == doctest::Approx(100.0 * 2 / 7));
    CHECK(clipped.score == 0.0);
    // Statistics are summed over the corpus before dividing: two sentences of 4 tokens, one
    // exact and one with its last word wrong, give counts [7, 5, 3, 1] of [8, 6, 4, 2]:
    // (7/8 * 5/6 * 3/4 * 1/2)^(1/4) = 0.2734375^(1/4) = 0.723127.
    const BleuScore corpus = corpus_bleu({"a b c d", "e f g h"}, {"a b c d", "e f g x"});
    CHECK(corpus.counts == std::array<int64_t, 4>{7, 5, 3, 1});
    CHECK(corpus.score == doctest::Approx(72.312690213).epsilon(1e-9));
    CHECK(corpus.signature == "nrefs:1|case:mixed|eff:no|tok:none|smooth:none|version:glimpse");
    CHECK(corpus.str() ==
          "BLEU = 72.31 87.5/83.3/75.0/50.0 (BP = 1.000 ratio = 1.000 hyp_len = 8 ref_len = 8)");
}

TEST_CASE("metrics: edit distance between token sequences, worked by hand") {
    using Tokens = std::vector<std::string>;
    CHECK(edit_distance({}, {}) == 0);
    CHECK(edit_distance({}, {"A", "B"}) == 2);  // two insertions
    CHECK(edit_distance({"A", "B"}, {}) == 2);  // two deletions
    CHECK(edit_distance({"K", "AE", "T"}, {"K", "AE", "T"}) == 0);
    CHECK(edit_distance({"K", "AE", "T"}, {"K", "AA", "T"}) == 1);  // one substitution
    // kitten -> sitting: k->s, e->i, insert g: the textbook 3.
    CHECK(edit_distance(Tokens{"k", "i", "t", "t", "e", "n"},
                        Tokens{"s", "i", "t", "t", "i", "n", "g"}) == 3);
    // A shift by one costs a deletion at one end and an insertion at the other, not 4
    // substitutions.
    CHECK(edit_distance(Tokens{"A", "B", "C", "D"}, Tokens{"B", "C", "D", "E"}) == 2);
    // Symmetric, and tokens are compared whole ("AH" is not "A" + "H").
    CHECK(edit_distance(Tokens{"AH"}, Tokens{"A", "H"}) == 2);
    CHECK(edit_distance(Tokens{"A", "H"}, Tokens{"AH"}) == 2);
}

TEST_CASE("metrics: word error rate counts a word right if it matches any reference") {
    // "read" has two references; the first output matches the second of them.
    const std::vector<std::vector<std::string>> references{
        {"R IY D", "R EH D"}, {"F OW T AX G R AE F"}, {"N AY T"}, {"K AE T"}};
    const std::vector<std::string> outputs{"R EH D", "F OW T AX G R AE F", "K N AY T", "K  AE T "};
    // Wrong: only "knight" (an extra K). Spacing does not matter: phones are split at spaces.
    CHECK(word_error_rate(outputs, references) == doctest::Approx(1.0 / 4.0));
    CHECK(word_error_rate({"X"}, {{"A", "B"}}) == 1.0);
}

TEST_CASE("metrics: phoneme error rate takes each word's closest reference") {
    // Word 1: "R AA D" is 1 substitution from "R IY D" and from "R EH D": the first, 3 phones.
    // Word 2: "F OW T OW G R AE F" vs "F OW T AX G R AE F": 1 substitution over 8 phones.
    // Word 3: "K N AY T" vs "N AY T": 1 deletion needed (an extra phone), over 3 phones.
    // Word 4: "" vs "K AE T": 3 insertions over 3 phones.
    const std::vector<std::vector<std::string>> references{
        {"R IY D", "R EH D"}, {"F OW T AX G R AE F"}, {"N AY T"}, {"K AE T"}};
    const std::vector<std::string> outputs{"R AA D", "F OW T OW G R AE F", "K N AY T", ""};
    CHECK(phoneme_error_rate(outputs, references) == doctest::Approx(6.0 / 17.0));
    // The closest reference decides the length too: 0 edits to the 2-phone one.
    CHECK(phoneme_error_rate({"AX B"}, {{"AX B AH T", "AX B"}}) == 0.0);
    // 2 edits to either reference (two insertions; a substitution and an insertion): the first,
    // of 3 phones, counts.
    CHECK(phoneme_error_rate({"AX"}, {{"AX B C", "B C"}}) == doctest::Approx(2.0 / 3.0));
    // Too long an output can pass 1.
    CHECK(phoneme_error_rate({"A B C"}, {{"D"}}) == doctest::Approx(3.0));
}

TEST_CASE("metrics: word and phoneme error rates name bad input") {
    CHECK_THROWS_WITH_AS(word_error_rate({"A"}, {}),
                         "word_error_rate: 1 hypotheses but 0 references", Error);
    CHECK_THROWS_WITH_AS(word_error_rate({"A", "B"}, {{"A"}, {}}),
                         "word_error_rate: hypothesis 1 has no reference", Error);
    CHECK_THROWS_WITH_AS(phoneme_error_rate({}, {}), "phoneme_error_rate: no hypotheses", Error);
    CHECK_THROWS_WITH_AS(phoneme_error_rate({"A"}, {{""}}),
                         "phoneme_error_rate: every reference is empty", Error);
}
