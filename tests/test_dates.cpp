// Tests of decode/dates.cpp. Weekdays are the calendar's (checked with Python's datetime).

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "decode/dates.hpp"

using namespace glimpse;
using namespace glimpse::decode;

TEST_CASE("dates: the 3rd of May 1979 in every format") {
    const Date date{1979, 5, 3};
    const auto as = [&](DateFormat format) { return format_date(date, format); };
    CHECK(as(DateFormat::Iso) == "1979-05-03");
    CHECK(as(DateFormat::DayMonthYear) == "3 May 1979");
    CHECK(as(DateFormat::MonthDayYear) == "May 3, 1979");
    CHECK(as(DateFormat::OrdinalOfMonth) == "3rd of May 1979");
    CHECK(as(DateFormat::MonthOrdinal) == "May 3rd, 1979");
    CHECK(as(DateFormat::WeekdayMonthDay) == "Thursday, May 3, 1979");
    CHECK(as(DateFormat::ShortWeekday) == "Thu, 03 May 1979");
    CHECK(as(DateFormat::DayShortMonth) == "3 May 1979");
    CHECK(as(DateFormat::ShortMonthDay) == "May 3, 1979");
    CHECK(as(DateFormat::DottedDayFirst) == "03.05.1979");
    CHECK(as(DateFormat::SlashedMonthFirst) == "5/3/1979");
    CHECK(as(DateFormat::LowerShortYear) == "3 may 79");
    CHECK(as(DateFormat::UpperMonth) == "3 MAY 1979");
    CHECK(as(DateFormat::Compact) == "19790503");
    CHECK(as(DateFormat::SlashedDayFirst) == "3/5/1979");
    CHECK(as(DateFormat::SlashedDayFirstShort) == "3/5/79");
    CHECK(as(DateFormat::SlashedMonthFirstShort) == "5/3/79");
    CHECK(as(DateFormat::DashedDayFirst) == "03-05-1979");
    CHECK(as(DateFormat::DashedDayFirstShort) == "03-05-79");
    CHECK(as(DateFormat::DashedMonthFirst) == "05-03-1979");
    CHECK(as(DateFormat::DashedMonthFirstShort) == "05-03-79");
    CHECK(as(DateFormat::DottedDayFirstShort) == "03.05.79");
    CHECK(as(DateFormat::DottedMonthFirst) == "05.03.1979");
    CHECK(as(DateFormat::DottedMonthFirstShort) == "05.03.79");
    CHECK(all_date_formats().size() == 24);
    int numeric = 0;
    for (const DateFormat format : all_date_formats()) numeric += is_numeric_format(format);
    CHECK(numeric == 12);
}

TEST_CASE("dates: the numeric formats of the 25th of December 2005") {
    const Date date{2005, 12, 25};
    const auto as = [&](DateFormat format) { return format_date(date, format); };
    CHECK(as(DateFormat::SlashedDayFirstShort) == "25/12/05");
    CHECK(as(DateFormat::SlashedMonthFirst) == "12/25/2005");
    CHECK(as(DateFormat::DashedMonthFirst) == "12-25-2005");
    CHECK(as(DateFormat::DottedDayFirst) == "25.12.2005");
}

TEST_CASE("dates: ordinals, short names, two-digit years and weekdays at the edges") {
    CHECK(format_date({2000, 2, 29}, DateFormat::WeekdayMonthDay) == "Tuesday, February 29, 2000");
    CHECK(format_date({1950, 1, 1}, DateFormat::ShortWeekday) == "Sun, 01 Jan 1950");
    CHECK(format_date({2049, 12, 31}, DateFormat::WeekdayMonthDay) == "Friday, December 31, 2049");
    CHECK(format_date({2005, 9, 22}, DateFormat::LowerShortYear) == "22 sep 05");
    CHECK(format_date({2005, 9, 22}, DateFormat::ShortMonthDay) == "Sep 22, 2005");
    CHECK(format_date({2005, 9, 22}, DateFormat::SlashedMonthFirst) == "9/22/2005");
    CHECK(format_date({2005, 9, 1}, DateFormat::OrdinalOfMonth) == "1st of September 2005");
    CHECK(format_date({2005, 9, 2}, DateFormat::MonthOrdinal) == "September 2nd, 2005");
    CHECK(format_date({2005, 9, 11}, DateFormat::MonthOrdinal) == "September 11th, 2005");
    CHECK(format_date({2005, 9, 12}, DateFormat::MonthOrdinal) == "September 12th, 2005");
    CHECK(format_date({2005, 9, 13}, DateFormat::MonthOrdinal) == "September 13th, 2005");
    CHECK(format_date({2005, 9, 21}, DateFormat::MonthOrdinal) == "September 21st, 2005");
    CHECK(format_date({2005, 9, 23}, DateFormat::MonthOrdinal) == "September 23rd, 2005");
    CHECK(format_date({2005, 10, 31}, DateFormat::MonthOrdinal) == "October 31st, 2005");
}

