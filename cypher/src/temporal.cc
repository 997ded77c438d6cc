// temporal.cc: see temporal.h. Calendar arithmetic is <chrono>'s; what is
// written here is Cypher's: which fields a map may give, how fractions of a
// duration carry down, and ISO 8601 text.
#include "temporal.h"

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "error.h"

namespace samverkan::cypher {
namespace {

namespace chr = std::chrono;
using T = Value::Type;

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;
constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
// The Gregorian calendar's average month (365.2425 / 12 days), in seconds:
// what a fraction of a month carries down as.
constexpr int64_t kSecondsPerMonth = 2'629'746;

[[noreturn]] void Bad(const std::string& message, size_t pos) {
  ArgumentError("InvalidArgumentValue", message, pos);
}

// --- dates -------------------------------------------------------------------

chr::sys_days SysDays(Date d) { return chr::sys_days{chr::days{d.days}}; }

// The range is checked on the day number, before <chrono> turns it into a
// year (which holds only years up to 32767).
Date MakeDate(chr::sys_days s, size_t pos) {
  constexpr chr::sys_days kFirst = chr::year{kMinYear} / chr::January / 1;
  constexpr chr::sys_days kLast = chr::year{kMaxYear} / chr::December / 31;
  if (s < kFirst) Bad("a DATE runs from 0001-01-01 to 9999-12-31; this one is before", pos);
  if (s > kLast) Bad("a DATE runs from 0001-01-01 to 9999-12-31; this one is after", pos);
  return Date{static_cast<int32_t>(s.time_since_epoch().count())};
}

chr::year_month_day Ymd(Date d) { return chr::year_month_day{SysDays(d)}; }
int YearOf(Date d) { return static_cast<int>(Ymd(d).year()); }
unsigned MonthOf(Date d) { return static_cast<unsigned>(Ymd(d).month()); }
unsigned DayOf(Date d) { return static_cast<unsigned>(Ymd(d).day()); }
unsigned DayOfWeek(Date d) { return chr::weekday{SysDays(d)}.iso_encoding(); }  // Monday 1

// The year's 1 January, and the Monday that starts its ISO week 1 (the
// week with the year's first Thursday in it).
chr::sys_days NewYear(int y) { return chr::year{y} / chr::January / 1; }
chr::sys_days WeekOneMonday(int y) {
  const chr::sys_days jan4 = chr::year{y} / chr::January / 4;
  return jan4 - chr::days{chr::weekday{jan4}.iso_encoding() - 1};
}

struct IsoWeek {
  int year;
  unsigned week;
};
IsoWeek WeekOf(Date d) {
  const chr::sys_days s = SysDays(d);
  int y = YearOf(d);
  if (s >= WeekOneMonday(y + 1)) {
    ++y;
  } else if (s < WeekOneMonday(y)) {
    --y;
  }
  return {y, static_cast<unsigned>((s - WeekOneMonday(y)).count() / 7 + 1)};
}
unsigned WeeksIn(int y) {
  return static_cast<unsigned>((WeekOneMonday(y + 1) - WeekOneMonday(y)).count() / 7);
}

unsigned OrdinalDay(Date d) {
  return static_cast<unsigned>((SysDays(d) - NewYear(YearOf(d))).count() + 1);
}
unsigned QuarterOf(Date d) { return (MonthOf(d) - 1) / 3 + 1; }
chr::sys_days QuarterStart(int y, unsigned q) {
  return chr::year{y} / chr::month{(q - 1) * 3 + 1} / 1;
}
unsigned DayOfQuarter(Date d) {
  return static_cast<unsigned>((SysDays(d) - QuarterStart(YearOf(d), QuarterOf(d))).count() + 1);
}

// The integer field `key` of a map argument, if there.
std::optional<int64_t> IntField(const Value& map, const char* key, const char* fn, size_t pos) {
  const Value* v = map.Find(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->type() != T::kInt) {
    Bad(fmt::format("{}(): `{}` must be an integer, not a {}", fn, key, TypeName(v->type())), pos);
  }
  return v->integer();
}

int64_t InRange(int64_t v, int64_t lo, int64_t hi, const char* what, const char* fn, size_t pos) {
  if (v < lo || v > hi) {
    Bad(fmt::format("{}(): {} {} is out of range ({} to {})", fn, what, v, lo, hi), pos);
  }
  return v;
}

// date(map), and date.truncate's map: fields over an optional base date.
Date DateFromMap(const Value& map, std::optional<Date> base, const char* fn, size_t pos) {
  static const char* const kKeys[] = {"date", "year", "month", "day", "week", "dayOfWeek",
                                      "ordinalDay", "quarter", "dayOfQuarter"};
  for (const auto& [k, v] : map.map()) {
    bool known = false;
    for (const char* key : kKeys) known = known || k == key;
    if (!known) {
      Bad(fmt::format("{}(): a DATE has no field `{}` (it takes year, month, day, week, "
                      "dayOfWeek, ordinalDay, quarter, dayOfQuarter and date)", fn, k), pos);
    }
  }
  if (const Value* d = map.Find("date"); d != nullptr && !d->is_null()) {
    if (d->type() != T::kDate) {
      Bad(fmt::format("{}(): `date` must be a DATE, not a {}", fn, TypeName(d->type())), pos);
    }
    base = d->date();
  }
  auto field = [&](const char* key) { return IntField(map, key, fn, pos); };
  const auto year = field("year"), month = field("month"), day = field("day");
  const auto week = field("week"), day_of_week = field("dayOfWeek");
  const auto ordinal = field("ordinalDay");
  const auto quarter = field("quarter"), day_of_quarter = field("dayOfQuarter");
  auto need_year = [&](int base_year) -> int {
    if (year) return static_cast<int>(InRange(*year, kMinYear, kMaxYear, "year", fn, pos));
    if (!base) Bad(fmt::format("{}(): a DATE from a map needs a `year`", fn), pos);
    return base_year;
  };
  if (week || day_of_week) {
    // An ISO week date: `year` is the week's year.
    if (month || day || ordinal || quarter || day_of_quarter) {
      Bad(fmt::format("{}(): `week` and `dayOfWeek` do not go with month, day, ordinalDay or "
                      "quarter fields", fn), pos);
    }
    const IsoWeek bw = base ? WeekOf(*base) : IsoWeek{0, 1};
    const int y = need_year(bw.year);
    if (!week && !base) Bad(fmt::format("{}(): `dayOfWeek` needs a `week`", fn), pos);
    const int64_t w = InRange(week.value_or(bw.week), 1, WeeksIn(y), "week", fn, pos);
    const int64_t dow = InRange(day_of_week.value_or(base ? DayOfWeek(*base) : 1), 1, 7,
                                "dayOfWeek", fn, pos);
    return MakeDate(WeekOneMonday(y) + chr::days{(w - 1) * 7 + dow - 1}, pos);
  }
  if (ordinal) {
    if (month || day || quarter || day_of_quarter) {
      Bad(fmt::format("{}(): `ordinalDay` does not go with month, day or quarter fields", fn),
          pos);
    }
    const int y = need_year(base ? YearOf(*base) : 0);
    const int64_t days_in_year = chr::year{y}.is_leap() ? 366 : 365;
    const int64_t o = InRange(*ordinal, 1, days_in_year, "ordinalDay", fn, pos);
    return MakeDate(NewYear(y) + chr::days{o - 1}, pos);
  }
  if (quarter || day_of_quarter) {
    if (month || day) {
      Bad(fmt::format("{}(): `quarter` and `dayOfQuarter` do not go with month or day", fn), pos);
    }
    const int y = need_year(base ? YearOf(*base) : 0);
    const int64_t q =
        InRange(quarter.value_or(base ? QuarterOf(*base) : 1), 1, 4, "quarter", fn, pos);
    const chr::sys_days start = QuarterStart(y, static_cast<unsigned>(q));
    const chr::sys_days next = QuarterStart(y + q / 4, static_cast<unsigned>(q % 4 + 1));
    const int64_t length = (next - start).count();
    const int64_t dq = InRange(day_of_quarter.value_or(base ? DayOfQuarter(*base) : 1), 1,
                               length, "dayOfQuarter", fn, pos);
    return MakeDate(start + chr::days{dq - 1}, pos);
  }
  const int y = need_year(base ? YearOf(*base) : 0);
  if (day && !month && !base) Bad(fmt::format("{}(): `day` needs a `month`", fn), pos);
  const int64_t m = InRange(month.value_or(base ? MonthOf(*base) : 1), 1, 12, "month", fn, pos);
  const chr::year_month ym = chr::year{y} / chr::month{static_cast<unsigned>(m)};
  const int64_t last = static_cast<unsigned>((ym / chr::last).day());
  const int64_t d = InRange(day.value_or(base ? DayOf(*base) : 1), 1, last, "day", fn, pos);
  return MakeDate(ym / chr::day{static_cast<unsigned>(d)}, pos);
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int64_t Digits(std::string_view s) {
  int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// --- durations ---------------------------------------------------------------

// Builds a duration from whole and fractional amounts of each unit: a
// fraction of a month or a day carries down into seconds (a month of
// 2,629,746 s, a day of 86,400 s), then into whole days, and a fraction
// of a second into nanoseconds.
class DurationBuilder {
 public:
  explicit DurationBuilder(size_t pos) : pos_(pos) {}

  void AddMonths(const Value& v, int64_t per) { Add(v, per, &months_, kSecondsPerMonth); }
  void AddDays(const Value& v, int64_t per) { Add(v, per, &days_, kSecondsPerDay); }
  void AddSeconds(const Value& v, int64_t per) { Add(v, per, &seconds_, 1); }
  // Milli-, micro- and nanoseconds: `per` nanoseconds each; fractions of a
  // nanosecond are dropped.
  void AddNanos(const Value& v, int64_t per) {
    if (v.type() == T::kInt) {
      nanos_ += static_cast<__int128>(v.integer()) * per;
    } else {
      nanos_ += static_cast<__int128>(std::trunc(static_cast<long double>(v.floating()) * per));
    }
  }

  Duration Build() const {
    // The fractions of months and days, as seconds, carry whole days into
    // days; what is left under a day stays in seconds.
    const long double carried = fraction_seconds_;
    const long double whole_carried = std::trunc(carried);
    __int128 days = days_ + static_cast<__int128>(whole_carried) / kSecondsPerDay;
    __int128 seconds = seconds_ + static_cast<__int128>(whole_carried) % kSecondsPerDay;
    __int128 nanos =
        nanos_ + static_cast<__int128>(std::llround((carried - whole_carried) * kNanosPerSecond));
    seconds += nanos / kNanosPerSecond;
    nanos %= kNanosPerSecond;
    if (nanos < 0) {
      nanos += kNanosPerSecond;
      seconds -= 1;
    }
    const __int128 limit = static_cast<__int128>(INT64_MAX);
    if (months_ > limit || months_ < -limit || days > limit || days < -limit ||
        seconds > limit || seconds < -limit) {
      Bad("the DURATION is too large", pos_);
    }
    return Duration{static_cast<int64_t>(months_), static_cast<int64_t>(days),
                    static_cast<int64_t>(seconds), static_cast<int32_t>(nanos)};
  }

 private:
  // Adds v units of `per` each to *whole; a fraction (of a float v) goes to
  // fraction_seconds_ at `seconds_per` seconds a unit.
  void Add(const Value& v, int64_t per, __int128* whole, int64_t seconds_per) {
    if (v.type() == T::kInt) {
      *whole += static_cast<__int128>(v.integer()) * per;
      return;
    }
    const long double amount = static_cast<long double>(v.floating()) * per;
    if (!std::isfinite(amount) || std::fabs(amount) > 1e18L) Bad("the DURATION is too large", pos_);
    const long double w = std::trunc(amount);
    *whole += static_cast<__int128>(w);
    fraction_seconds_ += (amount - w) * seconds_per;
  }

  size_t pos_;
  __int128 months_ = 0, days_ = 0, seconds_ = 0, nanos_ = 0;
  long double fraction_seconds_ = 0;
};

// How a duration map's fields add up.
struct DurationUnit {
  const char* key;
  char kind;  // 'M' months, 'D' days, 'S' seconds, 'N' nanoseconds
  int64_t per;
};
constexpr DurationUnit kDurationUnits[] = {
    {"years", 'M', 12},          {"quarters", 'M', 3},       {"months", 'M', 1},
    {"weeks", 'D', 7},           {"days", 'D', 1},           {"hours", 'S', 3600},
    {"minutes", 'S', 60},        {"seconds", 'S', 1},        {"milliseconds", 'N', 1'000'000},
    {"microseconds", 'N', 1000}, {"nanoseconds", 'N', 1},
};

void AddUnit(DurationBuilder* b, const DurationUnit& u, const Value& v) {
  switch (u.kind) {
    case 'M': b->AddMonths(v, u.per); break;
    case 'D': b->AddDays(v, u.per); break;
    case 'S': b->AddSeconds(v, u.per); break;
    default: b->AddNanos(v, u.per); break;
  }
}

Duration DurationFromMap(const Value& map, size_t pos) {
  DurationBuilder b(pos);
  for (const auto& [k, v] : map.map()) {
    const DurationUnit* unit = nullptr;
    for (const auto& u : kDurationUnits) {
      if (k == u.key) unit = &u;
    }
    if (unit == nullptr) {
      Bad(fmt::format("duration(): no field `{}` (it takes years, quarters, months, weeks, days, "
                      "hours, minutes, seconds, milliseconds, microseconds, nanoseconds)", k), pos);
    }
    if (v.is_null()) continue;
    if (!v.is_number()) {
      Bad(fmt::format("duration(): `{}` must be a number, not a {}", k, TypeName(v.type())), pos);
    }
    AddUnit(&b, *unit, v);
  }
  return b.Build();
}

// A number in ISO 8601 text ("12", "-1.5", "0,5"): an INTEGER or a FLOAT.
std::optional<Value> IsoNumber(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string t(s);
  for (char& c : t) {
    if (c == ',') c = '.';
  }
  size_t i = t[0] == '-' || t[0] == '+' ? 1 : 0;
  size_t dot = t.find('.');
  std::string_view whole =
      std::string_view(t).substr(i, dot == std::string::npos ? t.npos : dot - i);
  if (!AllDigits(whole)) return std::nullopt;
  if (dot == std::string::npos) {
    if (whole.size() > 18) return std::nullopt;
    return Value::Int(std::strtoll(t.c_str(), nullptr, 10));
  }
  if (!AllDigits(std::string_view(t).substr(dot + 1))) return std::nullopt;
  return Value::Float(std::strtod(t.c_str(), nullptr));
}

std::optional<Duration> ParseDuration(std::string_view s, size_t pos) {
  if (s.size() < 2 || (s[0] != 'P' && s[0] != 'p')) return std::nullopt;
  s.remove_prefix(1);
  DurationBuilder b(pos);
  // The alternative form: PYYYY-MM-DDThh:mm:ss(.fff).
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    auto part = [&](size_t at, size_t n) -> std::optional<Value> {
      if (at + n > s.size() || !AllDigits(s.substr(at, n))) return std::nullopt;
      return Value::Int(Digits(s.substr(at, n)));
    };
    auto y = part(0, 4), m = part(5, 2), d = part(8, 2);
    if (!y || !m || !d) return std::nullopt;
    b.AddMonths(*y, 12);
    b.AddMonths(*m, 1);
    b.AddDays(*d, 1);
    if (s.size() > 10) {
      if (s[10] != 'T' || s.size() < 19 || s[13] != ':' || s[16] != ':') return std::nullopt;
      auto h = part(11, 2), mi = part(14, 2);
      auto sec = IsoNumber(s.substr(17));
      if (!h || !mi || !sec) return std::nullopt;
      b.AddSeconds(*h, 3600);
      b.AddSeconds(*mi, 60);
      b.AddSeconds(*sec, 1);
    }
    return b.Build();
  }
  bool time = false, any = false;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == 'T' || s[i] == 't') {
      if (time) return std::nullopt;
      time = true;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.' ||
                            s[j] == ',' || s[j] == '-' || s[j] == '+')) {
      ++j;
    }
    if (j == s.size()) return std::nullopt;
    auto n = IsoNumber(s.substr(i, j - i));
    if (!n) return std::nullopt;
    const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(s[j])));
    if (!time && unit == 'Y') {
      b.AddMonths(*n, 12);
    } else if (!time && unit == 'M') {
      b.AddMonths(*n, 1);
    } else if (!time && unit == 'W') {
      b.AddDays(*n, 7);
    } else if (!time && unit == 'D') {
      b.AddDays(*n, 1);
    } else if (time && unit == 'H') {
      b.AddSeconds(*n, 3600);
    } else if (time && unit == 'M') {
      b.AddSeconds(*n, 60);
    } else if (time && unit == 'S') {
      b.AddSeconds(*n, 1);
    } else {
      return std::nullopt;
    }
    any = true;
    i = j + 1;
  }
  if (!any) return std::nullopt;
  return b.Build();
}

