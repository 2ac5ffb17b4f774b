// decode/date_reader.hpp on an untrained model, whose answers are arbitrary: what must hold
// whatever the weights is that every answer is a real date of 1950..2049, that ambiguous,
// out-of-range and impossible inputs are named (not answered), and that the probabilities are the
// model's own (forced decoding agrees with the teacher-forced loss).

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "decode/dataset.hpp"
#include "decode/date_reader.hpp"
#include "decode/dates.hpp"
#include "decode/tasks.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

struct Fixture {
    Fixture() {
        const TaskData data = make_task(Task::Date, 300, 0, 1);
        std::vector<std::string> sources, targets;
        for (const Example& e : data.train) {
            sources.push_back(e.source);
            targets.push_back(e.target);
        }
        source_vocab = Vocab::build(sources, Tokenization::Character);
        target_vocab = Vocab::build(targets, Tokenization::Character);
        manual_seed(14);
        model = std::make_shared<Seq2Seq>(Seq2SeqConfig{.source_vocab = source_vocab.size(),
                                                        .target_vocab = target_vocab.size(),
                                                        .embedding_size = 8,
                                                        .hidden_size = 16,
                                                        .bidirectional = true});
        model->eval();
    }
    Vocab source_vocab, target_vocab;
    std::shared_ptr<Seq2Seq> model;
};

// -log P(target | source) from the teacher-forced loss: the mean over the target's tokens and
// <eos>, times their number.
double teacher_forced_log_prob(Fixture& f, const std::string& source, const std::string& target) {
    const NoGradGuard no_grad;
    const Batch batch = make_batch({{source, target}}, {0}, f.source_vocab, f.target_vocab);
    const double tokens = static_cast<double>(target.size() + 1);
    return -f.model->loss(batch).item() * tokens;
}

}  // namespace

TEST_CASE("read_dates: every answer of an untrained model is a real date of the range") {
    Fixture f;
    std::vector<std::string> inputs = {"12-31-1999", "25/12/99",   "3rd of May 1979", "zzz", "1",
                                       "99/99/99x",  "2049-12-31", "Feb 30, 2001"};
    for (int64_t day = 0; day < days_in_range(); day += 3001) {
        for (const DateFormat format : all_date_formats()) {
            const Date date = date_from_index(day);
            if (!is_ambiguous(date, format)) inputs.push_back(format_date(date, format));
        }
    }
    const std::vector<DateAnswer> answers =
        read_dates(*f.model, inputs, f.source_vocab, f.target_vocab);
    REQUIRE(answers.size() == inputs.size());
    int differ = 0;  // answers whose unconstrained search wrote something else
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        CAPTURE(inputs[i]);
        const DateAnswer& a = answers[i];
        REQUIRE(a.kind == DateAnswer::Kind::Date);
        const auto date = parse_iso_date(a.date);
        REQUIRE(date.has_value());
        CHECK(date->year >= kFirstYear);
        CHECK(date->year <= kLastYear);
        CHECK(a.verdict() == a.date);
        CHECK(a.probability == doctest::Approx(std::exp(a.hypothesis.log_prob)));
        CHECK(a.probability <= 1.0);
        CHECK(a.low_confidence() == (a.probability < kLowConfidence));
        // Forced decoding of the answer gives the probability greedy search found for it.
        CHECK(std::log(a.probability) ==
              doctest::Approx(teacher_forced_log_prob(f, inputs[i], a.date)).epsilon(1e-4));
        if (!a.unconstrained.empty()) {
            ++differ;
            CHECK(a.unconstrained != a.date);
            CHECK(a.unconstrained_probability > 0.0);
        }
    }
    CHECK(differ > 0);  // untrained, the model often writes no date at all without the grammar
    CHECK(answers[3].unknown == std::vector<std::string>{"z"});
}

TEST_CASE("read_dates: ambiguous, out-of-range and impossible inputs are named, not answered") {
    Fixture f;
    const std::vector<DateAnswer> answers =
        read_dates(*f.model, {"03/05/1979", "le 14 juillet 1789", "31/31/1999", "20500101"},
                   f.source_vocab, f.target_vocab);
    const DateAnswer& ambiguous = answers.at(0);
    CHECK(ambiguous.kind == DateAnswer::Kind::Ambiguous);
    CHECK(ambiguous.readings == std::vector<std::string>{"1979-05-03", "1979-03-05"});
    CHECK(ambiguous.verdict() == "ambiguous: 1979-05-03 or 1979-03-05");
    REQUIRE(ambiguous.reading_probabilities.size() == 2);
    for (std::size_t r = 0; r < 2; ++r) {
        CHECK(std::log(ambiguous.reading_probabilities[r]) ==
              doctest::Approx(teacher_forced_log_prob(f, "03/05/1979", ambiguous.readings[r]))
                  .epsilon(1e-4));
    }
    CHECK(ambiguous.reading_probabilities[0] + ambiguous.reading_probabilities[1] <= 1.0);
    CHECK(ambiguous.date.empty());

    CHECK(answers.at(1).kind == DateAnswer::Kind::YearOutsideRange);
    CHECK(answers.at(1).year == 1789);
    CHECK(answers.at(1).verdict() == "year outside 1950-2049");
    CHECK(answers.at(2).kind == DateAnswer::Kind::NotADate);
    CHECK(answers.at(2).verdict() == "not a date");
    CHECK(answers.at(3).year == 2050);
    for (const DateAnswer& a : answers) CHECK(a.date.empty());
    CHECK_THROWS_WITH_AS(read_dates(*f.model, {"1/2/99", ""}, f.source_vocab, f.target_vocab),
                         "read_dates: input 1 is empty", Error);
}
