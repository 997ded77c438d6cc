// Dates written in a format other than ISO ("31.12.2019 14:30"), read by a
// strftime-style pattern (CsvDialect::dateformat).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "samverkan/result.h"
#include "samverkan/types.h"

namespace samverkan::importers {

class DateFormat {
 public:
  // The pattern's directives are %Y (four digits), %m, %d, %H, %M, %S (one
  // or two digits) and %%; anything else stands for itself. InvalidArgument
  // for another directive, a field given twice, %d without %m, or a pattern
  // without %Y.
  static Result<DateFormat> Parse(std::string_view pattern);

  // The date `text` spells, all of it. The time of day is checked (hours
  // 0-23, minutes and seconds 0-59) and dropped. Without %d (or %m) the date
  // is `partial`'s day of the month (or year). InvalidArgument says what
  // was expected.
  Result<Date> Read(std::string_view text, Date::Partial partial = Date::Partial::kFirstDay) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Piece {
    char field = 0;        // 'Y', 'm', 'd', 'H', 'M', 'S'; 0: the literal
    std::string literal;   // text that must be there
  };

  std::string pattern_;
  std::vector<Piece> pieces_;
  bool has_month_ = false;
  bool has_day_ = false;
};

}  // namespace samverkan::importers