// d * f or d / f for a FLOAT factor (or any divisor): each part scaled,
// fractions carried down as duration(map) does.
Duration Scale(const Duration& d, const Value& f, bool divide, size_t pos) {
  if (f.type() == T::kInt && !divide) {
    const int64_t k = f.integer();
    Duration r;
    __int128 nanos = static_cast<__int128>(d.nanos) * k;
    __int128 seconds = static_cast<__int128>(d.seconds) * k + nanos / kNanosPerSecond;
    nanos %= kNanosPerSecond;
    if (nanos < 0) {
      nanos += kNanosPerSecond;
      seconds -= 1;
    }
    const __int128 months = static_cast<__int128>(d.months) * k;
    const __int128 days = static_cast<__int128>(d.days) * k;
    for (__int128 part : {months, days, seconds}) {
      if (part > INT64_MAX || part < INT64_MIN) Bad("the DURATION is too large", pos);
    }
    r.months = static_cast<int64_t>(months);
    r.days = static_cast<int64_t>(days);
    r.seconds = static_cast<int64_t>(seconds);
    r.nanos = static_cast<int32_t>(nanos);
    return r;
  }
  const double x = f.number();
  if (divide && x == 0) ArgumentError("DivisionByZero", "division of a DURATION by zero", pos);
  auto scaled = [&](long double part) {
    return Value::Float(static_cast<double>(divide ? part / x : part * x));
  };
  DurationBuilder b(pos);
  b.AddMonths(scaled(d.months), 1);
  b.AddDays(scaled(d.days), 1);
  b.AddSeconds(scaled(d.seconds), 1);
  b.AddNanos(scaled(d.nanos), 1);
  return b.Build();
}

