#pragma once
// Calendar dates written the many ways people write them: the sources of the date-normalisation
// task, whose targets are ISO 8601 (YYYY-MM-DD).
//
// Every format is unambiguous over the years 1950..2049: day-first and month-first numeric dates
// use different separators (03.05.1979 is the 3rd of May, 5/3/1979 is May 3rd), and a two-digit
// year stands for the one year of the range that ends in it (79 -> 1979, 05 -> 2005).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glimpse::decode {

struct Date {
    int year;
    int month;  // 1..12
    int day;    // 1..31

    bool operator==(const Date&) const = default;
};

inline constexpr int kFirstYear = 1950;
inline constexpr int kLastYear = 2049;

enum class DateFormat {
    Iso,                // 1979-05-03
    DayMonthYear,       // 3 May 1979
    MonthDayYear,       // May 3, 1979
    OrdinalOfMonth,     // 3rd of May 1979
    MonthOrdinal,       // May 3rd, 1979
    WeekdayMonthDay,    // Thursday, May 3, 1979
    ShortWeekday,       // Thu, 03 May 1979 (as in e-mail headers)
    DayShortMonth,      // 3 Sep 1979
    ShortMonthDay,      // Sep 3, 1979
    DottedDayFirst,     // 03.05.1979 (European)
    SlashedMonthFirst,  // 5/3/1979 (American)
    LowerShortYear,     // 3 may 79
    UpperMonth,         // 3 MAY 1979
    Compact,            // 19790503
};

const std::vector<DateFormat>& all_date_formats();
std::string_view date_format_name(DateFormat format);  // "iso", "day_month_year", ...

// Whether the date exists (2000-02-29 does, 1900-02-29 would not); any year.
bool is_valid_date(const Date& date);
// The date `days` days after 1950-01-01; days in [0, days_in_range()).
Date date_from_index(int64_t days);
int64_t days_in_range();                          // 36525: every date of 1950..2049
std::string_view weekday_name(const Date& date);  // "Thursday"

std::string format_date(const Date& date, DateFormat format);
std::string iso_date(const Date& date);  // format_date(date, DateFormat::Iso)
// The date of an exact YYYY-MM-DD string that names a real day, else nothing.
std::optional<Date> parse_iso_date(std::string_view text);

}  // namespace glimpse::decode
