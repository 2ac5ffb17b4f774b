#include "decode/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/check.hpp"
#include "core/error.hpp"

namespace glimpse::decode {

namespace {

constexpr int kMaxOrder = 4;

template <typename A, typename B>
void check_pairs(const char* function, const std::vector<A>& hypotheses,
                 const std::vector<B>& references) {
    if (hypotheses.size() != references.size()) {
        throw Error(fmt::format("{}: {} hypotheses but {} references", function, hypotheses.size(),
                                references.size()));
    }
    if (hypotheses.empty()) throw Error(fmt::format("{}: no hypotheses", function));
}

// predictions and targets: the same [B, T] shape, int64; returned contiguous.
std::pair<Tensor, Tensor> checked_ids(const char* function, const Tensor& predictions,
                                      const Tensor& targets) {
    check_dtype(function, predictions, DType::Int64, "predictions");
    check_dtype(function, targets, DType::Int64, "targets");
    if (predictions.dim() != 2 || predictions.shape() != targets.shape() ||
        predictions.numel() == 0) {
        throw Error(
            fmt::format("{}: predictions and targets must be the same non-empty [B, T], "
                        "got {} and {}",
                        function, describe(predictions), describe(targets)));
    }
    return {predictions.contiguous(), targets.contiguous()};
}

// Every n-gram of the tokens (n = 1..4), joined by spaces (a token holds no whitespace), with
// its count.
using NgramCounts = std::map<std::string, int64_t>;

NgramCounts count_ngrams(const std::vector<std::string>& tokens) {
    NgramCounts counts;
    for (std::size_t start = 0; start < tokens.size(); ++start) {
        std::string ngram;
        for (std::size_t n = 1; n <= kMaxOrder && start + n <= tokens.size(); ++n) {
            if (n > 1) ngram += ' ';
            ngram += tokens[start + n - 1];
            ++counts[ngram];
        }
    }
    return counts;
}

int64_t order_of(const std::string& ngram) {
    return std::count(ngram.begin(), ngram.end(), ' ') + 1;
}

// The reference length that counts for a hypothesis: the closest, the shorter on a tie.
int64_t closest_length(int64_t hyp_len, const std::vector<int64_t>& ref_lens) {
    int64_t best = ref_lens.front();
    for (const int64_t length : ref_lens) {
        const int64_t diff = std::abs(hyp_len - length), best_diff = std::abs(hyp_len - best);
        if (diff < best_diff || (diff == best_diff && length < best)) best = length;
    }
    return best;
}

void check_references(const char* function, const std::vector<std::string>& hypotheses,
                      const std::vector<std::vector<std::string>>& references) {
    check_pairs(function, hypotheses, references);
    for (std::size_t i = 0; i < references.size(); ++i) {
        if (references[i].empty()) {
            throw Error(fmt::format("{}: hypothesis {} has no reference", function, i));
        }
    }
}

std::vector<std::string> split_at_spaces(const std::string& text) {
    return Vocab(Tokenization::Word).tokenize(text);
}

}  // namespace

double exact_match(const std::vector<std::string>& hypotheses,
                   const std::vector<std::string>& references) {
    check_pairs("exact_match", hypotheses, references);
    int64_t matches = 0;
    for (std::size_t i = 0; i < hypotheses.size(); ++i) matches += hypotheses[i] == references[i];
    return static_cast<double>(matches) / static_cast<double>(hypotheses.size());
}

double exact_match(const Tensor& predictions, const Tensor& targets, int64_t ignore_index) {
    const auto [predicted, target] = checked_ids("exact_match", predictions, targets);
    const int64_t rows = target.size(0), columns = target.size(1);
    const int64_t* p = predicted.data<int64_t>();
    const int64_t* t = target.data<int64_t>();
    int64_t matches = 0;
    for (int64_t b = 0; b < rows; ++b) {
        bool same = true;
        for (int64_t i = b * columns; i < (b + 1) * columns; ++i) {
            same &= t[i] == ignore_index || p[i] == t[i];
        }
        matches += same;
    }
    return static_cast<double>(matches) / static_cast<double>(rows);
}

double token_accuracy(const Tensor& predictions, const Tensor& targets, int64_t ignore_index) {
    const auto [predicted, target] = checked_ids("token_accuracy", predictions, targets);
    const int64_t* p = predicted.data<int64_t>();
    const int64_t* t = target.data<int64_t>();
    int64_t counted = 0, correct = 0;
    for (int64_t i = 0; i < target.numel(); ++i) {
        if (t[i] == ignore_index) continue;
        ++counted;
        correct += p[i] == t[i];
    }
    if (counted == 0) {
        throw Error(fmt::format("token_accuracy: every target is ignore_index {}", ignore_index));
    }
    return static_cast<double>(correct) / static_cast<double>(counted);
}

double token_accuracy(const std::vector<std::vector<std::string>>& hypotheses,
                      const std::vector<std::vector<std::string>>& references) {
    check_pairs("token_accuracy", hypotheses, references);
    int64_t counted = 0, correct = 0;
    for (std::size_t s = 0; s < references.size(); ++s) {
        for (std::size_t i = 0; i < references[s].size(); ++i) {
            ++counted;
            correct += i < hypotheses[s].size() && hypotheses[s][i] == references[s][i];
        }
    }
    if (counted == 0) throw Error("token_accuracy: the references hold no tokens");
    return static_cast<double>(correct) / static_cast<double>(counted);
}

double perplexity(double total_nll, int64_t token_count) {
    if (token_count < 1) {
        throw Error(fmt::format("perplexity: token_count must be at least 1, got {}", token_count));
    }
    if (!std::isfinite(total_nll) || total_nll < 0) {
        throw Error(
            fmt::format("perplexity: total_nll must be finite and >= 0, got {}", total_nll));
    }
    return std::exp(total_nll / static_cast<double>(token_count));
}

std::string BleuScore::str() const {
    return fmt::format(
        "BLEU = {:.2f} {:.1f}/{:.1f}/{:.1f}/{:.1f} (BP = {:.3f} ratio = {:.3f} "
        "hyp_len = {} ref_len = {})",
        score, precisions[0], precisions[1], precisions[2], precisions[3], brevity_penalty, ratio,
        hyp_len, ref_len);
}

BleuScore bleu_from_statistics(const std::array<int64_t, 4>& counts,
                               const std::array<int64_t, 4>& totals, int64_t hyp_len,
                               int64_t ref_len, BleuSmoothing smoothing, int64_t num_references) {
    for (int n = 0; n < kMaxOrder; ++n) {
        if (counts[n] < 0 || counts[n] > totals[n]) {
            throw Error(
                fmt::format("bleu_from_statistics: need 0 <= counts <= totals, got {} "
                            "and {} for {}-grams",
                            counts[n], totals[n], n + 1));
        }
    }
    if (hyp_len < 0 || ref_len < 0 || num_references < 1) {
        throw Error(
            fmt::format("bleu_from_statistics: bad lengths hyp_len={} ref_len={} or "
                        "num_references={}",
                        hyp_len, ref_len, num_references));
    }
    BleuScore bleu;
    bleu.counts = counts;
    bleu.totals = totals;
    bleu.hyp_len = hyp_len;
    bleu.ref_len = ref_len;
    bleu.ratio = ref_len > 0 ? static_cast<double>(hyp_len) / static_cast<double>(ref_len) : 0.0;
    bleu.signature = fmt::format("nrefs:{}|case:mixed|eff:no|tok:none|smooth:{}|version:glimpse",
                                 num_references, smoothing == BleuSmoothing::Exp ? "exp" : "none");
    bleu.brevity_penalty =
        hyp_len >= ref_len ? 1.0
        : hyp_len > 0 ? std::exp(1.0 - static_cast<double>(ref_len) / static_cast<double>(hyp_len))
                      : 0.0;
    // No match at all: the score is 0 and so, as sacreBLEU reports them, are the precisions.
    if (std::all_of(counts.begin(), counts.end(), [](int64_t c) { return c == 0; })) return bleu;
    double smoothing_divisor = 1;
    for (int n = 0; n < kMaxOrder && totals[n] > 0; ++n) {
        const auto total = static_cast<double>(totals[n]);
        if (counts[n] > 0) {
            bleu.precisions[n] = 100.0 * static_cast<double>(counts[n]) / total;
        } else if (smoothing == BleuSmoothing::Exp) {
            smoothing_divisor *= 2;
            bleu.precisions[n] = 100.0 / (smoothing_divisor * total);
        }
    }
    // A zero precision (an order with no match, or no n-grams that long) makes the mean 0.
    if (std::any_of(bleu.precisions.begin(), bleu.precisions.end(),
                    [](double p) { return p == 0; })) {
        return bleu;
    }
    double log_sum = 0;
    for (const double p : bleu.precisions) log_sum += std::log(p);
    bleu.score = bleu.brevity_penalty * std::exp(log_sum / kMaxOrder);
    return bleu;
}

BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const std::vector<std::string>& references, BleuSmoothing smoothing) {
    return corpus_bleu_multi_reference(hypotheses, {references}, smoothing);
}

