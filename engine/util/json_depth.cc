// JsonNestingExceeds: see samverkan/text.h.
#include <cstring>

#include "samverkan/text.h"

namespace samverkan {

std::optional<size_t> JsonNestingExceeds(std::string_view text, int max_depth) {
  int depth = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      // Jump to the closing quote, past escaped characters.
      ++p;
      while (p < end) {
        const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
        if (q == nullptr) return std::nullopt;  // unterminated: the parser will say so
        size_t backslashes = 0;
        while (q - backslashes > p && q[-1 - static_cast<ptrdiff_t>(backslashes)] == '\\') {
          ++backslashes;
        }
        p = q + 1;
        if (backslashes % 2 == 0) break;
      }
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > max_depth) return static_cast<size_t>(p - text.data());
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    ++p;
  }
  return std::nullopt;
}

}  // namespace samverkan
