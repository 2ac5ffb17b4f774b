#include "decode/exhaustive.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "decode/model_step.hpp"

namespace glimpse::decode {

namespace {

void check_cap(const ExhaustiveOptions& options, int64_t vocab_size,
               const std::vector<int64_t>& max_length) {
    for (std::size_t b = 0; b < max_length.size(); ++b) {
        const double sequences =
            std::pow(static_cast<double>(vocab_size), static_cast<double>(max_length[b]));
        if (sequences > static_cast<double>(options.max_sequences)) {
            throw Error(fmt::format(
                "exhaustive_search: sentence {} has up to V^max_length = {}^{} = {:.3g} "
                "sequences, more than max_sequences = {}; lower max_length or raise "
                "max_sequences",
                b, vocab_size, max_length[b], sequences, options.max_sequences));
        }
    }
}

}  // namespace

std::vector<NBestList> exhaustive_search(StepModel& model, const ExhaustiveOptions& options) {
    if (options.n_best < 1) {
        throw Error(fmt::format("exhaustive_search: n_best must be >= 1, got {}", options.n_best));
    }
    check_score_options("exhaustive_search", options);
    NoGradGuard no_grad;
    const std::vector<int64_t> max_length = max_lengths("exhaustive_search", model, options);
    const int64_t batch = model.batch_size();
    std::vector<std::vector<Ending>> endings(static_cast<std::size_t>(batch));

    LiveRows live = LiveRows::start(batch, options.sos);
    SearchHistory history;
    for (int64_t t = 0; live.size() > 0; ++t) {
        StepResult step = checked_step("exhaustive_search", model, live.token);
        if (t == 0) check_cap(options, step.vocab_size, max_length);
        apply_constraint("exhaustive_search", options, history, live, t, step);
        history.record_attention(step.attention);
        LiveRows next;
        for (int64_t r = 0; r < static_cast<int64_t>(live.size()); ++r) {
            const int64_t b = live.sentence[r];
            for (int64_t v = 0; v < step.vocab_size; ++v) {
                const double lp = step.row(r)[v];
                const bool ends = v == options.eos;
                if (lp == -INFINITY || (ends && t < options.min_length)) continue;
                const double total = live.log_prob[r] + lp;
                if (ends || t + 1 == max_length[b]) {
                    Ending ending{0.0, total, t, r, v, ends};
                    ending.score = history.score(options, ending, model.source_length(b));
                    endings[b].push_back(ending);
                } else {
                    next.push(b, r, v, total);
                }
            }
        }
        if (!advance_rows(model, history, live, std::move(next))) break;
    }

    return n_best_lists(history, endings, options.n_best, model);
}

}  // namespace glimpse::decode
