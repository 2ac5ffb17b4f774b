#include "tutorials/coursework/checks/scripted_model.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "core/random.hpp"

namespace coursework::check {

using namespace glimpse;

ScriptedModel::ScriptedModel(int64_t sentences, Script script)
    : sentences_(sentences), script_(std::move(script)) {
    for (int64_t b = 0; b < sentences; ++b) rows_.push_back({b, {}});
}

decode::StepOutput ScriptedModel::step(const Tensor& tokens) {
    const std::vector<double> fed = tokens.to_vector();
    if (fed.size() != rows_.size()) {
        throw Error(
            fmt::format("StepModel::step: {} tokens for {} rows", fed.size(), rows_.size()));
    }
    std::vector<double> log_probs;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        Row& row = rows_[r];
        if (row.started) {
            if (!row.prefix.empty() && row.prefix.back() == kEos) ++fed_after_eos;
            row.prefix.push_back(static_cast<int64_t>(fed[r]));
        }
        row.started = true;
        for (const double p : script_(row.sentence, row.prefix)) log_probs.push_back(std::log(p));
    }
    return {tensor(log_probs, {static_cast<int64_t>(rows_.size()), kVocab}, DType::Float32), {}};
}

void ScriptedModel::select_rows(const Tensor& rows) {
    std::vector<Row> next;
    for (const double r : rows.to_vector()) {
        if (r < 0 || r >= static_cast<double>(rows_.size())) {
            throw Error(fmt::format("StepModel::select_rows: row {} of {}", r, rows_.size()));
        }
        next.push_back(rows_[static_cast<std::size_t>(r)]);
    }
    rows_ = std::move(next);
}

Script random_script(uint64_t seed) {
    return [seed](int64_t sentence, const std::vector<int64_t>& prefix) {
        uint64_t hash = seed * 1000003 + static_cast<uint64_t>(sentence);
        for (const int64_t token : prefix) hash = hash * 31 + static_cast<uint64_t>(token);
        Generator generator(hash);
        std::vector<double> probs(kVocab, 0.0);
        double total = 0;
        for (int64_t v = kEos; v < kVocab; ++v) {
            probs[v] = std::pow(generator.uniform(), 3) + 1e-3;  // peaked, as a trained model
            total += probs[v];
        }
        for (double& p : probs) p /= total;
        return probs;
    };
}

Script one_token_script(std::vector<double> first) {
    return [first](int64_t, const std::vector<int64_t>& prefix) {
        if (prefix.empty()) return first;
        std::vector<double> eos(kVocab, 0.0);
        eos[kEos] = 1.0;
        return eos;
    };
}

}  // namespace coursework::check