Duration Combine(const Duration& a, const Duration& b, int sign, size_t pos) {
  Duration r;
  int64_t nanos = a.nanos + sign * static_cast<int64_t>(b.nanos);
  int64_t carry = nanos < 0 ? -1 : nanos >= kNanosPerSecond ? 1 : 0;
  nanos -= carry * kNanosPerSecond;
  bool overflow = false;
  auto add = [&](int64_t x, int64_t y) {
    int64_t out;
    if (sign > 0) {
      overflow |= __builtin_add_overflow(x, y, &out);
    } else {
      overflow |= __builtin_sub_overflow(x, y, &out);
    }
    return out;
  };
  r.months = add(a.months, b.months);
  r.days = add(a.days, b.days);
  r.seconds = add(a.seconds, b.seconds);
  overflow |= __builtin_add_overflow(r.seconds, carry, &r.seconds);
  if (overflow) Bad("the DURATION is too large", pos);
  r.nanos = static_cast<int32_t>(nanos);
  return r;
}

Date AddToDate(Date date, const Duration& d, int sign, size_t pos) {
  // Months first (the day kept, or the month's last when it has fewer),
  // then days, then the whole days in the seconds. A part longer than the
  // range of dates cannot land in it (and past it <chrono>'s years end).
  const int64_t years_bound = kMaxYear + 1;
  if (std::llabs(d.months) / 12 > years_bound || std::llabs(d.days) / 366 > years_bound ||
      std::llabs(d.seconds) / kSecondsPerDay / 366 > years_bound) {
    Bad("a DATE runs from 0001-01-01 to 9999-12-31; the DURATION takes this one outside", pos);
  }
  const chr::year_month_day ymd = Ymd(date);
  chr::year_month ym = ymd.year() / ymd.month();
  ym += chr::months{sign * d.months};
  const chr::day last = (ym / chr::last).day();
  const chr::sys_days moved = ym / std::min(ymd.day(), last);
  return MakeDate(moved + chr::days{sign * (d.days + d.seconds / kSecondsPerDay)}, pos);
}

