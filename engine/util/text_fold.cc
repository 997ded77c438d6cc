// Name folding with utf8proc: a small, well-kept library (Julia's) that does
// exactly Unicode normalisation, case folding and mark stripping, without
// pulling in all of ICU.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <memory>

#include <utf8proc.h>

#include "samverkan/text.h"

namespace samverkan {
namespace {

bool IsSeparator(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
      return true;
    default:
      return false;
  }
}

Result<std::string> FoldUnicode(std::string_view text) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto options = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
      UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &mapped, options);
  if (n < 0) return Status::InvalidArgument("name is not valid UTF-8");
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);

  std::string out;
  out.reserve(static_cast<size_t>(n));
  bool pending_space = false;
  utf8proc_ssize_t pos = 0;
  while (pos < n) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = utf8proc_iterate(mapped + pos, n - pos, &cp);
    if (len <= 0) return Status::InvalidArgument("name is not valid UTF-8");
    if (IsSeparator(cp)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(reinterpret_cast<const char*>(mapped + pos), static_cast<size_t>(len));
    }
    pos += len;
  }
  return out;
}

// What folding does to each ASCII character, asked of utf8proc itself
// once: most names are ASCII, and a table is many times faster than
// decomposing them (bulk loads fold a million names).
enum class AsciiFold : uint8_t { kDrop, kSeparator, kKeep };
struct AsciiFolds {
  AsciiFold what[128];
  char to[128];
};

const AsciiFolds& AsciiFoldTable() {
  static const AsciiFolds table = [] {
    AsciiFolds t{};
    for (int c = 0; c < 128; ++c) {
      const char in = static_cast<char>(c);
      // Between two letters, so that a separator shows as a space.
      auto folded = FoldUnicode(std::string("a") + in + "a");
      if (!folded.ok() || *folded == "aa") {
        t.what[c] = AsciiFold::kDrop;
      } else if (*folded == "a a") {
        t.what[c] = AsciiFold::kSeparator;
      } else {
        t.what[c] = AsciiFold::kKeep;
        t.to[c] = folded->size() == 3 ? (*folded)[1] : in;
      }
    }
    return t;
  }();
  return table;
}

}  // namespace

Result<std::string> FoldName(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= 0; })) {
    const AsciiFolds& t = AsciiFoldTable();
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (char c : text) {
      switch (t.what[static_cast<unsigned char>(c)]) {
        case AsciiFold::kDrop: break;
        case AsciiFold::kSeparator: pending_space = !out.empty(); break;
        case AsciiFold::kKeep:
          if (pending_space) out.push_back(' ');
          pending_space = false;
          out.push_back(t.to[static_cast<unsigned char>(c)]);
          break;
      }
    }
    return out;
  }
  return FoldUnicode(text);
}

std::string_view TextDefect(std::string_view text) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto n = static_cast<utf8proc_ssize_t>(text.size());
  utf8proc_ssize_t pos = 0;
  // Keys and types are nearly always ASCII: skip it a byte at a time
  // without decoding (this runs for every edge of a bulk load).
  while (pos < n && p[pos] != 0 && p[pos] < 0x80) ++pos;
  while (pos < n) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = utf8proc_iterate(p + pos, n - pos, &cp);
    if (len <= 0) return "is not valid UTF-8";
    if (cp == 0) return "contains a NUL character (U+0000)";
    pos += len;
  }
  return {};
}

bool IsValidText(std::string_view text) { return TextDefect(text).empty(); }

std::string EscapeForMessage(std::string_view text) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto n = static_cast<utf8proc_ssize_t>(text.size());
  std::string out;
  out.reserve(text.size());
  auto escape = [&](unsigned char byte) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  };
  utf8proc_ssize_t pos = 0;
  while (pos < n) {
    const unsigned char c = p[pos];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n') {
        escape(c);
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++pos;
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = utf8proc_iterate(p + pos, n - pos, &cp);
    if (len <= 0) {
      escape(c);
      ++pos;
    } else {
      out.append(text.substr(static_cast<size_t>(pos), static_cast<size_t>(len)));
      pos += len;
    }
  }
  return out;
}

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto n = static_cast<utf8proc_ssize_t>(text.size());
  out->push_back('"');
  utf8proc_ssize_t pos = 0;
  while (pos < n) {
    const unsigned char c = p[pos];
    if (c >= 0x80) {
      utf8proc_int32_t cp = 0;
      const utf8proc_ssize_t len = utf8proc_iterate(p + pos, n - pos, &cp);
      if (len <= 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD for a byte that is not UTF-8
        ++pos;
      } else {
        out->append(text.substr(static_cast<size_t>(pos), static_cast<size_t>(len)));
        pos += len;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++pos;
  }
  out->push_back('"');
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

}  // namespace samverkan
