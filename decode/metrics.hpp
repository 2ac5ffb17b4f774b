#pragma once
// How good is a model's output: exact match, token accuracy, perplexity, corpus BLEU, and the
// word and phoneme error rates of grapheme-to-phoneme conversion.
//
// BLEU is computed as sacreBLEU computes it (Post 2018, "A Call for Clarity in Reporting BLEU
// Scores") on text that is already tokenised, i.e. sacreBLEU with tokenize='none': tokens are
// split at whitespace; n-gram matches (n = 1..4) are clipped by the reference counts and summed
// over the whole corpus before dividing, never averaged per sentence; the score is the geometric
// mean of the four precisions times the brevity penalty exp(1 - r/c) when the hypotheses' total
// length c is below the references' r. Its settings are printed in sacreBLEU's signature form.
// Note sacreBLEU's command line defaults differ: tokenize='13a' and smooth='exp'.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "decode/vocab.hpp"

namespace glimpse::decode {

// Fraction (0..1) of hypotheses equal to their reference, whole string for whole string.
double exact_match(const std::vector<std::string>& hypotheses,
                   const std::vector<std::string>& references);
// Fraction (0..1) of rows whose prediction equals the target wherever the target is not
// ignore_index. predictions, targets: [B, T] int64.
double exact_match(const Tensor& predictions, const Tensor& targets,
                   int64_t ignore_index = Vocab::pad);

// Fraction (0..1) of target positions, those not ignore_index, that the prediction gets right.
// predictions, targets: [B, T] int64 (e.g. argmax of the logits under teacher forcing).
double token_accuracy(const Tensor& predictions, const Tensor& targets,
                      int64_t ignore_index = Vocab::pad);
// The same on token sequences: position i of a hypothesis against position i of its reference,
// over all reference tokens (a hypothesis too short misses the rest; extra tokens are not counted).
double token_accuracy(const std::vector<std::vector<std::string>>& hypotheses,
                      const std::vector<std::vector<std::string>>& references);

// exp(total_nll / token_count): from the summed negative log-likelihood (natural log) of
// token_count target tokens, e.g. cross_entropy with reduction sum over non-pad tokens.
double perplexity(double total_nll, int64_t token_count);

enum class BleuSmoothing {
    None,  // a precision of 0 makes the score 0
    Exp,   // sacreBLEU's 'exp' (NIST's mteval-v13a): the k-th zero precision becomes 1/(2^k total)
};

struct BleuScore {
    double score = 0;                    // 0..100
    std::array<double, 4> precisions{};  // n = 1..4, in percent
    std::array<int64_t, 4> counts{};     // matched n-grams, clipped, over the corpus
    std::array<int64_t, 4> totals{};     // n-grams in the hypotheses
    double brevity_penalty = 0;
    double ratio = 0;  // hyp_len / ref_len
    int64_t hyp_len = 0;
    int64_t ref_len = 0;
    std::string signature;  // "nrefs:1|case:mixed|eff:no|tok:none|smooth:none|version:glimpse"

    // sacreBLEU's line: "BLEU = 49.19 80.0/60.0/40.0/20.0 (BP = 1.000 ratio = 1.000 hyp_len = 15
    // ref_len = 15)"
    std::string str() const;
};

// Corpus BLEU-4 of hypotheses against one reference each.
BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const std::vector<std::string>& references,
                      BleuSmoothing smoothing = BleuSmoothing::None);
// With several references per hypothesis, as sacreBLEU takes them: reference_sets[k][i] is the
// k-th reference of hypothesis i. n-gram counts clip at the most any one reference has; the
// reference length of a sentence is the one closest to the hypothesis (the shorter on a tie).
BleuScore corpus_bleu_multi_reference(const std::vector<std::string>& hypotheses,
                                      const std::vector<std::vector<std::string>>& reference_sets,
                                      BleuSmoothing smoothing = BleuSmoothing::None);
// The score from corpus statistics (sacreBLEU's compute_bleu), for callers that sum their own.
BleuScore bleu_from_statistics(const std::array<int64_t, 4>& counts,
                               const std::array<int64_t, 4>& totals, int64_t hyp_len,
                               int64_t ref_len, BleuSmoothing smoothing = BleuSmoothing::None,
                               int64_t num_references = 1);

// Levenshtein distance: the fewest substitutions, insertions and deletions of tokens that turn
// `hypothesis` into `reference`.
int64_t edit_distance(const std::vector<std::string>& hypothesis,
                      const std::vector<std::string>& reference);

// Grapheme-to-phoneme scores (as Yao & Zweig 2015 report them). hypotheses[i] is the predicted
// pronunciation of word i, phones separated by spaces; references[i] holds all of its reference
// pronunciations (at least one).
// Word error rate, 0..1: the share of words whose prediction equals none of their references
// (not speech recognition's WER, which is an edit distance over the words of a sentence).
double word_error_rate(const std::vector<std::string>& hypotheses,
                       const std::vector<std::vector<std::string>>& references);
// Phoneme error rate, 0..1 (it can pass 1 when predictions are longer than references): for
// each word, the edit distance in phones to its closest reference (the first on a tie); their
// sum over all words divided by the summed lengths of those closest references.
double phoneme_error_rate(const std::vector<std::string>& hypotheses,
                          const std::vector<std::vector<std::string>>& references);

}  // namespace glimpse::decode