TEST_CASE("dates: the range holds 36525 days, from 1950-01-01 to 2049-12-31") {
    CHECK(days_in_range() == 36525);
    CHECK(date_from_index(0) == Date{1950, 1, 1});
    CHECK(date_from_index(18321) == Date{2000, 2, 29});
    CHECK(date_from_index(36524) == Date{2049, 12, 31});
    CHECK_THROWS_WITH_AS(date_from_index(36525), "date_from_index: 36525 is outside [0, 36525)",
                         Error);
}

TEST_CASE("dates: only the ambiguous numeric strings mean two dates, and numeric_readings knows") {
    std::unordered_map<std::string, int64_t> date_of;  // unambiguous string -> day index
    int64_t ambiguous = 0;
    for (int64_t day = 0; day < days_in_range(); ++day) {
        const Date date = date_from_index(day);
        for (const DateFormat format : all_date_formats()) {
            const std::string text = format_date(date, format);
            const auto readings = numeric_readings(text);
            REQUIRE_MESSAGE(readings.has_value() == is_numeric_format(format), text);
            if (is_ambiguous(date, format)) {
                ++ambiguous;
                REQUIRE_MESSAGE(readings->size() == 2, text);
                CHECK_MESSAGE((readings->at(0) == date || readings->at(1) == date), text);
                continue;
            }
            if (readings) REQUIRE_MESSAGE(*readings == std::vector<Date>{date}, text);
            const auto [where, fresh] = date_of.emplace(text, day);
            if (!fresh && where->second != day) {
                FAIL("'" << where->first << "' is both day " << where->second << " and " << day);
            }
        }
    }
    CHECK(ambiguous == 12 * 100 * 12 * 11);  // 12 formats, 100 years, 12 * 11 (day, month) pairs
    CHECK(date_of.size() > 19 * 36525);      // formats that coincide (3 May / 3 May) share entries
}

TEST_CASE("dates: numeric_readings of typed strings") {
    using Readings = std::optional<std::vector<Date>>;
    CHECK(numeric_readings("03/05/1979") == Readings{{{1979, 5, 3}, {1979, 3, 5}}});
    CHECK(numeric_readings("25/12/99") == Readings{{{1999, 12, 25}}});
    CHECK(numeric_readings("12-31-1999") == Readings{{{1999, 12, 31}}});
    CHECK(numeric_readings("05.05.05") == Readings{{{2005, 5, 5}}});
    CHECK(numeric_readings("1/2/49") == Readings{{{2049, 2, 1}, {2049, 1, 2}}});
    CHECK(numeric_readings("3/5/1789") == Readings{{{1789, 5, 3}, {1789, 3, 5}}});
    CHECK(numeric_readings("31/31/1999") == Readings{std::vector<Date>{}});
    CHECK(numeric_readings("29/2/2001") == Readings{std::vector<Date>{}});  // not a leap year
    for (const char* other : {"1979-05-03", "3 May 1979", "3/5-1979", "3/5/197", "123/5/1979",
                              " 3/5/1979", "3/5/1979 ", "3//5/1979", "3/5", "19790503", ""}) {
        CHECK_MESSAGE(!numeric_readings(other).has_value(), other);
    }
}

TEST_CASE("dates: year_outside_range finds a four-digit year the range does not hold") {
    CHECK(year_outside_range("le 14 juillet 1789") == 1789);
    CHECK(year_outside_range("17890714") == 1789);
    CHECK(year_outside_range("2050-01-01") == 2050);
    CHECK(year_outside_range("3rd of May 1979 or 1066") == 1066);
    for (const char* inside : {"25/12/99", "3rd of May 1979", "20491231", "1950-01-01", "12345"}) {
        CHECK_MESSAGE(!year_outside_range(inside).has_value(), inside);
    }
}

TEST_CASE("dates: parse_iso_date reads exactly YYYY-MM-DD of a real day") {
    CHECK(parse_iso_date("1979-05-03") == Date{1979, 5, 3});
    CHECK(parse_iso_date("2000-02-29") == Date{2000, 2, 29});
    CHECK_FALSE(parse_iso_date("2001-02-29"));
    CHECK_FALSE(parse_iso_date("1979-13-03"));
    CHECK_FALSE(parse_iso_date("1979-05-00"));
    CHECK_FALSE(parse_iso_date("1979-5-03"));
    CHECK_FALSE(parse_iso_date("1979-05-03 "));
    CHECK_FALSE(parse_iso_date("19x9-05-03"));
    for (int64_t day = 0; day < days_in_range(); day += 97) {
        CHECK(parse_iso_date(iso_date(date_from_index(day))) == date_from_index(day));
    }
}

TEST_CASE("dates: a date that does not exist or is out of range is an error") {
    CHECK_THROWS_WITH_AS(format_date({2001, 2, 29}, DateFormat::Iso),
                         "format_date: 2001-02-29 is not a date of 1950..2049", Error);
    CHECK_THROWS_WITH_AS(format_date({1949, 12, 31}, DateFormat::Iso),
                         "format_date: 1949-12-31 is not a date of 1950..2049", Error);
    CHECK_THROWS_WITH_AS(weekday_name({2000, 4, 31}), "weekday_name: 2000-04-31 is not a date",
                         Error);
    CHECK(is_valid_date({2000, 2, 29}));
    CHECK_FALSE(is_valid_date({1900, 2, 29}));
}
