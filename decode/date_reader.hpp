#pragma once
// Reading the dates people type with a trained date model (tutorial 09, `make demo`), without
// ever printing a date that does not exist or an answer the model cannot know:
//   - a year written with four digits outside 1950..2049 (the only years the model learnt) is
//     named as such, not answered with another year;
//   - a numeric date with two readings (03/05/1979: the 3rd of May day first, the 5th of March
//     month first, decode/dates.hpp) is named ambiguous, and both readings are scored under the
//     model by forced decoding (decode::ForcedOutput): P(reading | input);
//   - a numeric date with no real reading (31/31/1999) is named not a date;
//   - anything else is answered by greedy search under the date grammar (decode::DateGrammar), so
//     the answer is a real date, with its probability under the model; below kLowConfidence the
//     answer is marked low-confidence, and when the unconstrained greedy search wrote something
//     else (perhaps 1999-13-12) that is kept beside it.
// Characters the source vocabulary lacks are listed (the model reads them as <unk>).

#include <string>
#include <vector>

#include "decode/hypothesis.hpp"
#include "decode/seq2seq.hpp"
#include "decode/vocab.hpp"

namespace glimpse::decode {

// Answers with a probability below this are marked low-confidence: the model then finds the
// other outputs, taken together, more probable than its answer.
inline constexpr double kLowConfidence = 0.5;

struct DateAnswer {
    enum class Kind { Date, Ambiguous, YearOutsideRange, NotADate };
    Kind kind = Kind::Date;

    // Kind::Date: the answer under the date grammar, P(answer | input), and its hypothesis
    // (tokens, attention).
    std::string date;
    double probability = 0.0;
    Hypothesis hypothesis;
    // What greedy search wrote without the grammar, and its probability, when that differs.
    std::string unconstrained;
    double unconstrained_probability = 0.0;

    // Kind::Ambiguous: the day-first reading, then the month-first one, each with P(reading |
    // input) from forced decoding.
    std::vector<std::string> readings;
    std::vector<double> reading_probabilities;

    int year = 0;                      // Kind::YearOutsideRange: the year as written
    std::vector<std::string> unknown;  // characters the source vocabulary lacks, any kind

    bool low_confidence() const { return kind == Kind::Date && probability < kLowConfidence; }
    // The answer in one line, as the README's examples show it: "1999-12-25",
    // "ambiguous: 1979-05-03 or 1979-03-05", "year outside 1950-2049", "not a date".
    std::string verdict() const;
};

// One answer per input, in order; an empty input is an error. The model should be in eval mode.
std::vector<DateAnswer> read_dates(const Seq2Seq& model, const std::vector<std::string>& inputs,
                                   const Vocab& source_vocab, const Vocab& target_vocab);

}  // namespace glimpse::decode