Date DateArg(const Value& v, const char* fn, size_t pos) {
  if (v.type() != T::kDate) {
    TypeError("InvalidArgumentType",
              fmt::format("{}() takes DATEs, not a {} (of the temporal types, samverkan has "
                          "DATE and DURATION)", fn, TypeName(v.type())), pos);
  }
  return v.date();
}

// Whole months from a to b (ISO: the day of the month counts).
int64_t MonthsBetween(Date a, Date b) {
  const chr::year_month_day x = Ymd(a), y = Ymd(b);
  int64_t months = (static_cast<int>(y.year()) - static_cast<int>(x.year())) * 12 +
                   (static_cast<int>(static_cast<unsigned>(y.month())) -
                    static_cast<int>(static_cast<unsigned>(x.month())));
  if (months > 0 && y.day() < x.day()) --months;
  if (months < 0 && y.day() > x.day()) ++months;
  return months;
}

}  // namespace

std::string DateText(Date d) {
  const chr::year_month_day ymd = Ymd(d);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string DurationText(const Duration& d) {
  std::string out = "P";
  auto part = [&](int64_t n, char unit) {
    if (n != 0) out += fmt::format("{}{}", n, unit);
  };
  part(d.months / 12, 'Y');
  part(d.months % 12, 'M');
  part(d.days, 'D');
  if (d.seconds != 0 || d.nanos != 0) {
    // Written with one sign per part: -1.5 s is "-1.5S", not "-2.5S".
    int64_t s = d.seconds;
    int64_t n = d.nanos;
    if (s < 0 && n != 0) {
      s += 1;
      n -= kNanosPerSecond;
    }
    out += 'T';
    part(s / 3600, 'H');
    s %= 3600;
    part(s / 60, 'M');
    s %= 60;
    auto fraction = [&](int64_t nanos) {
      std::string f = fmt::format("{:09}", nanos < 0 ? -nanos : nanos);
      while (!f.empty() && f.back() == '0') f.pop_back();
      return "." + f;
    };
    if (s != 0) {
      out += std::to_string(s);
      if (n != 0) out += fraction(n);
      out += 'S';
    } else if (n != 0) {
      out += n < 0 ? "-0" : "0";
      out += fraction(n);
      out += 'S';
    }
  }
  if (out == "P") out = "PT0S";
  return out;
}

std::optional<Date> ParseIsoDate(std::string_view s) {
  // YYYY, then -MM, -MM-DD, -Www, -Www-D or -DDD, with or without the
  // dashes (YYYYMM, YYYYMMDD, YYYYWww, YYYYWwwD, YYYYDDD).
  if (s.size() < 4 || !AllDigits(s.substr(0, 4))) return std::nullopt;
  const int y = static_cast<int>(Digits(s.substr(0, 4)));
  if (y < kMinYear) return std::nullopt;
  std::string_view rest = s.substr(4);
  const bool dashed = !rest.empty() && rest[0] == '-';
  if (dashed) rest.remove_prefix(1);
  auto valid = [](chr::year_month_day ymd) -> std::optional<Date> {
    if (!ymd.ok()) return std::nullopt;
    return Date{static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count())};
  };
  if (rest.empty()) return dashed ? std::nullopt : valid(chr::year{y} / 1 / 1);
  if (rest[0] == 'W') {
    rest.remove_prefix(1);
    if (rest.size() < 2 || !AllDigits(rest.substr(0, 2))) return std::nullopt;
    const int64_t w = Digits(rest.substr(0, 2));
    rest.remove_prefix(2);
    if (dashed && !rest.empty()) {
      if (rest[0] != '-') return std::nullopt;
      rest.remove_prefix(1);
    }
    int64_t dow = 1;
    if (!rest.empty()) {
      if (rest.size() != 1 || !AllDigits(rest)) return std::nullopt;
      dow = Digits(rest);
    }
    if (w < 1 || w > WeeksIn(y) || dow < 1 || dow > 7) return std::nullopt;
    const chr::sys_days day = WeekOneMonday(y) + chr::days{(w - 1) * 7 + dow - 1};
    return valid(chr::year_month_day{day});
  }
  if (rest.size() == 3 && AllDigits(rest)) {  // ordinal day
    const int64_t o = Digits(rest);
    if (o < 1 || o > (chr::year{y}.is_leap() ? 366 : 365)) return std::nullopt;
    return valid(chr::year_month_day{NewYear(y) + chr::days{o - 1}});
  }
  if (rest.size() < 2 || !AllDigits(rest.substr(0, 2))) return std::nullopt;
  const unsigned m = static_cast<unsigned>(Digits(rest.substr(0, 2)));
  rest.remove_prefix(2);
  if (rest.empty()) return valid(chr::year{y} / chr::month{m} / 1);
  if (dashed) {
    if (rest[0] != '-') return std::nullopt;
    rest.remove_prefix(1);
  }
  if (rest.size() != 2 || !AllDigits(rest)) return std::nullopt;
  return valid(chr::year{y} / chr::month{m} / chr::day{static_cast<unsigned>(Digits(rest))});
}

