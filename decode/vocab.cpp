#include "decode/vocab.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

#include "core/check.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"

namespace glimpse::decode {

namespace {

constexpr std::string_view kSpecialTokens[] = {"<pad>", "<sos>", "<eos>", "<unk>"};
constexpr std::string_view kFileMagic = "glimpse-vocab 1";

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Bytes in the UTF-8 sequence that starts with `lead`; 1 for a byte that cannot start one, so
// that text which is not valid UTF-8 still splits, byte by byte, instead of failing.
std::size_t utf8_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 1;
}

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

std::vector<std::string> split_characters(std::string_view text) {
    std::vector<std::string> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t length = utf8_length(static_cast<unsigned char>(text[i]));
        if (i + length > text.size()) length = 1;
        for (std::size_t k = 1; k < length; ++k) {
            if (!is_continuation(static_cast<unsigned char>(text[i + k]))) length = 1;
        }
        tokens.emplace_back(text.substr(i, length));
        i += length;
    }
    return tokens;
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) ++i;
        const std::size_t start = i;
        while (i < text.size() && !is_space(text[i])) ++i;
        if (i > start) tokens.emplace_back(text.substr(start, i - start));
    }
    return tokens;
}

// One token a line: a newline, tab or carriage return inside a character token must not end
// its line, so they and the backslash are written as a backslash and a letter.
constexpr std::pair<char, char> kEscapes[] = {{'\\', '\\'}, {'\n', 'n'}, {'\t', 't'}, {'\r', 'r'}};

std::string escape(std::string_view token) {
    std::string out;
    for (const char c : token) {
        const auto* escape = std::find_if(std::begin(kEscapes), std::end(kEscapes),
                                          [c](const auto& e) { return e.first == c; });
        if (escape == std::end(kEscapes)) {
            out += c;
        } else {
            out += '\\';
            out += escape->second;
        }
    }
    return out;
}

// The token written on one line; throws a message (without the file and line) when malformed.
std::string unescape(std::string_view line) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '\\') {
            out += line[i];
            continue;
        }
        if (i + 1 == line.size()) throw Error("a lone backslash ends the line");
        const char letter = line[++i];
        const auto* escape = std::find_if(std::begin(kEscapes), std::end(kEscapes),
                                          [letter](const auto& e) { return e.second == letter; });
        if (escape == std::end(kEscapes)) throw Error(fmt::format("unknown escape \\{}", letter));
        out += escape->first;
    }
    return out;
}

Tokenization parse_tokenization(std::string_view name) {
    if (name == "character") return Tokenization::Character;
    if (name == "word") return Tokenization::Word;
    throw Error(fmt::format("unknown tokenization '{}' (expected character or word)", name));
}

// The file's lines; a final newline ends the last line rather than starting an empty one.
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

}  // namespace

std::string_view tokenization_name(Tokenization tokenization) {
    return tokenization == Tokenization::Word ? "word" : "character";
}

Vocab::Vocab(Tokenization tokenization) : tokenization_(tokenization) {
    for (const std::string_view special : kSpecialTokens) add(std::string(special));
}

void Vocab::add(std::string token) {
    ids_.emplace(token, size());
    tokens_.push_back(std::move(token));
}

