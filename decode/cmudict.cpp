#include "decode/cmudict.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "decode/text_lines.hpp"

namespace glimpse::decode {

namespace {

bool is_lower_word(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Reads one lexicon line, ("word" pos (((p h) 1) ...)), left to right. Each expect_ throws a
// message naming what was expected and the column where it was not found.
class EntryReader {
  public:
    explicit EntryReader(std::string_view line) : line_(line) {}

    // The word and its phones, stress and syllables dropped: {"advertise", "AE D V ER T AY Z"}.
    Example read() {
        expect('(');
        Example entry{.source = expect_string(), .target = ""};
        expect_atom("a part of speech");
        expect('(');
        while (peek() == '(') read_syllable(entry.target);
        if (entry.target.empty()) fail("at least one syllable '((phones) stress)'");
        expect(')');
        expect(')');
        skip_spaces();
        if (position_ < line_.size()) fail("the end of the line after the entry's ')'");
        return entry;
    }

  private:
    // ((p h ...) stress): appends the phones, upper-cased, to `phones`; the stress is dropped.
    void read_syllable(std::string& phones) {
        expect('(');
        expect('(');
        if (peek() == ')') fail("a phone");
        while (peek() != ')') {
            std::string phone = expect_atom("a phone");
            if (!is_lower_word(phone)) fail("a phone of letters a-z");
            std::transform(phone.begin(), phone.end(), phone.begin(),
                           [](char c) { return static_cast<char>(std::toupper(c)); });
            if (phone == "AX") phone = "AH";  // the schwa, AH0 in CMUdict 0.7b (see the header)
            phones += (phones.empty() ? "" : " ") + phone;
        }
        expect(')');
        const std::string stress = expect_atom("a stress digit");
        if (stress.size() != 1 || !std::isdigit(static_cast<unsigned char>(stress[0]))) {
            fail("a stress digit");
        }
        expect(')');
    }

    void skip_spaces() {
        while (position_ < line_.size() && (line_[position_] == ' ' || line_[position_] == '\t'))
            ++position_;
    }

    char peek() {
        skip_spaces();
        return position_ < line_.size() ? line_[position_] : '\0';
    }

    void expect(char c) {
        if (peek() != c) fail(fmt::format("'{}'", c));
        ++position_;
    }

    std::string expect_string() {
        expect('"');
        const std::size_t close = line_.find('"', position_);
        if (close == std::string_view::npos) fail("the closing '\"' of the word");
        std::string text(line_.substr(position_, close - position_));
        position_ = close + 1;
        return text;
    }

    // A run of characters up to a space or a parenthesis.
    std::string expect_atom(std::string_view what) {
        peek();
        const std::size_t end = std::min(line_.find_first_of(" \t()\"", position_), line_.size());
        if (end == position_) fail(what);
        std::string atom(line_.substr(position_, end - position_));
        position_ = end;
        return atom;
    }

    [[noreturn]] void fail(std::string_view expected) {
        throw Error(fmt::format("expected {} at column {}", expected, position_ + 1));
    }

    std::string_view line_;
    std::size_t position_ = 0;
};

}  // namespace

Lexicon parse_festival_lexicon(std::string_view text, std::string_view who) {
    Lexicon lexicon;
    std::unordered_map<std::string, std::vector<std::string>> seen;  // word -> its phones so far
    for_each_line(text, [&](std::size_t line_number, std::string_view line) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) return;
        if (line_number == 1 && line == "MNCL") return;  // Festival's header
        Example entry;
        try {
            entry = EntryReader(line).read();
        } catch (const Error& e) {
            throw Error(
                fmt::format("{}: line {}: {} in: {}\n  (an entry looks like "
                            "(\"advertise\" nil (((ae d) 1) ((v er) 0) ((t ay z) 1))))",
                            who, line_number, e.what(), line));
        }
        if (!is_lower_word(entry.source)) {
            lexicon.skipped_words.push_back(entry.source);
            return;
        }
        std::vector<std::string>& known = seen[entry.source];
        if (std::find(known.begin(), known.end(), entry.target) != known.end()) return;
        known.push_back(entry.target);
        lexicon.pronunciations.push_back(std::move(entry));
    });
    if (lexicon.pronunciations.empty()) {
        throw Error(fmt::format("{}: no entries of plain lowercase words", who));
    }
    return lexicon;
}

Lexicon load_festival_lexicon(const std::string& path) {
    const std::string who = "lexicon " + path;
    return parse_festival_lexicon(read_file(path, who), who);
}

std::string pronunciations_tsv(const std::vector<Example>& pronunciations) {
    std::string text;
    for (const Example& example : pronunciations) {
        text += example.source + '\t' + example.target + '\n';
    }
    return text;
}

uint64_t word_hash(std::string_view word) {
    uint64_t hash = 14695981039346656037ULL;  // FNV-1a's 64-bit offset basis
    for (const char c : word) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;  // FNV's 64-bit prime
    }
    return hash;
}

WordSplit split_by_word(const std::vector<Example>& examples) {
    WordSplit split;
    for (const Example& example : examples) {
        const uint64_t bucket = word_hash(example.source) % 100;
        (bucket < 90   ? split.train
         : bucket < 95 ? split.validation
                       : split.test)
            .push_back(example);
    }
    return split;
}

std::vector<WordReferences> group_by_word(const std::vector<Example>& examples) {
    std::vector<WordReferences> words;
    std::unordered_map<std::string, std::size_t> index;  // word -> its place in `words`
    for (const Example& example : examples) {
        const auto [where, inserted] = index.try_emplace(example.source, words.size());
        if (inserted) words.push_back({example.source, {}});
        words[where->second].pronunciations.push_back(example.target);
    }
    return words;
}

}  // namespace glimpse::decode