std::optional<Duration> ParseIsoDuration(std::string_view text) {
  try {
    return ParseDuration(text, kNoPosition);
  } catch (const CypherError&) {
    return std::nullopt;
  }
}

Value DateFunction(const Args& a, size_t pos) {
  if (a.empty()) {
    // Today in UTC (std::chrono::system_clock's days are UTC days).
    const auto today = chr::floor<chr::days>(chr::system_clock::now());
    return Value::MakeDate(MakeDate(today, pos));
  }
  const Value& v = a[0];
  switch (v.type()) {
    case T::kNull: return Value();
    case T::kDate: return v;
    case T::kString: {
      auto d = ParseIsoDate(v.string());
      if (!d) {
        Bad("date(): '" + v.string() + "' is not a date in ISO 8601 (2019-05-01, 20190501, "
            "2019-W18-3, 2019-121, 2019-05, 2019); dates run from 0001-01-01 to 9999-12-31",
            pos);
      }
      return Value::MakeDate(*d);
    }
    case T::kMap: return Value::MakeDate(DateFromMap(v, std::nullopt, "date", pos));
    default:
      TypeError("InvalidArgumentType", fmt::format("date() takes a string, a map or a DATE, "
                                                   "not a {}", TypeName(v.type())), pos);
  }
}

