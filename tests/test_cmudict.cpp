// Tests of decode/cmudict.cpp: Festival's lexicon syntax to word/phones examples, on small inline
// samples written like the real file's lines, malformed ones included; and the split by word.

#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "decode/cmudict.hpp"

using namespace glimpse;
using namespace glimpse::decode;

namespace {

std::vector<std::string> as_lines(const std::vector<Example>& examples) {
    std::vector<std::string> lines;
    for (const Example& example : examples) lines.push_back(example.source + "|" + example.target);
    return lines;
}

}  // namespace

TEST_CASE("cmudict: Festival entries become word and phones, stress and syllables dropped") {
    const std::string text =
        "MNCL\n"
        "(\"advertise\" nil (((ae d) 1) ((v er) 0) ((t ay z) 1)))\n"
        "\n"
        "(\"aase\" nil (((aa s) 1)))\r\n"
        "(\"phlegm\" nil (((f l eh m) 1)))";  // no final newline
    const Lexicon lexicon = parse_festival_lexicon(text, "t");
    CHECK(as_lines(lexicon.pronunciations) ==
          std::vector<std::string>{"advertise|AE D V ER T AY Z", "aase|AA S", "phlegm|F L EH M"});
    CHECK(lexicon.skipped_words.empty());
    CHECK(pronunciations_tsv(lexicon.pronunciations) ==
          "advertise\tAE D V ER T AY Z\naase\tAA S\nphlegm\tF L EH M\n");
}

TEST_CASE("cmudict: Festival's schwa AX becomes AH, as stress-free CMUdict 0.7b writes it") {
    const std::string text =
        "(\"about\" nil (((ax) 0) ((b aw t) 1)))\n"
        "(\"but\" nil (((b ah t) 1)))\n"
        "(\"the\" dt (((dh ax) 0)))\n"
        "(\"the\" n (((dh ah) 1)))\n";  // the same phones once the schwa is AH: kept once
    CHECK(as_lines(parse_festival_lexicon(text, "t").pronunciations) ==
          std::vector<std::string>{"about|AH B AW T", "but|B AH T", "the|DH AH"});
}

TEST_CASE("cmudict: every different pronunciation of a word is kept, a repeated one once") {
    const std::string text =
        "(\"a\" dt (((ax) 0)))\n"
        "(\"a\" n (((ey) 1)))\n"
        "(\"a\" j (((ey) 0)))\n"  // the same phones as the line before once stress is removed
        "(\"ab\" nil (((ae b) 1)))\n"
        "(\"a\" v (((aa) 1)))\n";
    CHECK(as_lines(parse_festival_lexicon(text, "t").pronunciations) ==
          std::vector<std::string>{"a|AH", "a|EY", "ab|AE B", "a|AA"});
}

TEST_CASE("cmudict: entries that are not plain lowercase words are skipped and listed") {
    const std::string text =
        "(\"AWOL\" n (((ey) 1) ((w ao l) 0)))\n"
        "(\"dOrsay\" n (((d ao r) 1) ((s iy) 0)))\n"
        "(\"o'neil\" nil (((ow) 0) ((n iy l) 1)))\n"
        "(\"\" nil (((ey) 1)))\n"
        "(\"abbey\" nil (((ae) 1) ((b iy) 0)))\n";
    const Lexicon lexicon = parse_festival_lexicon(text, "t");
    CHECK(as_lines(lexicon.pronunciations) == std::vector<std::string>{"abbey|AE B IY"});
    CHECK(lexicon.skipped_words == std::vector<std::string>{"AWOL", "dOrsay", "o'neil", ""});
}

