// An RFC 4180 CSV reader over a buffer in memory.
//
// Fields are separated by ',' and records by LF or CRLF. A field may be
// quoted with '"'; inside quotes, '""' is one quote and commas and line
// breaks are data. Another separator and quote may be chosen (CsvSyntax:
// ';' and '"' as many European exports write). A UTF-8 byte order mark at the start is skipped. What
// RFC 4180 forbids is an error with its line and column: a quote inside an
// unquoted field, anything but a separator after a closing quote, and a
// quoted field that never ends. (Why not a library: docs/dependencies.md.)
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "problems.h"

namespace samverkan::importers {

struct CsvSyntax {
  char delim = ',';
  char quote = '"';
};

struct CsvField {
  std::string_view text;  // unescaped; valid until the next Next()
  bool quoted = false;    // written in quotes: "" is an empty string, not a missing value
  size_t offset = 0;      // byte offset of the field's first character in the buffer
};

// "a tab" or "';'", for messages.
std::string DelimName(char delim);

class CsvReader {
 public:
  explicit CsvReader(std::string_view data, CsvSyntax syntax = {});
  // Reads from `begin`, which starts a record on line `line`.
  CsvReader(std::string_view data, size_t begin, uint64_t line, CsvSyntax syntax = {});

  // Reads the next record into `fields`. Returns false at the end of the
  // data, or on a syntax error (then error() is non-empty and the reader
  // has skipped to the start of the next line, so reading may go on).
  // A blank line is a record with one empty, unquoted field.
  bool Next(std::vector<CsvField>& fields);

  const std::string& error() const { return error_; }
  // Where the error was found, as a byte offset into the buffer.
  size_t error_offset() const { return error_offset_; }
  bool at_end() const { return pos_ >= data_.size(); }

  // The line the last record started on, and its byte offset.
  uint64_t record_line() const { return record_line_; }
  size_t record_offset() const { return record_offset_; }
  // Bytes consumed so far, and the line the next record starts on.
  size_t position() const { return pos_; }
  uint64_t line() const { return line_; }

  // The location of a byte offset of the current record (for messages).
  Location Locate(std::string_view file, size_t offset) const {
    return LocateOffset(file, data_, offset, LineStart(record_offset_), record_line_);
  }

 private:
  size_t LineStart(size_t offset) const;
  bool Fail(std::string message, size_t offset);

  std::string_view data_;
  CsvSyntax syntax_;
  size_t pos_ = 0;
  uint64_t line_ = 1;  // line at pos_
  uint64_t record_line_ = 1;
  size_t record_offset_ = 0;
  std::string error_;
  size_t error_offset_ = 0;
  std::deque<std::string> unescaped_;  // storage for quoted fields with "" inside
};

}  // namespace samverkan::importers