Value DateNowFunction(const Args& a, size_t pos) {
  if (!a.empty()) {
    if (a[0].is_null()) return Value();
    Bad("the day is taken in UTC: samverkan has no time zones (call it with no argument)", pos);
  }
  return DateFunction({}, pos);
}

Value DateTruncateFunction(const Args& a, size_t pos) {
  if (a[0].is_null() || a[1].is_null()) return Value();
  if (a[0].type() != T::kString) {
    TypeError("InvalidArgumentType", "date.truncate(): the unit must be a string", pos);
  }
  const std::string& unit = a[0].string();
  const Date d = DateArg(a[1], "date.truncate", pos);
  const int y = YearOf(d);
  chr::sys_days start;
  auto year_start = [&](int year) {
    if (year < kMinYear) Bad("date.truncate(): before 0001-01-01", pos);
    return NewYear(year);
  };
  if (unit == "millennium") {
    start = year_start(y / 1000 * 1000);
  } else if (unit == "century") {
    start = year_start(y / 100 * 100);
  } else if (unit == "decade") {
    start = year_start(y / 10 * 10);
  } else if (unit == "year") {
    start = NewYear(y);
  } else if (unit == "weekYear") {
    start = WeekOneMonday(WeekOf(d).year);
  } else if (unit == "quarter") {
    start = QuarterStart(y, QuarterOf(d));
  } else if (unit == "month") {
    start = chr::year{y} / chr::month{MonthOf(d)} / 1;
  } else if (unit == "week") {
    start = SysDays(d) - chr::days{DayOfWeek(d) - 1};
  } else if (unit == "day") {
    start = SysDays(d);
  } else {
    Bad("date.truncate(): unit '" + unit + "' is not one of millennium, century, decade, year, "
        "weekYear, quarter, month, week, day", pos);
  }
  Date truncated = MakeDate(start, pos);
  if (a.size() > 2 && !a[2].is_null()) {
    if (a[2].type() != T::kMap) {
      TypeError("InvalidArgumentType", "date.truncate(): the fields must be a map", pos);
    }
    if (!a[2].map().empty()) truncated = DateFromMap(a[2], truncated, "date.truncate", pos);
  }
  return Value::MakeDate(truncated);
}

