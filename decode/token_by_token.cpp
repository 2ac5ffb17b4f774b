#include "decode/token_by_token.hpp"

#include <fmt/format.h>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/packed_weights.hpp"
#include "decode/model_step.hpp"

namespace glimpse::decode {

std::vector<Hypothesis> decode_token_by_token(const char* search, StepModel& model,
                                              const DecodeOptions& options,
                                              const TokenChooser& choose) {
    NoGradGuard no_grad;
    const WeightPacking packing;  // the model's weights, packed once for every step
    const std::vector<int64_t> max_length = max_lengths(search, model, options);
    const int64_t batch = model.batch_size();
    std::vector<Hypothesis> results(static_cast<std::size_t>(batch));

    LiveRows live = LiveRows::start(batch, options.sos);
    SearchHistory history;
    for (int64_t t = 0; live.size() > 0; ++t) {
        StepResult step = checked_step(search, model, live.token);
        apply_constraint(search, options, history, live, t, step);
        history.record_attention(step.attention);
        LiveRows next;
        const int64_t banned = t < options.min_length ? options.eos : -1;
        for (int64_t r = 0; r < static_cast<int64_t>(live.size()); ++r) {
            const int64_t b = live.sentence[r];
            const int64_t v = choose(step.row(r), step.vocab_size, banned);
            if (v < 0 || v >= step.vocab_size || v == banned) {
                throw Error(fmt::format(
                    "{}: no token left to choose at step {}: the {} log-probabilities are -inf{}{}",
                    search, t, step.vocab_size,
                    options.constraint ? " once the constraint has masked the tokens it forbids"
                                       : "",
                    banned < 0 ? ""
                               : fmt::format(" but for <eos> = {}, which min_length = {} forbids",
                                             banned, options.min_length)));
            }
            const double total = live.log_prob[r] + step.row(r)[v];
            if (v == options.eos || t + 1 == max_length[b]) {
                const Ending ending{total, total, t, r, v, v == options.eos};
                results[b] = history.trace(ending, model.source_length(b));
                continue;
            }
            next.push(b, r, v, total);
        }
        if (!advance_rows(model, history, live, std::move(next))) break;
    }
    return results;
}

}  // namespace glimpse::decode