TEST_CASE("cmudict: a malformed line is an error naming its line number and what was expected") {
    const std::string good = "(\"abbey\" nil (((ae) 1) ((b iy) 0)))\n";
    auto message = [&](const std::string& bad_line) {
        try {
            parse_festival_lexicon(good + good + bad_line + "\n" + good, "lexicon x.out");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("abbey\tAE B IY")
              .starts_with("lexicon x.out: line 3: expected '(' at column 1 in: abbey\tAE B IY"));
    CHECK(message("(abbey nil (((ae) 1)))")
              .starts_with("lexicon x.out: line 3: expected '\"' at column 2"));
    CHECK(message("(\"abbey nil (((ae) 1)))")
              .starts_with("lexicon x.out: line 3: expected the closing '\"' of the word"));
    CHECK(message("(\"abbey\" (((ae) 1)))")
              .starts_with("lexicon x.out: line 3: expected a part of speech at column 10"));
    CHECK(message("(\"abbey\" nil ())")
              .starts_with("lexicon x.out: line 3: expected at least one syllable"));
    CHECK(message("(\"abbey\" nil (((ae) x)))")
              .starts_with("lexicon x.out: line 3: expected a stress digit"));
    CHECK(message("(\"abbey\" nil (((ae) 1))")
              .starts_with("lexicon x.out: line 3: expected ')' at column 24"));
    CHECK(message("(\"abbey\" nil ((() 1)))")
              .starts_with("lexicon x.out: line 3: expected a phone at column 17"));
    CHECK(message("(\"abbey\" nil (((AE b) 1)))")
              .starts_with("lexicon x.out: line 3: expected a phone of letters a-z"));
    CHECK(message("(\"abbey\" nil (((ae) 1))) extra")
              .starts_with("lexicon x.out: line 3: expected the end of the line"));
    CHECK(message("MNCL").starts_with("lexicon x.out: line 3: expected '('"));  // only on line 1
    CHECK(message(good) == "no error");
    CHECK_THROWS_WITH_AS(parse_festival_lexicon("MNCL\n(\"AWOL\" n (((ey) 1)))\n", "t"),
                         "t: no entries of plain lowercase words", Error);
    CHECK_THROWS_WITH_AS(load_festival_lexicon("/nonexistent/cmudict-0.4.out"),
                         doctest::Contains("lexicon /nonexistent/cmudict-0.4.out"), Error);
}

TEST_CASE("cmudict: the split's hash is 64-bit FNV-1a (its published test values)") {
    CHECK(word_hash("") == 0xcbf29ce484222325ULL);
    CHECK(word_hash("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(word_hash("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("cmudict: the split sends each word, all its pronunciations, to one side, about 90/5/5") {
    std::vector<Example> examples;
    for (char a = 'a'; a <= 'z'; ++a) {
        for (char b = 'a'; b <= 'z'; ++b) {
            for (char c = 'a'; c <= 'z'; c += 5) {
                const std::string word{a, b, c};
                examples.push_back({word, "P"});
                if (c == 'a') examples.push_back({word, "Q"});  // a second pronunciation
            }
        }
    }
    const WordSplit split = split_by_word(examples);
    CHECK(split.train.size() + split.validation.size() + split.test.size() == examples.size());
    std::set<std::string> train, validation, test;
    for (const Example& e : split.train) train.insert(e.source);
    for (const Example& e : split.validation) validation.insert(e.source);
    for (const Example& e : split.test) test.insert(e.source);
    for (const std::string& word : validation) CHECK(train.count(word) == 0);
    for (const std::string& word : test) CHECK(train.count(word) + validation.count(word) == 0);
    const double words = static_cast<double>(train.size() + validation.size() + test.size());
    CHECK(words == 26 * 26 * 6);
    CHECK(static_cast<double>(train.size()) / words == doctest::Approx(0.90).epsilon(0.03));
    CHECK(static_cast<double>(validation.size()) / words == doctest::Approx(0.05).epsilon(0.3));
    CHECK(static_cast<double>(test.size()) / words == doctest::Approx(0.05).epsilon(0.3));
    // The same split on every run, each side in the examples' order.
    CHECK(as_lines(split_by_word(examples).test) == as_lines(split.test));
    const std::vector<std::string> all = as_lines(examples);
    for (const auto* side : {&split.train, &split.validation, &split.test}) {
        const std::vector<std::string> lines = as_lines(*side);
        const std::set<std::string> kept(lines.begin(), lines.end());
        std::vector<std::string> in_order;
        std::copy_if(all.begin(), all.end(), std::back_inserter(in_order),
                     [&](const std::string& line) { return kept.count(line) > 0; });
        CHECK(in_order == lines);
    }
}

TEST_CASE("cmudict: group_by_word collects each word's pronunciations in order") {
    const std::vector<WordReferences> words =
        group_by_word({{"read", "R IY D"}, {"lead", "L IY D"}, {"read", "R EH D"}});
    REQUIRE(words.size() == 2);
    CHECK(words[0].word == "read");
    CHECK(words[0].pronunciations == std::vector<std::string>{"R IY D", "R EH D"});
    CHECK(words[1].word == "lead");
    CHECK(words[1].pronunciations == std::vector<std::string>{"L IY D"});
}