Vocab Vocab::build(const std::vector<std::string>& texts, Tokenization tokenization,
                   int64_t min_frequency) {
    if (min_frequency < 1) {
        throw Error(
            fmt::format("Vocab::build: min_frequency must be at least 1, got {}", min_frequency));
    }
    Vocab vocab(tokenization);
    std::map<std::string, int64_t> counts;  // ordered: ties below fall back to token order
    for (const std::string& text : texts) {
        for (std::string& token : vocab.tokenize(text)) ++counts[std::move(token)];
    }
    std::vector<std::pair<std::string, int64_t>> ranked;
    for (auto& [token, count] : counts) {
        // A text that spells "<unk>" means the special token already in the table.
        if (count >= min_frequency && !vocab.contains(token)) ranked.emplace_back(token, count);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (auto& [token, count] : ranked) vocab.add(std::move(token));
    return vocab;
}

std::vector<std::string> Vocab::tokenize(std::string_view text) const {
    return tokenization_ == Tokenization::Word ? split_words(text) : split_characters(text);
}

std::vector<int64_t> Vocab::encode(std::string_view text) const {
    std::vector<int64_t> ids;
    for (const std::string& token : tokenize(text)) ids.push_back(id(token));
    return ids;
}

std::string Vocab::decode(const std::vector<int64_t>& ids) const {
    std::string text;
    bool first = true;
    for (const int64_t i : ids) {
        if (i == eos) break;
        if (i == pad || i == sos) continue;
        if (i < 0 || i >= size()) {
            throw Error(fmt::format("Vocab::decode: id {} is out of range for a vocabulary of {}",
                                    i, size()));
        }
        if (tokenization_ == Tokenization::Word && !first) text += ' ';
        text += tokens_[static_cast<std::size_t>(i)];
        first = false;
    }
    return text;
}

std::string Vocab::decode(const Tensor& ids) const {
    check_dtype("Vocab::decode", ids, DType::Int64, "ids");
    if (ids.dim() != 1) {
        throw Error(
            fmt::format("Vocab::decode: ids must be one sentence [T], got {}", describe(ids)));
    }
    const Tensor values = ids.contiguous();
    const int64_t* data = values.data<int64_t>();
    return decode(std::vector<int64_t>(data, data + values.numel()));
}

const std::string& Vocab::token(int64_t id) const {
    if (id < 0 || id >= size()) {
        throw Error(
            fmt::format("Vocab::token: id {} is out of range for a vocabulary of {}", id, size()));
    }
    return tokens_[static_cast<std::size_t>(id)];
}

int64_t Vocab::id(std::string_view token) const {
    const auto found = ids_.find(std::string(token));
    return found == ids_.end() ? unk : found->second;
}

bool Vocab::contains(std::string_view token) const {
    return ids_.contains(std::string(token));
}

std::string Vocab::file_text() const {
    std::string text = fmt::format("{}\ntokenization {}\ntokens {}\n", kFileMagic,
                                   tokenization_name(tokenization_), size());
    for (const std::string& token : tokens_) text += escape(token) + '\n';
    return text;
}

void Vocab::save(const std::string& path) const {
    write_file_atomically(path, file_text(), "vocab " + path);
}

Vocab Vocab::load(const std::string& path) {
    const std::string who = "vocab " + path;
    return parse(read_file(path, who), who);
}

Vocab Vocab::parse(std::string_view text, const std::string& who) {
    const std::vector<std::string_view> lines = split_lines(text);
    const auto fail = [&](std::size_t line, const std::string& what) {
        return Error(fmt::format("{}: line {}: {}", who, line + 1, what));
    };
    const auto header = [&](std::size_t line, std::string_view key) {
        if (line >= lines.size()) throw fail(line, "the file ends inside its header");
        if (!lines[line].starts_with(key)) {
            throw fail(line, fmt::format("expected '{}...', got '{}'", key, lines[line]));
        }
        return lines[line].substr(key.size());
    };
    if (!header(0, kFileMagic).empty()) {
        throw fail(0, fmt::format("expected '{}', got '{}'", kFileMagic, lines[0]));
    }
    Vocab vocab;
    const std::string_view tokenization = header(1, "tokenization ");
    try {
        vocab.tokenization_ = parse_tokenization(tokenization);
    } catch (const Error& e) {
        throw fail(1, e.what());
    }
    const std::string_view count_text = header(2, "tokens ");
    int64_t count = 0;
    const auto parsed =
        std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
    if (parsed.ec != std::errc() || parsed.ptr != count_text.data() + count_text.size() ||
        count < num_special) {
        throw fail(2, fmt::format("expected a token count of at least {}, got '{}'", num_special,
                                  count_text));
    }
    constexpr std::size_t first_token_line = 3;
    const std::size_t expected_lines = first_token_line + static_cast<std::size_t>(count);
    if (lines.size() < expected_lines) {
        throw fail(lines.size(), fmt::format("the file ends after {} of the {} tokens its header "
                                             "promises (truncated?)",
                                             lines.size() - first_token_line, count));
    }
    if (lines.size() > expected_lines) {
        throw fail(expected_lines,
                   fmt::format("more lines than the {} tokens the header promises", count));
    }
    for (std::size_t line = first_token_line; line < lines.size(); ++line) {
        const int64_t id = static_cast<int64_t>(line - first_token_line);
        std::string token;
        try {
            token = unescape(lines[line]);
        } catch (const Error& e) {
            throw fail(line, e.what());
        }
        if (id < num_special) {
            if (token != kSpecialTokens[id]) {
                throw fail(line, fmt::format("expected the special token {}, got '{}'",
                                             kSpecialTokens[id], lines[line]));
            }
            continue;
        }
        if (token.empty()) throw fail(line, "empty token");
        if (vocab.contains(token)) throw fail(line, fmt::format("duplicate token '{}'", token));
        vocab.add(std::move(token));
    }
    return vocab;
}

}  // namespace glimpse::decode
