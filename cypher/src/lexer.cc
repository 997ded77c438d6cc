// lexer.cc: see lexer.h.
#include "lexer.h"

#include <cctype>
#include <cstdio>

#include "error.h"
#include "samverkan/text.h"

namespace samverkan::cypher {
namespace {

bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdentPart(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// The code point of the (valid) UTF-8 sequence at s[i], and its length.
uint32_t CodePointAt(std::string_view s, size_t i, size_t* len) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(i + k < s.size() ? s[i + k] : 0); };
  const unsigned char c = b(0);
  if (c < 0xE0) {
    *len = 2;
    return ((c & 0x1Fu) << 6) | (b(1) & 0x3Fu);
  }
  if (c < 0xF0) {
    *len = 3;
    return ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
  }
  *len = 4;
  return ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
}

// Non-ASCII punctuation, spaces and symbols, which can be no part of a name:
// most often a typographic dash or quote pasted for - or '. (The few of
// these blocks that Unicode lets continue a name are let through.)
bool IsUnicodePunctuation(uint32_t cp) {
  if (cp == 0xAA || cp == 0xB5 || cp == 0xB7 || cp == 0xBA || cp == 0x200C || cp == 0x200D ||
      cp == 0x203F || cp == 0x2040 || cp == 0x2054) {
    return false;
  }
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 ||
         cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2190 && cp <= 0x23FF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE50 && cp <= 0xFE6F) ||
         (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20);
}

class Lexer {
 public:
  Lexer(std::string_view text, const Interrupt& interrupt) : s_(text), interrupt_(interrupt) {}

