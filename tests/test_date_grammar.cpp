// decode::DateGrammar and is_iso_date_prefix: after every prefix of every date of the range the
// grammar allows exactly the characters that continue some date (checked against the set of all
// prefixes), and a search under it on a scripted decoder that prefers an impossible date writes
// the nearest possible one, with the model's exact log-probability.

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "core/error.hpp"
#include "decode/beam_search.hpp"
#include "decode/date_grammar.hpp"
#include "decode/greedy.hpp"
#include "tests/scripted_model.hpp"

using namespace glimpse;
using namespace glimpse::decode;
using namespace glimpse::testing;

namespace {

const Vocab& iso_vocab() {
    static const Vocab vocab = Vocab::build({"0123456789-"}, Tokenization::Character);
    return vocab;
}

// A decoder that means to write `intended`: probability .6 on its next character, .3 on the
// character runner_up names for that position (if any), the rest shared by the other tokens;
// after `intended`, <eos> with .9.
Script char_script(std::string intended, std::map<std::size_t, char> runner_up) {
    return [intended = std::move(intended), runner_up = std::move(runner_up)](
               const ScriptedSentence&, const std::vector<int64_t>& prefix) {
        const Vocab& vocab = iso_vocab();
        const std::size_t t = prefix.size();
        std::vector<int64_t> favourites;
        std::vector<double> shares;
        if (t < intended.size()) {
            favourites.push_back(vocab.id(std::string(1, intended[t])));
            shares.push_back(0.6);
            if (runner_up.count(t)) {
                favourites.push_back(vocab.id(std::string(1, runner_up.at(t))));
                shares.push_back(0.3);
            }
        } else {
            favourites.push_back(Vocab::eos);
            shares.push_back(0.9);
        }
        double left = 1.0;
        for (double share : shares) left -= share;
        const auto others = static_cast<double>(vocab.size() - 2 - favourites.size());
        ScriptedStep step;
        step.probs.assign(static_cast<std::size_t>(vocab.size()), 0.0);
        for (int64_t v = Vocab::eos; v < vocab.size(); ++v) step.probs[v] = left / others;
        for (std::size_t i = 0; i < favourites.size(); ++i) step.probs[favourites[i]] = shares[i];
        return step;
    };
}

std::string text_of(const Hypothesis& h) {
    return iso_vocab().decode(h.tokens);
}

}  // namespace

TEST_CASE("is_iso_date_prefix: whole dates and the beginnings of dates of the range") {
    for (const char* yes : {"", "1", "2", "19", "20", "204", "1999-", "1999-1", "1999-12-",
                            "1999-12-3", "1999-12-31", "2000-02-29", "2049-12-31", "1950-01-01"}) {
        CHECK_MESSAGE(is_iso_date_prefix(yes), yes);
    }
    for (const char* no :
         {"0", "3", "18", "205", "1999/", "1999-2", "1999-13", "1999-00", "1999-02-3", "1999-04-31",
          "2001-02-29", "1949-12-31", "2050-01-01", "1999-12-311", "1999-12-00", "x"}) {
        CHECK_MESSAGE(!is_iso_date_prefix(no), no);
    }
    CHECK(is_iso_date_prefix("1789-07-14", 0, 9999));
    CHECK(is_iso_date_prefix("0", 0, 9999));
    CHECK_FALSE(is_iso_date_prefix("1900-02-29", 0, 9999));  // not a leap year
}

TEST_CASE("DateGrammar: after every reachable prefix it allows exactly what continues a date") {
    // The reference: every prefix of every date of 1950..2049 written YYYY-MM-DD.
    std::set<std::string> prefixes;
    for (int64_t day = 0; day < days_in_range(); ++day) {
        const std::string iso = iso_date(date_from_index(day));
        for (std::size_t n = 0; n <= iso.size(); ++n) prefixes.insert(iso.substr(0, n));
    }
    const Vocab& vocab = iso_vocab();
    const DateGrammar grammar(vocab);
    for (const std::string& prefix : prefixes) {
        const std::vector<int64_t> ids = vocab.encode(prefix);
        const std::vector<int64_t> allowed = grammar.allowed_tokens(0, ids);
        std::set<int64_t> expected;
        if (prefix.size() == 10) expected.insert(Vocab::eos);
        for (const char c : std::string("0123456789-")) {
            if (prefixes.count(prefix + c)) expected.insert(vocab.id(std::string(1, c)));
        }
        CHECK_MESSAGE(std::set<int64_t>(allowed.begin(), allowed.end()) == expected, prefix);
    }
    CHECK(prefixes.size() > 36525);
}

TEST_CASE("DateGrammar: a search under it never writes a date that does not exist") {
    struct Case {
        std::string intended;                // what the model prefers, not a date
        std::map<std::size_t, char> runner;  // its second choices
        std::string constrained;             // what the grammar lets it write
        int runner_ups_taken;
    };
    const std::vector<Case> cases = {
        {"1999-13-12", {{6, '2'}}, "1999-12-12", 1},  // the month 13
        {"2001-02-29", {{9, '8'}}, "2001-02-28", 1},  // not a leap year
        {"2000-02-29", {{9, '8'}}, "2000-02-29", 0},  // a leap year: nothing to change
        {"1789-07-14", {{1, '9'}}, "1989-07-14", 1},  // the year must be of 1950..2049
    };
    const auto grammar = std::make_shared<DateGrammar>(iso_vocab());
    for (const Case& c : cases) {
        CAPTURE(c.intended);
        const Script script = char_script(c.intended, c.runner);
        ScriptedModel unconstrained({{0, 10}}, script);
        CHECK(text_of(greedy_search(unconstrained).at(0)) == c.intended);

        DecodeOptions options;
        options.constraint = grammar;
        ScriptedModel model({{0, 10}}, script);
        const Hypothesis out = greedy_search(model, options).at(0);
        CHECK(text_of(out) == c.constrained);
        const int favourites = 10 - c.runner_ups_taken;
        CHECK(out.log_prob == doctest::Approx(favourites * std::log(0.6) +
                                              c.runner_ups_taken * std::log(0.3) + std::log(0.9))
                                  .epsilon(1e-12));

        BeamSearchOptions beam;
        static_cast<DecodeOptions&>(beam) = options;
        beam.beam_size = 5;
        beam.n_best = 5;
        ScriptedModel for_beam({{0, 10}}, script);
        const NBestList list = beam_search(for_beam, beam).at(0);
        REQUIRE(list.size() == 5);
        CHECK(text_of(list[0]) == c.constrained);
        for (const Hypothesis& h : list) {
            CHECK_MESSAGE(parse_iso_date(text_of(h)).has_value(), text_of(h));
            CHECK(h.finished);
        }
    }
}

TEST_CASE("DateGrammar: a vocabulary without digits or '-', or a bad year range, is an error") {
    const Vocab letters = Vocab::build({"abc-0123"}, Tokenization::Character);
    CHECK_THROWS_WITH_AS(DateGrammar{letters},
                         "DateGrammar: the target vocabulary lacks '456789': it cannot write "
                         "YYYY-MM-DD",
                         Error);
    CHECK_THROWS_WITH_AS(DateGrammar(iso_vocab(), 2000, 1999),
                         "DateGrammar: need 0 <= first_year <= last_year <= 9999, got 2000 and "
                         "1999",
                         Error);
}
