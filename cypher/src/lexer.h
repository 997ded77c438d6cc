// The Cypher lexer: query text to tokens, each with its byte offset.
//
// Keywords are not tokens of their own: they are identifiers, recognised by
// the parser case-insensitively, since most of them may also name things
// (`MATCH (count)`). Arrows are not tokens either: `-->` is three symbols,
// so that `a<-1` still lexes as `a < -1` in an expression.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/interrupt.h"

namespace samverkan::cypher {

enum class TokenKind : uint8_t {
  kEnd,
  kIdentifier,  // text: the name (backquotes removed for `escaped names`)
  kString,      // text: the unescaped value
  kInteger,     // text: as written (decimal, 0x hex or 0o octal)
  kFloat,       // text: as written
  kParameter,   // text: the name after '$'
  kSymbol,      // text: one of ( ) [ ] { } , . .. : ; | = <> < > <= >= + += - * / % ^ =~ $
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  size_t pos = 0;        // offset of the first byte
  size_t end = 0;        // offset just past the last byte
  bool escaped = false;  // an identifier written in backquotes
};

// Tokenizes the whole text; throws CypherError (SyntaxError) on a bad
// string escape, an unterminated string or comment, or a stray character;
// throws EngineError(Interrupt::Stopped()) when `interrupt` fires.
std::vector<Token> Tokenize(std::string_view text, const Interrupt& interrupt = Interrupt::Never());

}  // namespace samverkan::cypher
