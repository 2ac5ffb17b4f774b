#pragma once
// Calendar dates written the many ways people write them: the sources of the date-normalisation
// task, whose targets are ISO 8601 (YYYY-MM-DD).
//
// A two-digit year stands for the one year of 1950..2049 that ends in it (79 -> 1979, 05 ->
// 2005). The numeric formats write the day and the month in either order (day first as in
// Europe, month first as in the US), then the year, with '/', '-' or '.': with '/' the day and
// month have no leading zero (3/5/1979), with '-' and '.' they have one (03-05-1979). So a
// numeric string can mean two dates: 03/05/1979 is the 3rd of May day first and the 5th of March
// month first. numeric_readings() gives every date such a string can mean; make_task never
// writes a string that means two dates, so no model is trained toward one arbitrary reading.
// Every other format means one date.

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
    // The other numeric formats, the 23rd of May 1979 in each:
    SlashedDayFirst,         // 23/5/1979
    SlashedDayFirstShort,    // 23/5/79
    SlashedMonthFirstShort,  // 5/23/79
    DashedDayFirst,          // 23-05-1979
    DashedDayFirstShort,     // 23-05-79
    DashedMonthFirst,        // 05-23-1979
    DashedMonthFirstShort,   // 05-23-79
    DottedDayFirstShort,     // 23.05.79
    DottedMonthFirst,        // 05.23.1979
    DottedMonthFirstShort,   // 05.23.79
};

const std::vector<DateFormat>& all_date_formats();
std::string_view date_format_name(DateFormat format);  // "iso", "day_month_year", ...
// Whether the format writes day, month and year as numbers in either order (the twelve
// dotted_*, slashed_* and dashed_* formats).
bool is_numeric_format(DateFormat format);

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

// What a string shaped like a numeric date can mean: a number of one or two digits, a separator
// ('/', '-' or '.'), another such number, the same separator and a year of two or four digits,
// nothing around them. Nothing when the text has another shape; else the real dates of its two
// readings, day first then month first: none (neither exists, as in 31/31/1999), one (one
// reading exists, or both give the same date), or two (the string is ambiguous: 03/05/1979).
// A four-digit year outside 1950..2049 is read as written.
std::optional<std::vector<Date>> numeric_readings(std::string_view text);
// Whether format_date(date, format) is ambiguous: a numeric format, day and month both 1..12
// and different.
bool is_ambiguous(const Date& date, DateFormat format);
// The first year written in `text` with four digits (a run of exactly four digits, or the first
// four of a run of eight, as in 19790503) that is outside 1950..2049; nothing if there is none.
std::optional<int> year_outside_range(std::string_view text);

}  // namespace glimpse::decode