Value DurationFunction(const Args& a, size_t pos) {
  const Value& v = a[0];
  switch (v.type()) {
    case T::kNull: return Value();
    case T::kDuration: return v;
    case T::kString: {
      auto d = ParseDuration(v.string(), pos);
      if (!d) {
        Bad("duration(): '" + v.string() + "' is not an ISO 8601 duration (P1Y2M3D, PT4H5M6S, "
            "P2W, P2019-05-01T12:00:00)", pos);
      }
      return Value::MakeDuration(*d);
    }
    case T::kMap: return Value::MakeDuration(DurationFromMap(v, pos));
    default:
      TypeError("InvalidArgumentType", fmt::format("duration() takes a string or a map, not a {}",
                                                   TypeName(v.type())), pos);
  }
}

Value DurationBetweenFunction(const Args& a, size_t pos) {
  if (a[0].is_null() || a[1].is_null()) return Value();
  const Date x = DateArg(a[0], "duration.between", pos), y = DateArg(a[1], "duration.between", pos);
  const int64_t months = MonthsBetween(x, y);
  const Date moved = AddToDate(x, Duration{months, 0, 0, 0}, 1, pos);
  return Value::MakeDuration(Duration{months, y.days - moved.days, 0, 0});
}

Value DurationInMonthsFunction(const Args& a, size_t pos) {
  if (a[0].is_null() || a[1].is_null()) return Value();
  const Date x = DateArg(a[0], "duration.inMonths", pos);
  const Date y = DateArg(a[1], "duration.inMonths", pos);
  return Value::MakeDuration(Duration{MonthsBetween(x, y), 0, 0, 0});
}

Value DurationInDaysFunction(const Args& a, size_t pos) {
  if (a[0].is_null() || a[1].is_null()) return Value();
  const Date x = DateArg(a[0], "duration.inDays", pos), y = DateArg(a[1], "duration.inDays", pos);
  return Value::MakeDuration(Duration{0, int64_t{y.days} - x.days, 0, 0});
}

Value DurationInSecondsFunction(const Args& a, size_t pos) {
  if (a[0].is_null() || a[1].is_null()) return Value();
  const Date x = DateArg(a[0], "duration.inSeconds", pos);
  const Date y = DateArg(a[1], "duration.inSeconds", pos);
  return Value::MakeDuration(Duration{0, 0, (int64_t{y.days} - x.days) * kSecondsPerDay, 0});
}

