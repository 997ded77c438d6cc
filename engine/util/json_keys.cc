// FindDuplicateJsonKey: see samverkan/text.h.
#include <cstdint>
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

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
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

// Decodes the JSON string whose opening quote is at *p (escapes resolved,
// so that "a" and "\u0061" are one name); leaves *p past the closing quote.
std::string DecodeString(const char** p, const char* end) {
  std::string out;
  const char* s = *p + 1;
  while (s < end && *s != '"') {
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
  *p = s < end ? s + 1 : end;
  return out;
}

struct Frame {
  bool object;
  bool expect_key;  // in an object: the next string is a member name
  std::unordered_set<std::string> keys;
};

}  // namespace

std::optional<DuplicateJsonKey> FindDuplicateJsonKey(std::string_view text) {
  std::vector<Frame> stack;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      const char* start = p;
      if (!stack.empty() && stack.back().object && stack.back().expect_key) {
        Frame& f = stack.back();
        f.expect_key = false;
        std::string key = DecodeString(&p, end);
        if (!f.keys.insert(key).second) {
          return DuplicateJsonKey{std::move(key), static_cast<size_t>(start - text.data())};
        }
      } else {
        DecodeString(&p, end);
      }
      continue;
    }
    if (c == '{' || c == '[') {
      stack.push_back({c == '{', c == '{', {}});
    } else if ((c == '}' || c == ']') && !stack.empty()) {
      stack.pop_back();
    } else if (c == ',' && !stack.empty() && stack.back().object) {
      stack.back().expect_key = true;
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