BleuScore corpus_bleu_multi_reference(const std::vector<std::string>& hypotheses,
                                      const std::vector<std::vector<std::string>>& reference_sets,
                                      BleuSmoothing smoothing) {
    if (reference_sets.empty()) throw Error("corpus_bleu: no references");
    for (const auto& references : reference_sets) {
        check_pairs("corpus_bleu", hypotheses, references);
    }
    const Vocab whitespace(Tokenization::Word);  // tokenize='none': split at whitespace only
    std::array<int64_t, 4> counts{}, totals{};
    int64_t hyp_len = 0, ref_len = 0;
    for (std::size_t i = 0; i < hypotheses.size(); ++i) {
        const std::vector<std::string> hyp_tokens = whitespace.tokenize(hypotheses[i]);
        NgramCounts reference_ngrams;  // the most that any one reference holds
        std::vector<int64_t> ref_lens;
        for (const auto& references : reference_sets) {
            const std::vector<std::string> ref_tokens = whitespace.tokenize(references[i]);
            ref_lens.push_back(static_cast<int64_t>(ref_tokens.size()));
            for (const auto& [ngram, count] : count_ngrams(ref_tokens)) {
                int64_t& most = reference_ngrams[ngram];
                most = std::max(most, count);
            }
        }
        for (const auto& [ngram, count] : count_ngrams(hyp_tokens)) {
            const int64_t n = order_of(ngram) - 1;
            totals[n] += count;
            const auto found = reference_ngrams.find(ngram);
            if (found != reference_ngrams.end()) counts[n] += std::min(count, found->second);
        }
        hyp_len += static_cast<int64_t>(hyp_tokens.size());
        ref_len += closest_length(static_cast<int64_t>(hyp_tokens.size()), ref_lens);
    }
    return bleu_from_statistics(counts, totals, hyp_len, ref_len, smoothing,
                                static_cast<int64_t>(reference_sets.size()));
}

