// FindDuplicateJsonKey: see samverkan/text.h.
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "samverkan/text.h"

namespace samverkan {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the four hex digits at `p`, or -1.
int32_t Hex4(const char* p, const char* end) {
  if (end - p < 4) return -1;
  int32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    int d = HexDigit(p[i]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// The position of the closing quote of the string whose opening quote is
// at `p` (or `end`), and whether the string has escapes.
const char* StringEnd(const char* p, const char* end, bool* escaped) {
  *escaped = false;
  ++p;
  while (p < end) {
    const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
    if (q == nullptr) return end;
    size_t backslashes = 0;
    while (q - backslashes > p && q[-1 - static_cast<ptrdiff_t>(backslashes)] == '\\') {
      ++backslashes;
    }
    if (!*escaped) *escaped = std::memchr(p, '\\', static_cast<size_t>(q - p)) != nullptr;
    if (backslashes % 2 == 0) return q;
    p = q + 1;
  }
  return end;
}

// The text of a JSON string's contents with its escapes resolved, so that
// "a" and "\u0061" are one name.
std::string Decode(const char* s, const char* end) {
  std::string out;
  while (s < end) {
    if (*s != '\\' || s + 1 >= end) {
      out.push_back(*s++);
      continue;
    }
    char e = s[1];
    s += 2;
    switch (e) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        int32_t cp = Hex4(s, end);
        if (cp < 0) break;
        s += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && end - s >= 6 && s[0] == '\\' && s[1] == 'u') {
          int32_t low = Hex4(s + 2, end);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            s += 6;
          }
        }
        AppendUtf8(static_cast<uint32_t>(cp), &out);
        break;
      }
      default: out.push_back(e); break;  // " \ /
    }
  }
  return out;
}

// One open object or array. Frames are reused from one object to the next
// (clear() keeps the memory): imports call this once per record.
struct Frame {
  bool object = false;
  bool expect_key = false;  // in an object: the next string is a member name
  std::vector<std::string> keys;          // while the object has few keys
  std::unordered_set<std::string> many;   // then
  void Open(bool is_object) {
    object = expect_key = is_object;
    keys.clear();
    many.clear();
  }
  // False when the object has `key` already.
  bool Add(std::string key) {
    constexpr size_t kFew = 16;
    if (many.empty()) {
      for (const auto& k : keys) {
        if (k == key) return false;
      }
      keys.push_back(std::move(key));
      if (keys.size() > kFew) many.insert(keys.begin(), keys.end());
      return true;
    }
    return many.insert(std::move(key)).second;
  }
};

}  // namespace

std::optional<DuplicateJsonKey> FindDuplicateJsonKey(std::string_view text) {
  thread_local std::vector<Frame> stack;
  // Keeps the frames of small documents for the next call, not the memory
  // of a big one.
  struct Trim {
    ~Trim() {
      bool big = stack.size() > 32;
      for (const auto& f : stack) big |= !f.many.empty();
      if (big) std::vector<Frame>().swap(stack);
    }
  } trim;
  size_t depth = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      bool escaped = false;
      const char* close = StringEnd(p, end, &escaped);
      if (depth > 0 && stack[depth - 1].object && stack[depth - 1].expect_key) {
        Frame& f = stack[depth - 1];
        f.expect_key = false;
        std::string key = escaped ? Decode(p + 1, close) : std::string(p + 1, close);
        if (!f.Add(key)) {
          return DuplicateJsonKey{std::move(key), static_cast<size_t>(p - text.data())};
        }
      }
      p = close < end ? close + 1 : end;
      continue;
    }
    if (c == '{' || c == '[') {
      if (stack.size() == depth) stack.emplace_back();
      stack[depth++].Open(c == '{');
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    } else if (c == ',' && depth > 0 && stack[depth - 1].object) {
      stack[depth - 1].expect_key = true;
    }
    ++p;
  }
  return std::nullopt;
}

std::string DuplicateJsonKeyMessage(const DuplicateJsonKey& duplicate) {
  return "the key \"" + EscapeForMessage(duplicate.key) +
         "\" appears twice in one JSON object (keys must be unique)";
}

}  // namespace samverkan