Value TemporalComponent(const Value& v, std::string_view key, size_t pos) {
  auto num = [](int64_t n) { return Value::Int(n); };
  if (v.type() == T::kDate) {
    const Date d = v.date();
    if (key == "year") return num(YearOf(d));
    if (key == "quarter") return num(QuarterOf(d));
    if (key == "month") return num(MonthOf(d));
    if (key == "week") return num(WeekOf(d).week);
    if (key == "weekYear") return num(WeekOf(d).year);
    if (key == "day") return num(DayOf(d));
    if (key == "ordinalDay") return num(OrdinalDay(d));
    if (key == "weekDay" || key == "dayOfWeek") return num(DayOfWeek(d));
    if (key == "dayOfQuarter") return num(DayOfQuarter(d));
    Bad(fmt::format("a DATE has no component `{}` (it has year, quarter, month, week, weekYear, "
                    "day, ordinalDay, weekDay, dayOfWeek, dayOfQuarter)", key), pos);
  }
  const Duration& d = v.duration();
  const int64_t s = d.seconds, n = d.nanos;
  auto scaled = [&](int64_t per_second, int64_t nanos_per) {
    int64_t out;
    if (__builtin_mul_overflow(s, per_second, &out) ||
        __builtin_add_overflow(out, n / nanos_per, &out)) {
      ArgumentError("NumberOutOfRange", fmt::format("the DURATION's {} overflow an integer", key),
                    pos);
    }
    return Value::Int(out);
  };
  if (key == "years") return num(d.months / 12);
  if (key == "quarters") return num(d.months / 3);
  if (key == "months") return num(d.months);
  if (key == "weeks") return num(d.days / 7);
  if (key == "days") return num(d.days);
  if (key == "hours") return num(s / 3600);
  if (key == "minutes") return num(s / 60);
  if (key == "seconds") return num(s);
  if (key == "milliseconds") return scaled(1000, 1'000'000);
  if (key == "microseconds") return scaled(1'000'000, 1000);
  if (key == "nanoseconds") return scaled(kNanosPerSecond, 1);
  if (key == "quartersOfYear") return num(d.months % 12 / 3);
  if (key == "monthsOfQuarter") return num(d.months % 3);
  if (key == "monthsOfYear") return num(d.months % 12);
  if (key == "daysOfWeek") return num(d.days % 7);
  if (key == "minutesOfHour") return num(s / 60 % 60);
  if (key == "secondsOfMinute") return num(s % 60);
  if (key == "millisecondsOfSecond") return num(n / 1'000'000);
  if (key == "microsecondsOfSecond") return num(n / 1000);
  if (key == "nanosecondsOfSecond") return num(n);
  Bad(fmt::format("a DURATION has no component `{}` (it has years, quarters, months, weeks, "
                  "days, hours, minutes, seconds, milliseconds, microseconds, nanoseconds and "
                  "quartersOfYear, monthsOfQuarter, monthsOfYear, daysOfWeek, minutesOfHour, "
                  "secondsOfMinute, millisecondsOfSecond, microsecondsOfSecond, "
                  "nanosecondsOfSecond)", key), pos);
}

std::optional<Value> TemporalArithmetic(char op, const Value& a, const Value& b, size_t pos) {
  const bool ta = a.type() == T::kDate || a.type() == T::kDuration;
  const bool tb = b.type() == T::kDate || b.type() == T::kDuration;
  if (!ta && !tb) return std::nullopt;
  const T x = a.type(), y = b.type();
  if (op == '+' || op == '-') {
    const int sign = op == '+' ? 1 : -1;
    if (x == T::kDate && y == T::kDuration) {
      return Value::MakeDate(AddToDate(a.date(), b.duration(), sign, pos));
    }
    if (op == '+' && x == T::kDuration && y == T::kDate) {
      return Value::MakeDate(AddToDate(b.date(), a.duration(), 1, pos));
    }
    if (x == T::kDuration && y == T::kDuration) {
      return Value::MakeDuration(Combine(a.duration(), b.duration(), sign, pos));
    }
  }
  if (op == '*' && x == T::kDuration && b.is_number()) {
    return Value::MakeDuration(Scale(a.duration(), b, false, pos));
  }
  if (op == '*' && a.is_number() && y == T::kDuration) {
    return Value::MakeDuration(Scale(b.duration(), a, false, pos));
  }
  if (op == '/' && x == T::kDuration && b.is_number()) {
    return Value::MakeDuration(Scale(a.duration(), b, true, pos));
  }
  std::string hint;
  if (x == T::kDate && y == T::kDate && op == '-') {
    hint = "; for the time between two dates use duration.between(a, b)";
  }
  TypeError("InvalidArgumentType", fmt::format("cannot compute {} {} {}{}", TypeName(x), op,
                                               TypeName(y), hint), pos);
}

Value NegateDuration(const Duration& d, size_t pos) {
  return Value::MakeDuration(Combine(Duration{}, d, -1, pos));
}

}  // namespace samverkan::cypher
