// Instructor solution of a5: nucleus (top-p) sampling.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "tutorials/coursework/a5_top_p_sampling.hpp"

namespace coursework {

using namespace glimpse;

namespace {

// Draws one token from a row's log-probabilities [V] by the rule of a5_top_p_sampling.hpp;
// -1 when no token has a non-zero probability.
int64_t draw_from_nucleus(const double* log_probs, int64_t V, int64_t banned, double top_p,
                          Generator& generator) {
    std::vector<int64_t> tokens;
    double total = 0;
    for (int64_t v = 0; v < V; ++v) {
        if (v == banned || log_probs[v] == -INFINITY) continue;
        tokens.push_back(v);
        total += std::exp(log_probs[v]);
    }
    if (tokens.empty()) return -1;
    std::stable_sort(tokens.begin(), tokens.end(),
                     [&](int64_t a, int64_t b) { return log_probs[a] > log_probs[b]; });
    std::size_t size = 0;
    double mass = 0;  // of the nucleus, renormalised
    while (size < tokens.size() && (size == 0 || mass < top_p)) {
        mass += std::exp(log_probs[tokens[size++]]) / total;
    }
    const double u = generator.uniform() * mass;
    double running = 0;
    for (std::size_t k = 0; k < size; ++k) {
        running += std::exp(log_probs[tokens[k]]) / total;
        if (running > u) return tokens[k];
    }
    return tokens[size - 1];  // u within rounding of the nucleus's total
}

}  // namespace

std::vector<decode::Hypothesis> sample_top_p(decode::StepModel& model, const TopPOptions& options,
                                             Generator& generator) {
    if (!(options.top_p > 0 && options.top_p <= 1)) {
        throw Error(fmt::format("sample_top_p: top_p must be in (0, 1], got {}", options.top_p));
    }
    if (options.constraint) {
        throw Error("sample_top_p: options.constraint is set, but top-p sampling takes none");
    }
    NoGradGuard no_grad;
    const int64_t B = model.batch_size();
    std::vector<decode::Hypothesis> results(static_cast<std::size_t>(B));
    std::vector<int64_t> sentence(static_cast<std::size_t>(B));  // each row's sentence
    std::iota(sentence.begin(), sentence.end(), 0);
    std::vector<int64_t> previous(sentence.size(), options.sos);  // each row's last token
    for (int64_t t = 0; !sentence.empty(); ++t) {
        const auto N = static_cast<int64_t>(sentence.size());
        const Tensor tokens =
            tensor(std::vector<double>(previous.begin(), previous.end()), {N}, DType::Int64);
        const std::vector<double> log_probs = model.step(tokens).log_probs.to_vector();  // [N, V]
        const auto V = static_cast<int64_t>(log_probs.size()) / N;
        const int64_t banned = t < options.min_length ? options.eos : -1;
        std::vector<int64_t> keep, kept_sentence, kept_previous;
        for (int64_t r = 0; r < N; ++r) {
            const double* row = log_probs.data() + r * V;
            const int64_t v = draw_from_nucleus(row, V, banned, options.top_p, generator);
            if (v < 0) throw Error(fmt::format("sample_top_p: no token left at step {}", t));
            decode::Hypothesis& h = results[static_cast<std::size_t>(sentence[r])];
            h.tokens.push_back(v);
            h.log_prob += row[v];
            h.score = h.log_prob;
            h.finished = v == options.eos;
            const int64_t limit = options.max_length_for(model.source_length(sentence[r]));
            if (h.finished || t + 1 >= limit) continue;
            keep.push_back(r);
            kept_sentence.push_back(sentence[r]);
            kept_previous.push_back(v);
        }
        if (!keep.empty() && keep.size() < sentence.size()) {
            model.select_rows(tensor(std::vector<double>(keep.begin(), keep.end()),
                                     {static_cast<int64_t>(keep.size())}, DType::Int64));
        }
        sentence = std::move(kept_sentence);
        previous = std::move(kept_previous);
    }
    return results;
}

}  // namespace coursework
