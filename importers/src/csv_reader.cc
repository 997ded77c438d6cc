#include "csv_reader.h"

#include <cstring>

namespace samverkan::importers {

std::string DelimName(char delim) {
  return delim == '\t' ? std::string("a tab") : "'" + std::string(1, delim) + "'";
}

CsvReader::CsvReader(std::string_view data, CsvSyntax syntax) : data_(data), syntax_(syntax) {
  if (data_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

CsvReader::CsvReader(std::string_view data, size_t begin, uint64_t line, CsvSyntax syntax)
    : data_(data), syntax_(syntax), pos_(begin), line_(line), record_line_(line),
      record_offset_(begin) {}

size_t CsvReader::LineStart(size_t offset) const {
  while (offset > 0 && data_[offset - 1] != '\n') --offset;
  return offset;
}

bool CsvReader::Fail(std::string message, size_t offset) {
  error_ = std::move(message);
  error_offset_ = offset;
  // Skip to the next line so that the caller can report and go on.
  size_t nl = data_.find('\n', offset);
  for (size_t i = pos_; i < (nl == std::string_view::npos ? data_.size() : nl); ++i) {
    if (data_[i] == '\n') ++line_;
  }
  if (nl == std::string_view::npos) {
    pos_ = data_.size();
  } else {
    pos_ = nl + 1;
    ++line_;
  }
  return false;
}

bool CsvReader::Next(std::vector<CsvField>& fields) {
  fields.clear();
  error_.clear();
  unescaped_.clear();
  if (pos_ >= data_.size()) return false;
  record_line_ = line_;
  record_offset_ = pos_;
  const char* const base = data_.data();
  const size_t n = data_.size();
  const char delim = syntax_.delim;
  const char quote = syntax_.quote;
  size_t p = pos_;
  while (true) {
    CsvField field;
    field.offset = p;
    if (p < n && base[p] == quote) {
      // Quoted: find the closing quote, unescaping "" if there are any.
      field.quoted = true;
      size_t start = ++p;
      std::string* copy = nullptr;
      while (true) {
        const void* q = std::memchr(base + p, quote, n - p);
        if (q == nullptr) {
          pos_ = p;
          return Fail(std::string("unterminated quoted field (expected a closing '") + quote +
                          "')",
                      field.offset);
        }
        size_t qp = static_cast<const char*>(q) - base;
        for (size_t i = p; i < qp; ++i) line_ += base[i] == '\n';
        if (qp + 1 < n && base[qp + 1] == quote) {  // "" is one quote
          if (copy == nullptr) copy = &unescaped_.emplace_back();
          copy->append(base + p, qp + 1 - p);
          p = qp + 2;
          continue;
        }
        if (copy != nullptr) {
          copy->append(base + p, qp - p);
          field.text = *copy;
        } else {
          field.text = std::string_view(base + start, qp - start);
        }
        p = qp + 1;
        break;
      }
      if (p < n && base[p] != delim && base[p] != '\n' &&
          !(base[p] == '\r' && (p + 1 == n || base[p + 1] == '\n'))) {
        pos_ = p;
        return Fail(std::string("expected ") + DelimName(delim) +
                        " or the end of the line after a closing quote",
                    p);
      }
    } else {
      size_t start = p;
      while (p < n) {
        char c = base[p];
        if (c == delim || c == '\n') break;
        if (c == '\r' && (p + 1 == n || base[p + 1] == '\n')) break;
        if (c == quote) {
          pos_ = p;
          return Fail(std::string("unexpected '") + quote +
                          "' in an unquoted field (quote the whole field)",
                      p);
        }
        ++p;
      }
      field.text = std::string_view(base + start, p - start);
    }
    fields.push_back(field);
    if (p >= n) break;
    if (base[p] == delim) {
      ++p;
      continue;
    }
    if (base[p] == '\r') ++p;
    ++p;  // '\n'
    ++line_;
    break;
  }
  pos_ = p;
  return true;
}

}  // namespace samverkan::importers
