// Cypher's DATE and DURATION: how they are made, read, shown and computed
// with. The calendar is <chrono>'s (proleptic Gregorian, ISO weeks from
// Monday); dates run from 0001-01-01 to 9999-12-31.
//
//   date('2019-05-01'), date('2019W181'), date({year: 2019, week: 18})
//   duration('P1Y2M'), duration({days: 3, hours: 1.5})
//   d.year, d.week, dur.months           (TemporalComponent)
//   d + dur, dur * 2, dur1 - dur2        (TemporalArithmetic)
//   duration.between(d1, d2)             (months and days, as ISO periods)
//
// Every function takes its arguments as Cypher passes them (null in, null
// out) and reports a wrong argument as an ArgumentError or TypeError at
// `pos` in the query.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "samverkan/cypher_value.h"

namespace samverkan::cypher {

using Args = std::vector<Value>;

// date(): today (UTC); date(text): ISO 8601 (calendar, week or ordinal
// form, with or without dashes); date(map): from year/month/day,
// year/week/dayOfWeek, year/ordinalDay or year/quarter/dayOfQuarter, each
// optionally starting from {date: d}; date(d): d.
Value DateFunction(const Args& args, size_t pos);
// date.statement(), date.transaction(), date.realtime(): today (UTC), as
// date(); with a null time zone, null.
Value DateNowFunction(const Args& args, size_t pos);
// date.truncate(unit, d [, map]): the first day of d's millennium, century,
// decade, year, weekYear, quarter, month, week or day, then map's fields.
Value DateTruncateFunction(const Args& args, size_t pos);
// duration(text) (ISO 8601: "P1Y2M3DT4H", "P2.5W", "P2012-02-02T14:37:21")
// and duration(map) (years, quarters, months, weeks, days, hours, minutes,
// seconds, milliseconds, microseconds, nanoseconds; fractions carry down,
// a month being 30.436875 days).
Value DurationFunction(const Args& args, size_t pos);
// duration.between / inMonths / inDays / inSeconds (d1, d2): from d1 to d2.
Value DurationBetweenFunction(const Args& args, size_t pos);
Value DurationInMonthsFunction(const Args& args, size_t pos);
Value DurationInDaysFunction(const Args& args, size_t pos);
Value DurationInSecondsFunction(const Args& args, size_t pos);

// The component `key` of a date (year, quarter, month, week, weekYear, day,
// ordinalDay, weekDay/dayOfWeek, dayOfQuarter) or of a duration (years,
// months, days, seconds, ..., monthsOfYear, nanosecondsOfSecond ...).
// REQUIRES: v is a DATE or a DURATION.
Value TemporalComponent(const Value& v, std::string_view key, size_t pos);

// a op b for op one of + - * / when a date or a duration takes part:
// date ± duration, duration ± duration, duration * or / number. nullopt
// when neither side is temporal; an error for other temporal mixes.
std::optional<Value> TemporalArithmetic(char op, const Value& a, const Value& b, size_t pos);
// -dur.
Value NegateDuration(const Duration& d, size_t pos);

// ISO text back to a value, or nullopt when it is not one.
std::optional<Date> ParseIsoDate(std::string_view text);
std::optional<Duration> ParseIsoDuration(std::string_view text);

}  // namespace samverkan::cypher
