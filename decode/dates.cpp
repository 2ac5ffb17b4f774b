#include "decode/dates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "core/error.hpp"

namespace glimpse::decode {

namespace {

constexpr std::string_view kMonths[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
constexpr std::string_view kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};

std::chrono::year_month_day to_chrono(const Date& date) {
    return std::chrono::year{date.year} / std::chrono::month{static_cast<unsigned>(date.month)} /
           std::chrono::day{static_cast<unsigned>(date.day)};
}

void check_in_range(const char* function, const Date& date) {
    if (!is_valid_date(date) || date.year < kFirstYear || date.year > kLastYear) {
        throw Error(fmt::format("{}: {:04}-{:02}-{:02} is not a date of {}..{}", function,
                                date.year, date.month, date.day, kFirstYear, kLastYear));
    }
}

std::string_view month_name(const Date& date) {
    return kMonths[date.month - 1];
}

std::string_view short_name(std::string_view name) {
    return name.substr(0, 3);
}

// 1st 2nd 3rd 4th ... 11th 12th 13th ... 21st 22nd 23rd ... 31st
std::string ordinal(int day) {
    const int last = day % 10;
    const bool teen = day / 10 == 1;
    const char* suffix = teen        ? "th"
                         : last == 1 ? "st"
                         : last == 2 ? "nd"
                         : last == 3 ? "rd"
                                     : "th";
    return fmt::format("{}{}", day, suffix);
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string to_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// The numeric formats: which field comes first, the separator, the year's digits.
struct NumericStyle {
    bool day_first;
    char separator;
    bool short_year;
};

std::optional<NumericStyle> numeric_style(DateFormat format) {
    switch (format) {
        case DateFormat::SlashedDayFirst:
            return NumericStyle{true, '/', false};
        case DateFormat::SlashedDayFirstShort:
            return NumericStyle{true, '/', true};
        case DateFormat::SlashedMonthFirst:
            return NumericStyle{false, '/', false};
        case DateFormat::SlashedMonthFirstShort:
            return NumericStyle{false, '/', true};
        case DateFormat::DashedDayFirst:
            return NumericStyle{true, '-', false};
        case DateFormat::DashedDayFirstShort:
            return NumericStyle{true, '-', true};
        case DateFormat::DashedMonthFirst:
            return NumericStyle{false, '-', false};
        case DateFormat::DashedMonthFirstShort:
            return NumericStyle{false, '-', true};
        case DateFormat::DottedDayFirst:
            return NumericStyle{true, '.', false};
        case DateFormat::DottedDayFirstShort:
            return NumericStyle{true, '.', true};
        case DateFormat::DottedMonthFirst:
            return NumericStyle{false, '.', false};
        case DateFormat::DottedMonthFirstShort:
            return NumericStyle{false, '.', true};
        default:
            return std::nullopt;
    }
}

// 3/5/1979, 03-05-1979, 03.05.79: with '/' the day and month have no leading zero.
std::string format_numeric(const Date& date, const NumericStyle& style) {
    const int first = style.day_first ? date.day : date.month;
    const int second = style.day_first ? date.month : date.day;
    const std::string year =
        style.short_year ? fmt::format("{:02}", date.year % 100) : fmt::format("{}", date.year);
    if (style.separator == '/') return fmt::format("{}/{}/{}", first, second, year);
    return fmt::format("{:02}{}{:02}{}{}", first, style.separator, second, style.separator, year);
}

// The year of 1950..2049 that ends in these two digits.
int expand_short_year(int two_digits) {
    return two_digits >= kFirstYear % 100 ? 1900 + two_digits : 2000 + two_digits;
}

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// The maximal runs of digits in `text`, in order.
std::vector<std::string_view> digit_runs(std::string_view text) {
    std::vector<std::string_view> runs;
    for (std::size_t i = 0; i < text.size();) {
        if (!is_digit(text[i])) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && is_digit(text[end])) ++end;
        runs.push_back(text.substr(i, end - i));
        i = end;
    }
    return runs;
}

int to_int(std::string_view digits) {
    int value = 0;
    for (const char c : digits) value = value * 10 + (c - '0');
    return value;
}

}  // namespace

const std::vector<DateFormat>& all_date_formats() {
    static const std::vector<DateFormat> formats{DateFormat::Iso,
                                                 DateFormat::DayMonthYear,
                                                 DateFormat::MonthDayYear,
                                                 DateFormat::OrdinalOfMonth,
                                                 DateFormat::MonthOrdinal,
                                                 DateFormat::WeekdayMonthDay,
                                                 DateFormat::ShortWeekday,
                                                 DateFormat::DayShortMonth,
                                                 DateFormat::ShortMonthDay,
                                                 DateFormat::DottedDayFirst,
                                                 DateFormat::SlashedMonthFirst,
                                                 DateFormat::LowerShortYear,
                                                 DateFormat::UpperMonth,
                                                 DateFormat::Compact,
                                                 DateFormat::SlashedDayFirst,
                                                 DateFormat::SlashedDayFirstShort,
                                                 DateFormat::SlashedMonthFirstShort,
                                                 DateFormat::DashedDayFirst,
                                                 DateFormat::DashedDayFirstShort,
                                                 DateFormat::DashedMonthFirst,
                                                 DateFormat::DashedMonthFirstShort,
                                                 DateFormat::DottedDayFirstShort,
                                                 DateFormat::DottedMonthFirst,
                                                 DateFormat::DottedMonthFirstShort};
    return formats;
}

std::string_view date_format_name(DateFormat format) {
    switch (format) {
        case DateFormat::Iso:
            return "iso";
        case DateFormat::DayMonthYear:
            return "day_month_year";
        case DateFormat::MonthDayYear:
            return "month_day_year";
        case DateFormat::OrdinalOfMonth:
            return "ordinal_of_month";
        case DateFormat::MonthOrdinal:
            return "month_ordinal";
        case DateFormat::WeekdayMonthDay:
            return "weekday_month_day";
        case DateFormat::ShortWeekday:
            return "short_weekday";
        case DateFormat::DayShortMonth:
            return "day_short_month";
        case DateFormat::ShortMonthDay:
            return "short_month_day";
        case DateFormat::DottedDayFirst:
            return "dotted_day_first";
        case DateFormat::SlashedMonthFirst:
            return "slashed_month_first";
        case DateFormat::LowerShortYear:
            return "lower_short_year";
        case DateFormat::UpperMonth:
            return "upper_month";
        case DateFormat::Compact:
            return "compact";
        case DateFormat::SlashedDayFirst:
            return "slashed_day_first";
        case DateFormat::SlashedDayFirstShort:
            return "slashed_day_first_short";
        case DateFormat::SlashedMonthFirstShort:
            return "slashed_month_first_short";
        case DateFormat::DashedDayFirst:
            return "dashed_day_first";
        case DateFormat::DashedDayFirstShort:
            return "dashed_day_first_short";
        case DateFormat::DashedMonthFirst:
            return "dashed_month_first";
        case DateFormat::DashedMonthFirstShort:
            return "dashed_month_first_short";
        case DateFormat::DottedDayFirstShort:
            return "dotted_day_first_short";
        case DateFormat::DottedMonthFirst:
            return "dotted_month_first";
        case DateFormat::DottedMonthFirstShort:
            return "dotted_month_first_short";
    }
    throw Error(fmt::format("date_format_name: unknown format {}", static_cast<int>(format)));
}

bool is_numeric_format(DateFormat format) {
    return numeric_style(format).has_value();
}

bool is_valid_date(const Date& date) {
    return date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= 31 &&
           to_chrono(date).ok();
}

int64_t days_in_range() {
    using namespace std::chrono;
    const sys_days first = year{kFirstYear} / January / 1;
    const sys_days last = year{kLastYear} / December / 31;
    return (last - first).count() + 1;
}

Date date_from_index(int64_t days) {
    using namespace std::chrono;
    if (days < 0 || days >= days_in_range()) {
        throw Error(fmt::format("date_from_index: {} is outside [0, {})", days, days_in_range()));
    }
    const year_month_day date{sys_days{year{kFirstYear} / January / 1} + std::chrono::days{days}};
    return {static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
            static_cast<int>(static_cast<unsigned>(date.day()))};
}

std::string_view weekday_name(const Date& date) {
    if (!is_valid_date(date)) {
        throw Error(fmt::format("weekday_name: {:04}-{:02}-{:02} is not a date", date.year,
                                date.month, date.day));
    }
    return kWeekdays[std::chrono::weekday{std::chrono::sys_days{to_chrono(date)}}.c_encoding()];
}

std::string format_date(const Date& date, DateFormat format) {
    check_in_range("format_date", date);
    if (const auto style = numeric_style(format)) return format_numeric(date, *style);
    const int y = date.year, m = date.month, d = date.day;
    const std::string_view month = month_name(date);
    switch (format) {
        case DateFormat::Iso:
            return fmt::format("{:04}-{:02}-{:02}", y, m, d);
        case DateFormat::DayMonthYear:
            return fmt::format("{} {} {}", d, month, y);
        case DateFormat::MonthDayYear:
            return fmt::format("{} {}, {}", month, d, y);
        case DateFormat::OrdinalOfMonth:
            return fmt::format("{} of {} {}", ordinal(d), month, y);
        case DateFormat::MonthOrdinal:
            return fmt::format("{} {}, {}", month, ordinal(d), y);
        case DateFormat::WeekdayMonthDay:
            return fmt::format("{}, {} {}, {}", weekday_name(date), month, d, y);
        case DateFormat::ShortWeekday:
            return fmt::format("{}, {:02} {} {}", short_name(weekday_name(date)), d,
                               short_name(month), y);
        case DateFormat::DayShortMonth:
            return fmt::format("{} {} {}", d, short_name(month), y);
        case DateFormat::ShortMonthDay:
            return fmt::format("{} {}, {}", short_name(month), d, y);
        case DateFormat::LowerShortYear:
            return fmt::format("{} {} {:02}", d, to_lower(short_name(month)), y % 100);
        case DateFormat::UpperMonth:
            return fmt::format("{} {} {}", d, to_upper(month), y);
        case DateFormat::Compact:
            return fmt::format("{:04}{:02}{:02}", y, m, d);
        default:
            break;  // the numeric formats, written above
    }
    throw Error(fmt::format("format_date: unknown format {}", static_cast<int>(format)));
}

std::string iso_date(const Date& date) {
    return format_date(date, DateFormat::Iso);
}

std::optional<Date> parse_iso_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const auto number = [&](std::size_t start, std::size_t length) -> std::optional<int> {
        int value = 0;
        for (std::size_t i = start; i < start + length; ++i) {
            if (!is_digit(text[i])) return std::nullopt;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
    if (!year || !month || !day) return std::nullopt;
    const Date date{*year, *month, *day};
    if (!is_valid_date(date)) return std::nullopt;
    return date;
}

std::optional<std::vector<Date>> numeric_readings(std::string_view text) {
    const std::vector<std::string_view> runs = digit_runs(text);
    if (runs.size() != 3) return std::nullopt;
    const std::size_t first_end = runs[0].size(), second_end = first_end + 1 + runs[1].size();
    // Each run right after the one separator character that follows the previous run.
    const bool placed = runs[0].data() == text.data() &&
                        runs[1].data() == text.data() + first_end + 1 &&
                        runs[2].data() == text.data() + second_end + 1 &&
                        second_end + 1 + runs[2].size() == text.size();
    const bool shaped = placed && runs[0].size() <= 2 && runs[1].size() <= 2 &&
                        (runs[2].size() == 2 || runs[2].size() == 4) &&
                        std::string_view("/-.").find(text[first_end]) != std::string_view::npos &&
                        text[second_end] == text[first_end];
    if (!shaped) return std::nullopt;
    const int first = to_int(runs[0]), second = to_int(runs[1]);
    const int year = runs[2].size() == 2 ? expand_short_year(to_int(runs[2])) : to_int(runs[2]);
    std::vector<Date> readings;
    for (const Date& date : {Date{year, second, first}, Date{year, first, second}}) {
        if (is_valid_date(date) &&
            std::find(readings.begin(), readings.end(), date) == readings.end()) {
            readings.push_back(date);
        }
    }
    return readings;
}

bool is_ambiguous(const Date& date, DateFormat format) {
    return is_numeric_format(format) && date.day <= 12 && date.month <= 12 &&
           date.day != date.month;
}

std::optional<int> year_outside_range(std::string_view text) {
    for (const std::string_view run : digit_runs(text)) {
        if (run.size() != 4 && run.size() != 8) continue;
        const int year = to_int(run.substr(0, 4));
        if (year < kFirstYear || year > kLastYear) return year;
    }
    return std::nullopt;
}

}  // namespace glimpse::decode
