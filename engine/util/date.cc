// Civil-date arithmetic after Howard Hinnant's "chrono-compatible low-level
// date algorithms" (days_from_civil / civil_from_days), written for int32 days.
#include <charconv>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "samverkan/types.h"

namespace samverkan {
namespace {

struct Ymd {
  int year;
  unsigned month;
  unsigned day;
};

int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int64_t{era} * 146097 + static_cast<int64_t>(doe) - 719468;
}

Ymd CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), m, d};
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Parses exactly `width` ASCII digits at text[pos].
bool ParseDigits(std::string_view text, size_t pos, size_t width, unsigned* out) {
  if (pos + width > text.size()) return false;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, *out);
  return ec == std::errc() && ptr == text.data() + pos + width;
}

}  // namespace

Date Date::FromYmd(int year, unsigned month, unsigned day) {
  return Date{static_cast<int32_t>(DaysFromCivil(year, month, day))};
}

Result<Date> Date::Parse(std::string_view iso, Partial partial) {
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("invalid date '{}': expected YYYY-MM-DD", iso));
  };
  const bool last = partial == Partial::kLastDay;
  unsigned year = 0, month = 1, day = 1;
  if (!ParseDigits(iso, 0, 4, &year)) return bad();
  if (iso.size() == 4) return last ? FromYmd(static_cast<int>(year), 12, 31)
                                   : FromYmd(static_cast<int>(year), 1, 1);
  if (iso.size() < 7 || iso[4] != '-' || !ParseDigits(iso, 5, 2, &month)) return bad();
  if (iso.size() > 7) {
    if (iso.size() != 10 || iso[7] != '-' || !ParseDigits(iso, 8, 2, &day)) return bad();
  }
  if (month < 1 || month > 12) {
    return Status::InvalidArgument(fmt::format("invalid date '{}': no such month", iso));
  }
  if (iso.size() == 7 && last) day = DaysInMonth(static_cast<int>(year), month);
  if (day < 1 || day > DaysInMonth(static_cast<int>(year), month)) {
    return Status::InvalidArgument(fmt::format("invalid date '{}': no such day", iso));
  }
  return FromYmd(static_cast<int>(year), month, day);
}

std::string Date::ToString() const {
  Ymd c = CivilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

int Date::Year() const { return CivilFromDays(days).year; }

}  // namespace samverkan