  std::vector<Token> Run() {
    std::vector<Token> out;
    for (;;) {
      // A token takes a few nanoseconds: ask every so many.
      if (out.size() % 4096 == 4095 && interrupt_.Requested()) throw EngineError(Interrupt::Stopped());
      SkipSpaceAndComments();
      Token t;
      t.pos = i_;
      if (i_ >= s_.size()) {
        t.kind = TokenKind::kEnd;
        t.end = i_;
        out.push_back(std::move(t));
        return out;
      }
      unsigned char c = s_[i_];
      if (IsIdentStart(c)) {
        size_t start = i_;
        while (i_ < s_.size() && IsIdentPart(s_[i_])) {
          if (static_cast<unsigned char>(s_[i_]) < 0x80) {
            ++i_;
            continue;
          }
          size_t len = 1;
          const uint32_t cp = CodePointAt(s_, i_, &len);
          if (IsUnicodePunctuation(cp)) {
            std::string shown;
            AppendUtf8(cp, &shown);
            char hex[16];
            std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(cp));
            SyntaxError("InvalidUnicodeCharacter", "'" + shown + "' (" + hex +
                        ") cannot appear here (a typographic dash or quote for - or '?)", i_);
          }
          i_ += len;
        }
        t.kind = TokenKind::kIdentifier;
        t.text = std::string(s_.substr(start, i_ - start));
      } else if (c == '`') {
        t.kind = TokenKind::kIdentifier;
        t.escaped = true;
        t.text = Escaped();
      } else if (std::isdigit(c) || (c == '.' && i_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_ + 1])) &&
                                      !(i_ > 0 && s_[i_ - 1] == '.'))) {
        Number(&t);
      } else if (c == '\'' || c == '"') {
        t.kind = TokenKind::kString;
        t.text = String(static_cast<char>(c));
      } else if (c == '$') {
        ++i_;
        t.kind = TokenKind::kParameter;
        if (i_ < s_.size() && s_[i_] == '`') {
          t.text = Escaped();
        } else {
          size_t start = i_;
          while (i_ < s_.size() && IsIdentPart(s_[i_])) ++i_;
          t.text = std::string(s_.substr(start, i_ - start));
          if (t.text.empty()) SyntaxError("UnexpectedSyntax", "expected a parameter name after '$'", t.pos);
        }
      } else {
        Symbol(&t);
      }
      t.end = i_;
      out.push_back(std::move(t));
    }
  }

 private:
  void SkipSpaceAndComments() {
    while (i_ < s_.size()) {
      unsigned char c = s_[i_];
      if (std::isspace(c)) {
        ++i_;
      } else if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '/') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '*') {
        size_t start = i_;
        size_t close = s_.find("*/", i_ + 2);
        if (close == std::string_view::npos) {
          SyntaxError("UnexpectedSyntax", "unterminated comment", start);
        }
        i_ = close + 2;
      } else if (c == 0xC2 && i_ + 1 < s_.size() && static_cast<unsigned char>(s_[i_ + 1]) == 0xA0) {
        i_ += 2;  // no-break space
      } else {
        return;
      }
    }
  }

  std::string Escaped() {
    size_t start = i_;
    ++i_;  // the opening backquote
    std::string name;
    for (;;) {
      if (i_ >= s_.size()) SyntaxError("UnexpectedSyntax", "unterminated `escaped name`", start);
      if (s_[i_] == '`') {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '`') {
          name.push_back('`');
          i_ += 2;
          continue;
        }
        ++i_;
        return name;
      }
      name.push_back(s_[i_++]);
    }
  }

  void Number(Token* t) {
    size_t start = i_;
    bool is_float = false;
    if (s_[i_] == '0' && i_ + 1 < s_.size() && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'o')) {
      i_ += 2;
      while (i_ < s_.size() && IsIdentPart(s_[i_])) ++i_;
    } else {
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      if (i_ + 1 < s_.size() && s_[i_] == '.' && std::isdigit(static_cast<unsigned char>(s_[i_ + 1]))) {
        is_float = true;
        ++i_;
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      }
      if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
        size_t j = i_ + 1;
        if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
        if (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) {
          is_float = true;
          i_ = j;
          while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        }
      }
      // Letters glued to a number (`1abc`) make a bad literal, not two tokens.
      while (i_ < s_.size() && IsIdentPart(s_[i_])) ++i_;
    }
    t->kind = is_float ? TokenKind::kFloat : TokenKind::kInteger;
    t->text = std::string(s_.substr(start, i_ - start));
  }

  uint32_t Hex(size_t digits, size_t escape_at) {
    if (i_ + digits > s_.size()) {
      SyntaxError("InvalidUnicodeLiteral", "invalid unicode escape", escape_at);
    }
    uint32_t cp = 0;
    for (size_t k = 0; k < digits; ++k) {
      char h = s_[i_ + k];
      cp <<= 4;
      if (h >= '0' && h <= '9') {
        cp |= static_cast<uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        cp |= static_cast<uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        cp |= static_cast<uint32_t>(h - 'A' + 10);
      } else {
        SyntaxError("InvalidUnicodeLiteral", "invalid unicode escape", escape_at);
      }
    }
    i_ += digits;
    return cp;
  }

  std::string String(char quote) {
    size_t start = i_;
    ++i_;
    std::string out;
    for (;;) {
      if (i_ >= s_.size()) SyntaxError("UnexpectedSyntax", "unterminated string", start);
      char c = s_[i_];
      if (c == quote) {
        ++i_;
        return out;
      }
      if (c != '\\') {
        out.push_back(c);
        ++i_;
        continue;
      }
      size_t escape_at = i_;
      if (i_ + 1 >= s_.size()) SyntaxError("UnexpectedSyntax", "unterminated string", start);
      char e = s_[i_ + 1];
      i_ += 2;
      switch (e) {
        case '\\': out.push_back('\\'); break;
        case '\'': out.push_back('\''); break;
        case '"': out.push_back('"'); break;
        case 'b': case 'B': out.push_back('\b'); break;
        case 'f': case 'F': out.push_back('\f'); break;
        case 'n': case 'N': out.push_back('\n'); break;
        case 'r': case 'R': out.push_back('\r'); break;
        case 't': case 'T': out.push_back('\t'); break;
        case 'u': case 'U': {
          uint32_t cp = Hex(e == 'u' ? 4 : 8, escape_at);
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            SyntaxError("InvalidUnicodeLiteral", "invalid unicode escape", escape_at);
          }
          AppendUtf8(cp, &out);
          break;
        }
        default:
          SyntaxError("InvalidUnicodeLiteral",
                      std::string("invalid escape sequence '\\") + e + "' in a string", escape_at);
      }
    }
  }

  void Symbol(Token* t) {
    static const char* const kTwo[] = {"..", "<>", "<=", ">=", "+=", "=~", "!="};
    t->kind = TokenKind::kSymbol;
    for (const char* two : kTwo) {
      if (s_.substr(i_, 2) == two) {
        t->text = two;
        i_ += 2;
        return;
      }
    }
    static const std::string_view kOne = "()[]{},.:;|=<>+-*/%^";
    unsigned char c = s_[i_];
    if (kOne.find(static_cast<char>(c)) == std::string_view::npos) {
      SyntaxError("UnexpectedSyntax", std::string("unexpected character '") + static_cast<char>(c) + "'", i_);
    }
    t->text = std::string(1, static_cast<char>(c));
    ++i_;
  }

  std::string_view s_;
  const Interrupt& interrupt_;
  size_t i_ = 0;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view text, const Interrupt& interrupt) {
  return Lexer(text, interrupt).Run();
}

}  // namespace samverkan::cypher
