#include "json_positions.h"

#include <iterator>
#include <vector>

#include "json_error.h"

namespace samverkan::importers {
namespace {

using nlohmann::json;

// A char iterator that publishes how far the parser has read: nlohmann's
// lexer reads one character at a time through it, so at each SAX callback
// *cursor is just past the token that triggered it.
struct CountingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* p;
  const char** cursor;

  reference operator*() const { return *p; }
  CountingIterator& operator++() {
    ++p;
    *cursor = p;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& o) const { return p == o.p; }
  bool operator!=(const CountingIterator& o) const { return p != o.p; }
};

class PositionSax {
 public:
  PositionSax(std::string_view text, PositionedJson* out)
      : text_(text), out_(out), dom_(out->value, /*allow_exceptions=*/false),
        cursor_(text.data()) {}

  const char** cursor() { return &cursor_; }

  bool null() { Value(false); return dom_.null(); }
  bool boolean(bool v) { Value(false); return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { Value(false); return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { Value(false); return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    Value(false);
    return dom_.number_float(v, s);
  }
  bool string(json::string_t& v) { Value(false); return dom_.string(v); }
  bool binary(json::binary_t& v) { Value(false); return dom_.binary(v); }
  bool start_object(std::size_t n) {
    stack_.push_back({false, 0, Value(true)});
    return dom_.start_object(n);
  }
  bool end_object() {
    stack_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) {
    stack_.push_back({true, 0, Value(true)});
    return dom_.start_array(n);
  }
  bool end_array() {
    stack_.pop_back();
    return dom_.end_array();
  }
  bool key(json::string_t& k) {
    // The lexer stands just past the closing quote: walk back to the opening one.
    size_t end = Offset();
    size_t start = end >= 2 ? end - 2 : 0;
    while (start > 0) {
      if (text_[start] == '"') {
        size_t backslashes = 0;
        while (start > backslashes && text_[start - 1 - backslashes] == '\\') ++backslashes;
        if (backslashes % 2 == 0) break;
      }
      --start;
    }
    member_ = stack_.back().path + "/" + k;
    out_->offsets.emplace(member_, start);
    return dom_.key(k);
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    out_->failed = true;
    out_->error_offset = position > 0 ? position - 1 : 0;
    if (const auto* pe = dynamic_cast<const json::parse_error*>(&e)) {
      out_->error = JsonErrorText(*pe);
    } else {
      out_->error = e.what();
    }
    return false;
  }

 private:
  struct Frame {
    bool array;
    size_t next;
    std::string path;
  };

  size_t Offset() const { return static_cast<size_t>(cursor_ - text_.data()); }

  // The path of the value about to be stored; records array elements.
  std::string Value(bool container) {
    if (stack_.empty()) return "";
    Frame& f = stack_.back();
    if (!f.array) return member_;
    std::string path = f.path + "/" + std::to_string(f.next++);
    size_t at = Offset();
    out_->offsets.emplace(path, container && at > 0 ? at - 1 : at);
    return path;
  }

  std::string_view text_;
  PositionedJson* out_;
  nlohmann::detail::json_sax_dom_parser<json> dom_;
  const char* cursor_;
  std::vector<Frame> stack_;
  std::string member_;
};

}  // namespace

size_t PositionedJson::OffsetOf(std::string path) const {
  while (true) {
    auto it = offsets.find(path);
    if (it != offsets.end()) return it->second;
    size_t slash = path.rfind('/');
    if (slash == std::string::npos || path.empty()) return 0;
    path.resize(slash);
  }
}

PositionedJson ParseWithPositions(std::string_view text) {
  PositionedJson out;
  PositionSax sax(text, &out);
  CountingIterator first{text.data(), sax.cursor()};
  CountingIterator last{text.data() + text.size(), sax.cursor()};
  bool ok = json::sax_parse(first, last, &sax);
  if (!ok && !out.failed) {
    out.failed = true;
    out.error = "invalid JSON";
  }
  return out;
}

}  // namespace samverkan::importers
