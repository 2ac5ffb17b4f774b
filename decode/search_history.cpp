#include "decode/search_history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace glimpse::decode {

LiveRows LiveRows::start(int64_t batch, int64_t sos) {
    LiveRows rows;
    for (int64_t b = 0; b < batch; ++b) rows.push(b, b, sos, 0.0);
    return rows;
}

void LiveRows::push(int64_t b, int64_t row, int64_t v, double lp) {
    sentence.push_back(b);
    parent.push_back(row);
    token.push_back(v);
    log_prob.push_back(lp);
}

void LiveRows::truncate(std::size_t n) {
    sentence.resize(n);
    parent.resize(n);
    token.resize(n);
    log_prob.resize(n);
}

void SearchHistory::record_attention(const Tensor& attention) {
    layers_.back().attention = attention;
}

void SearchHistory::advance(const LiveRows& next) {
    layers_.push_back(Layer{next.parent, next.token, Tensor()});
}

std::vector<int64_t> SearchHistory::prefix(int64_t row) const {
    std::vector<int64_t> tokens(layers_.size() - 1);
    for (std::size_t t = tokens.size(); t > 0; --t) {
        tokens[t - 1] = layers_[t].tokens[row];
        row = layers_[t].parents[row];
    }
    return tokens;
}

std::vector<int64_t> SearchHistory::path(const Ending& ending) const {
    std::vector<int64_t> rows(static_cast<std::size_t>(ending.step + 1));
    rows[ending.step] = ending.row;
    for (int64_t t = ending.step; t > 0; --t) rows[t - 1] = layers_[t].parents[rows[t]];
    return rows;
}

Hypothesis SearchHistory::trace(const Ending& ending, int64_t source_length) const {
    const std::vector<int64_t> rows = path(ending);
    const int64_t length = ending.step + 1;
    Hypothesis hypothesis;
    hypothesis.finished = ending.finished;
    hypothesis.log_prob = ending.log_prob;
    hypothesis.score = ending.score;
    hypothesis.tokens.resize(static_cast<std::size_t>(length));
    hypothesis.tokens[ending.step] = ending.token;
    for (int64_t t = 1; t < length; ++t) hypothesis.tokens[t - 1] = layers_[t].tokens[rows[t]];
    if (layers_[0].attention.defined()) {
        hypothesis.attention = empty({length, source_length});  // [length, source_length]
        float* out = hypothesis.attention.data<float>();
        for (int64_t t = 0; t < length; ++t) {
            const Tensor& a = layers_[t].attention;  // [N_t, S]
            std::memcpy(out + t * source_length, a.data<float>() + rows[t] * a.size(1),
                        static_cast<std::size_t>(source_length) * sizeof(float));
        }
    }
    return hypothesis;
}

double SearchHistory::score(const ScoreOptions& options, const Ending& ending,
                            int64_t source_length) const {
    const int64_t length = ending.step + 1;
    if (options.coverage_beta == 0.0) {
        return hypothesis_score(options, ending.log_prob, length, 0.0);
    }
    if (!layers_[0].attention.defined()) {
        throw Error(
            "decode: the coverage penalty (coverage_beta > 0) needs attention, but the model's "
            "step returns none");
    }
    std::vector<double> sums(static_cast<std::size_t>(source_length), 0.0);
    const std::vector<int64_t> rows = path(ending);
    for (int64_t t = 0; t < length; ++t) {
        const Tensor& a = layers_[t].attention;  // [N_t, S]
        const float* row = a.data<float>() + rows[t] * a.size(1);
        for (int64_t i = 0; i < source_length; ++i) sums[i] += row[i];
    }
    return hypothesis_score(options, ending.log_prob, length,
                            coverage_penalty(options.coverage_beta, sums));
}

NBestList SearchHistory::best(std::vector<Ending> endings, int64_t n_best,
                              int64_t source_length) const {
    std::stable_sort(endings.begin(), endings.end(),
                     [](const Ending& a, const Ending& b) { return a.score > b.score; });
    NBestList list;
    for (std::size_t i = 0; i < endings.size() && static_cast<int64_t>(i) < n_best; ++i) {
        list.push_back(trace(endings[i], source_length));
    }
    return list;
}

}  // namespace glimpse::decode
