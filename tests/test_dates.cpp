// Tests of decode/dates.cpp. Weekdays are the calendar's (checked with Python's datetime).

#include <doctest/doctest.h>

#include <string>
#include <unordered_map>

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
    CHECK(all_date_formats().size() == 14);
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

TEST_CASE("dates: no string means two dates, whichever formats wrote them") {
    std::unordered_map<std::string, int64_t> date_of;  // surface string -> day index
    for (int64_t day = 0; day < days_in_range(); ++day) {
        for (const DateFormat format : all_date_formats()) {
            const auto [where, fresh] =
                date_of.emplace(format_date(date_from_index(day), format), day);
            if (!fresh && where->second != day) {
                FAIL("'" << where->first << "' is both day " << where->second << " and " << day);
            }
        }
    }
    CHECK(date_of.size() > 10 * 36525);  // formats that coincide (3 May / 3 May) share entries
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
