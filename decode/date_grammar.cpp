#include "decode/date_grammar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace glimpse::decode {

namespace {

constexpr std::string_view kIsoChars = "0123456789-";
constexpr std::size_t kIsoLength = 10;  // "YYYY-MM-DD"

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

int number(std::string_view digits) {
    int value = 0;
    for (const char c : digits) value = value * 10 + (c - '0');
    return value;
}

int days_in_month(int year, int month) {
    int days = 31;
    while (!is_valid_date({year, month, days})) --days;
    return days;
}

}  // namespace

bool is_iso_date_prefix(std::string_view text, int first_year, int last_year) {
    if (text.size() > kIsoLength) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 4 || i == 7;
        if (dash ? text[i] != '-' : !is_digit(text[i])) return false;
    }
    // The year: the years that start with the digits written so far must meet the range.
    const std::size_t year_digits = std::min<std::size_t>(text.size(), 4);
    int span = 1;  // 10^(digits still to come)
    for (std::size_t i = year_digits; i < 4; ++i) span *= 10;
    const int lowest = number(text.substr(0, year_digits)) * span;
    if (lowest > last_year || lowest + span - 1 < first_year) return false;
    if (text.size() <= 5) return true;
    // The month: 01..12, or its first digit 0 or 1.
    const int year = number(text.substr(0, 4));
    if (text.size() == 6) return text[5] <= '1';
    const int month = number(text.substr(5, 2));
    if (month < 1 || month > 12) return false;
    if (text.size() <= 8) return true;
    // The day: one that exists in that month of that year, or its first digit.
    const int days = days_in_month(year, month);
    if (text.size() == 9) return (text[8] - '0') * 10 <= days;
    const int day = number(text.substr(8, 2));
    return day >= 1 && day <= days;
}

DateGrammar::DateGrammar(const Vocab& target_vocab, int first_year, int last_year)
    : first_year_(first_year), last_year_(last_year) {
    if (first_year < 0 || last_year > 9999 || first_year > last_year) {
        throw Error(
            fmt::format("DateGrammar: need 0 <= first_year <= last_year <= 9999, got {} "
                        "and {}",
                        first_year, last_year));
    }
    std::string missing;
    for (const char c : kIsoChars) {
        const std::string token(1, c);
        if (!target_vocab.contains(token)) missing += token;
        char_ids_.push_back(target_vocab.id(token));
    }
    if (!missing.empty()) {
        throw Error(fmt::format(
            "DateGrammar: the target vocabulary lacks '{}': it cannot write YYYY-MM-DD", missing));
    }
}

std::vector<int64_t> DateGrammar::allowed_tokens(int64_t /*sentence*/,
                                                 const std::vector<int64_t>& prefix) const {
    std::string text;
    for (const int64_t id : prefix) {
        const auto at = std::find(char_ids_.begin(), char_ids_.end(), id);
        if (at == char_ids_.end()) return {};  // never allowed: nothing can follow it
        text += kIsoChars[static_cast<std::size_t>(at - char_ids_.begin())];
    }
    if (text.size() == kIsoLength) {
        return is_iso_date_prefix(text, first_year_, last_year_) ? std::vector<int64_t>{Vocab::eos}
                                                                 : std::vector<int64_t>{};
    }
    std::vector<int64_t> allowed;
    for (std::size_t i = 0; i < kIsoChars.size(); ++i) {
        if (is_iso_date_prefix(text + kIsoChars[i], first_year_, last_year_)) {
            allowed.push_back(char_ids_[i]);
        }
    }
    return allowed;
}

}  // namespace glimpse::decode