int64_t edit_distance(const std::vector<std::string>& hypothesis,
                      const std::vector<std::string>& reference) {
    // distances[j]: from the hypothesis's first i tokens to the reference's first j, row by row.
    std::vector<int64_t> distances(reference.size() + 1);
    for (std::size_t j = 0; j <= reference.size(); ++j) distances[j] = static_cast<int64_t>(j);
    for (std::size_t i = 1; i <= hypothesis.size(); ++i) {
        int64_t diagonal = distances[0];  // row i - 1, column j - 1
        distances[0] = static_cast<int64_t>(i);
        for (std::size_t j = 1; j <= reference.size(); ++j) {
            const int64_t substitute = diagonal + (hypothesis[i - 1] != reference[j - 1]);
            diagonal = distances[j];
            distances[j] = std::min({substitute, distances[j] + 1, distances[j - 1] + 1});
        }
    }
    return distances.back();
}

double word_error_rate(const std::vector<std::string>& hypotheses,
                       const std::vector<std::vector<std::string>>& references) {
    check_references("word_error_rate", hypotheses, references);
    int64_t wrong = 0;
    for (std::size_t i = 0; i < hypotheses.size(); ++i) {
        const std::vector<std::string> phones = split_at_spaces(hypotheses[i]);
        wrong += std::none_of(references[i].begin(), references[i].end(),
                              [&](const std::string& r) { return split_at_spaces(r) == phones; });
    }
    return static_cast<double>(wrong) / static_cast<double>(hypotheses.size());
}

double phoneme_error_rate(const std::vector<std::string>& hypotheses,
                          const std::vector<std::vector<std::string>>& references) {
    check_references("phoneme_error_rate", hypotheses, references);
    int64_t errors = 0, reference_phones = 0;
    for (std::size_t i = 0; i < hypotheses.size(); ++i) {
        const std::vector<std::string> phones = split_at_spaces(hypotheses[i]);
        int64_t best = -1, best_length = 0;
        for (const std::string& reference : references[i]) {
            const std::vector<std::string> reference_tokens = split_at_spaces(reference);
            const int64_t distance = edit_distance(phones, reference_tokens);
            if (best < 0 || distance < best) {
                best = distance;
                best_length = static_cast<int64_t>(reference_tokens.size());
            }
        }
        errors += best;
        reference_phones += best_length;
    }
    if (reference_phones == 0) throw Error("phoneme_error_rate: every reference is empty");
    return static_cast<double>(errors) / static_cast<double>(reference_phones);
}

}  // namespace glimpse::decode
