#include "decode/date_reader.hpp"

#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "core/error.hpp"
#include "decode/date_grammar.hpp"
#include "decode/dates.hpp"
#include "decode/token_constraint.hpp"
#include "decode/translate.hpp"

namespace glimpse::decode {

namespace {

// Every output is "YYYY-MM-DD" and <eos>: 11 tokens. One spare lets a confused model show it.
constexpr int64_t kMaxLength = 12;

DecodeOptions decoding(std::shared_ptr<const TokenConstraint> constraint = nullptr) {
    DecodeOptions options;
    options.max_length = kMaxLength;
    options.constraint = std::move(constraint);
    return options;
}

// P(reading | input) for each reading, by forced decoding: the input once per reading.
std::vector<double> reading_probabilities(const Seq2Seq& model, const std::string& input,
                                          const std::vector<std::string>& readings,
                                          const Vocab& source_vocab, const Vocab& target_vocab) {
    std::vector<std::vector<int64_t>> outputs;
    for (const std::string& reading : readings) outputs.push_back(target_vocab.encode(reading));
    const std::vector<std::string> sources(readings.size(), input);
    const std::vector<Hypothesis> forced =
        greedy_translate(model, sources, source_vocab,
                         decoding(std::make_shared<ForcedOutput>(outputs, Vocab::eos)));
    std::vector<double> probabilities;
    for (const Hypothesis& h : forced) probabilities.push_back(std::exp(h.log_prob));
    return probabilities;
}

}  // namespace

std::string DateAnswer::verdict() const {
    switch (kind) {
        case Kind::Date:
            return date;
        case Kind::Ambiguous:
            return fmt::format("ambiguous: {} or {}", readings.at(0), readings.at(1));
        case Kind::YearOutsideRange:
            return fmt::format("year outside {}-{}", kFirstYear, kLastYear);
        case Kind::NotADate:
            return "not a date";
    }
    throw Error("DateAnswer::verdict: unknown kind");
}

std::vector<DateAnswer> read_dates(const Seq2Seq& model, const std::vector<std::string>& inputs,
                                   const Vocab& source_vocab, const Vocab& target_vocab) {
    std::vector<DateAnswer> answers(inputs.size());
    std::vector<std::string> to_answer;  // the inputs the model answers, in order
    std::vector<std::size_t> answer_of;  // their places in `answers`
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i].empty()) throw Error(fmt::format("read_dates: input {} is empty", i));
        DateAnswer& answer = answers[i];
        answer.unknown = unknown_tokens(source_vocab, inputs[i]);
        const auto readings = numeric_readings(inputs[i]);
        if (const auto year = year_outside_range(inputs[i])) {
            answer.kind = DateAnswer::Kind::YearOutsideRange;
            answer.year = *year;
        } else if (readings && readings->empty()) {
            answer.kind = DateAnswer::Kind::NotADate;
        } else if (readings && readings->size() == 2) {
            answer.kind = DateAnswer::Kind::Ambiguous;
            for (const Date& date : *readings) answer.readings.push_back(iso_date(date));
            answer.reading_probabilities = reading_probabilities(model, inputs[i], answer.readings,
                                                                 source_vocab, target_vocab);
        } else {
            to_answer.push_back(inputs[i]);
            answer_of.push_back(i);
        }
    }
    if (to_answer.empty()) return answers;
    const auto grammar = std::make_shared<DateGrammar>(target_vocab);
    const std::vector<Hypothesis> constrained =
        greedy_translate(model, to_answer, source_vocab, decoding(grammar));
    const std::vector<Hypothesis> free =
        greedy_translate(model, to_answer, source_vocab, decoding());
    for (std::size_t k = 0; k < to_answer.size(); ++k) {
        DateAnswer& answer = answers[answer_of[k]];
        answer.hypothesis = constrained[k];
        answer.date = target_vocab.decode(constrained[k].tokens);
        answer.probability = std::exp(constrained[k].log_prob);
        const std::string unconstrained = target_vocab.decode(free[k].tokens);
        if (unconstrained != answer.date) {
            answer.unconstrained = unconstrained;
            answer.unconstrained_probability = std::exp(free[k].log_prob);
        }
    }
    return answers;
}

}  // namespace glimpse::decode
