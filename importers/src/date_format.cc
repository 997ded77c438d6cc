#include "date_format.h"

namespace samverkan::importers {

Result<DateFormat> DateFormat::Parse(std::string_view pattern) {
  DateFormat f;
  f.pattern_ = std::string(pattern);
  std::string seen;
  auto literal = [&](char c) {
    if (f.pieces_.empty() || f.pieces_.back().field != 0) f.pieces_.push_back({});
    f.pieces_.back().literal += c;
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      literal(pattern[i]);
      continue;
    }
    if (++i == pattern.size()) {
      return Status::InvalidArgument("'" + f.pattern_ + "' ends in a lone '%'");
    }
    char c = pattern[i];
    if (c == '%') {
      literal('%');
      continue;
    }
    if (std::string_view("YmdHMS").find(c) == std::string_view::npos) {
      return Status::InvalidArgument("'" + f.pattern_ + "': %" + std::string(1, c) +
                                     " is not one of %Y, %m, %d, %H, %M, %S, %%");
    }
    if (seen.find(c) != std::string::npos) {
      return Status::InvalidArgument("'" + f.pattern_ + "' has %" + std::string(1, c) +
                                     " twice");
    }
    seen += c;
    f.pieces_.push_back({c, ""});
  }
  f.has_month_ = seen.find('m') != std::string::npos;
  f.has_day_ = seen.find('d') != std::string::npos;
  if (seen.find('Y') == std::string::npos) {
    return Status::InvalidArgument("'" + f.pattern_ + "' has no %Y (the year)");
  }
  if (f.has_day_ && !f.has_month_) {
    return Status::InvalidArgument("'" + f.pattern_ + "' has %d (the day) but no %m");
  }
  return f;
}

Result<Date> DateFormat::Read(std::string_view text, Date::Partial partial) const {
  auto bad = [&] {
    return Status::InvalidArgument("expected a date as '" + pattern_ + "', found '" +
                                   std::string(text) + "'");
  };
  int year = 0;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  size_t pos = 0;
  for (const Piece& piece : pieces_) {
    if (piece.field == 0) {
      if (text.substr(pos, piece.literal.size()) != piece.literal) return bad();
      pos += piece.literal.size();
      continue;
    }
    const size_t digits = piece.field == 'Y' ? 4 : 2;
    const size_t start = pos;
    int value = 0;
    while (pos < text.size() && pos - start < digits && text[pos] >= '0' && text[pos] <= '9') {
      value = value * 10 + (text[pos++] - '0');
    }
    if (pos == start || (piece.field == 'Y' && pos - start != 4)) return bad();
    switch (piece.field) {
      case 'Y': year = value; break;
      case 'm': month = value; break;
      case 'd': day = value; break;
      case 'H': hour = value; break;
      case 'M': minute = value; break;
      case 'S': second = value; break;
    }
  }
  if (pos != text.size()) return bad();
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return bad();
  if (has_month_ && (month < 1 || month > 12)) return bad();
  // Date::Parse checks the calendar (2019-02-30 is no day) and applies
  // `partial` to a year or a month.
  std::string iso = std::to_string(year);
  iso.insert(0, 4 - iso.size(), '0');
  auto two = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
  if (has_month_) iso += "-" + two(month);
  if (has_day_) iso += "-" + two(day);
  auto date = Date::Parse(iso, partial);
  if (!date.ok()) {
    // "invalid date '2021-02-30': no such day", of the text as written.
    std::string message = date.status().message();
    if (size_t at = message.find(iso); at != std::string::npos) {
      message.replace(at, iso.size(), text);
    }
    return Status::InvalidArgument(message);
  }
  return *date;
}

}  // namespace samverkan::importers
