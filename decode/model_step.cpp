#include "decode/model_step.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::decode {

namespace {

Tensor int64_tensor(const std::vector<int64_t>& values) {
    Tensor out = empty({static_cast<int64_t>(values.size())}, DType::Int64);
    std::copy(values.begin(), values.end(), out.data<int64_t>());
    return out;
}

// Rounding may leave a log-probability a hair above 0; more means the model's outputs are not
// log-probabilities, and beam search's stopping bound (they never rise) would not hold.
constexpr double kLogProbSlack = 1e-6;

void check_log_probs(const char* search, const StepResult& result) {
    const int64_t rows = result.log_probs.size(0);
    for (int64_t r = 0; r < rows; ++r) {
        const double* lp = result.row(r);
        for (int64_t v = 0; v < result.vocab_size; ++v) {
            if (std::isnan(lp[v]) || lp[v] > kLogProbSlack) {
                throw Error(fmt::format(
                    "{}: the model's log_probs must be log-probabilities (<= 0), got {} at row "
                    "{}, token {}",
                    search, lp[v], r, v));
            }
        }
    }
}

int64_t longest_source(const StepModel& model) {
    int64_t longest = 0;
    for (int64_t b = 0; b < model.batch_size(); ++b) {
        longest = std::max(longest, model.source_length(b));
    }
    return longest;
}

}  // namespace

std::vector<int64_t> max_lengths(const char* search, const StepModel& model,
                                 const DecodeOptions& options) {
    if (options.min_length < 0) {
        throw Error(fmt::format("{}: min_length must be >= 0, got {}", search, options.min_length));
    }
    std::vector<int64_t> lengths;
    for (int64_t b = 0; b < model.batch_size(); ++b) {
        const int64_t source_length = model.source_length(b);
        if (source_length < 0) {
            throw Error(fmt::format("{}: the model's source_length({}) is negative: {}", search, b,
                                    source_length));
        }
        lengths.push_back(options.max_length_for(source_length));
    }
    return lengths;
}

StepResult checked_step(const char* search, StepModel& model, const std::vector<int64_t>& tokens) {
    const auto rows = static_cast<int64_t>(tokens.size());
    StepOutput out = model.step(int64_tensor(tokens));
    if (!out.log_probs.defined() || out.log_probs.dim() != 2 || out.log_probs.size(0) != rows ||
        out.log_probs.size(1) < 1 || !is_floating(out.log_probs.dtype())) {
        throw Error(fmt::format(
            "{}: the model's step returned log_probs {} for {} rows; expected [{}, V] floating",
            search, out.log_probs.defined() ? describe(out.log_probs) : "undefined", rows, rows));
    }
    StepResult result;
    result.vocab_size = out.log_probs.size(1);
    result.log_probs = contiguous(to(out.log_probs, DType::Float64));
    check_log_probs(search, result);
    if (out.attention.defined()) {
        const int64_t longest = longest_source(model);
        if (out.attention.dim() != 2 || out.attention.size(0) != rows ||
            out.attention.size(1) < longest || !is_floating(out.attention.dtype())) {
            throw Error(fmt::format(
                "{}: the model's step returned attention {} for {} rows; expected [{}, S] "
                "floating with S >= {}, the longest source",
                search, describe(out.attention), rows, rows, longest));
        }
        result.attention = contiguous(to(out.attention, DType::Float32));
    }
    return result;
}

void apply_constraint(const char* search, const DecodeOptions& options,
                      const SearchHistory& history, const LiveRows& live, int64_t t,
                      StepResult& step) {
    if (!options.constraint) return;
    step.log_probs = clone(step.log_probs);  // the model's own tensor stays as it was
    std::vector<bool> allowed(static_cast<std::size_t>(step.vocab_size));
    for (int64_t r = 0; r < static_cast<int64_t>(live.size()); ++r) {
        const int64_t b = live.sentence[r];
        const std::vector<int64_t> prefix = history.prefix(r);
        const std::vector<int64_t> tokens = options.constraint->allowed_tokens(b, prefix);
        const auto where = [&] {
            return fmt::format("{}: the constraint at step {}, sentence {}, after prefix [{}]",
                               search, t, b, fmt::join(prefix, ", "));
        };
        if (tokens.empty()) throw Error(where() + " allows no token");
        std::fill(allowed.begin(), allowed.end(), false);
        for (const int64_t v : tokens) {
            if (v < 0 || v >= step.vocab_size) {
                throw Error(fmt::format("{} allows token {}, outside the vocabulary [0, {})",
                                        where(), v, step.vocab_size));
            }
            allowed[static_cast<std::size_t>(v)] = true;
        }
        double* lp = step.log_probs.data<double>() + r * step.vocab_size;
        for (int64_t v = 0; v < step.vocab_size; ++v) {
            if (!allowed[static_cast<std::size_t>(v)]) lp[v] = -INFINITY;
        }
    }
}

bool advance_rows(StepModel& model, SearchHistory& history, LiveRows& live, LiveRows&& next) {
    if (next.size() == 0) return false;
    model.select_rows(int64_tensor(next.parent));
    history.advance(next);
    live = std::move(next);
    return true;
}

std::vector<NBestList> n_best_lists(const SearchHistory& history,
                                    const std::vector<std::vector<Ending>>& endings, int64_t n_best,
                                    const StepModel& model) {
    std::vector<NBestList> lists;
    for (int64_t b = 0; b < model.batch_size(); ++b) {
        lists.push_back(history.best(endings[b], n_best, model.source_length(b)));
    }
    return lists;
}

}  // namespace glimpse::decode
