#include "decode/dates.hpp"

#include <fmt/format.h>

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
                                                 DateFormat::Compact};
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
    }
    throw Error(fmt::format("date_format_name: unknown format {}", static_cast<int>(format)));
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
        case DateFormat::DottedDayFirst:
            return fmt::format("{:02}.{:02}.{}", d, m, y);
        case DateFormat::SlashedMonthFirst:
            return fmt::format("{}/{}/{}", m, d, y);
        case DateFormat::LowerShortYear:
            return fmt::format("{} {} {:02}", d, to_lower(short_name(month)), y % 100);
        case DateFormat::UpperMonth:
            return fmt::format("{} {} {}", d, to_upper(month), y);
        case DateFormat::Compact:
            return fmt::format("{:04}{:02}{:02}", y, m, d);
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
            if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
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

}  // namespace glimpse::decode
