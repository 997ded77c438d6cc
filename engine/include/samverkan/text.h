// Text folding for name lookups.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "samverkan/result.h"

namespace samverkan {

// Folds a name for comparison: Unicode case folding, diacritics removed
// (NFKD, then combining marks dropped), runs of white space and punctuation
// collapsed to one space, trimmed. "  Örebro  Universitet " and
// "orebro universitet" fold alike. InvalidArgument for text that is not UTF-8.
Result<std::string> FoldName(std::string_view text);

// True when `text` is well-formed UTF-8 without NUL characters: what keys,
// names and aliases must be.
bool IsValidText(std::string_view text);

// What keeps `text` from being valid text, for a message: "contains a NUL
// character (U+0000)" or "is not valid UTF-8" (the first found); empty when
// IsValidText(text).
std::string_view TextDefect(std::string_view text);

// `text` made safe to show in a message: valid UTF-8 is kept as it is, and
// every byte that is not part of one (and NUL, and other control characters
// but tab and line feed) is written as \xNN. A message then reaches an SQL
// client as text (Python's sqlite3 would raise UnicodeDecodeError on invalid
// bytes) and is not cut short at a NUL.
std::string EscapeForMessage(std::string_view text);

// Appends `text` to `out` as a JSON string: quoted, with quotes, backslashes
// and control characters escaped, and each byte that is not part of valid
// UTF-8 written as U+FFFD. It allocates nothing but `out`'s growth, so a
// record made with it in a commit cannot run out of memory halfway through
// a destructor, as a JSON document object can (nlohmann::json allocates
// while it is destroyed).
void AppendJsonString(std::string_view text, std::string* out);

// Appends the UTF-8 encoding of the code point `cp` (at most U+10FFFF; the
// caller has checked it, as a JSON or Cypher \u escape is checked) to `out`.
void AppendUtf8(uint32_t cp, std::string* out);

// How deeply JSON may nest: arrays and objects within a property object (the
// object itself is level 1), and within a JSON document an importer reads.
// The same limit as SQLite's JSON functions. Deeper JSON is refused with an
// error: it is never what a user meant, and it would cost stack in every
// program that later reads the value.
inline constexpr int kMaxJsonDepth = 1000;

// The byte offset of the first '[' or '{' in `text` that opens a level deeper
// than `max_depth`, or nullopt when there is none. Strings are skipped. One
// pass over any text, valid JSON or not: call it before parsing.
std::optional<size_t> JsonNestingExceeds(std::string_view text, int max_depth = kMaxJsonDepth);

// JSON with a key twice in one object is refused wherever Samverkan reads
// JSON (properties, imported files, options, Cypher parameters): parsers
// disagree on which value wins, so the text cannot mean one thing.
struct DuplicateJsonKey {
  std::string key;  // decoded: "a" and "\u0061" are the same key
  size_t offset;    // byte offset of its second occurrence's opening quote
};
// The first key that occurs twice in one object of `text`, which must be
// valid JSON (parse it first): one pass, no recursion.
std::optional<DuplicateJsonKey> FindDuplicateJsonKey(std::string_view text);
// "the key "k" appears twice in one JSON object (keys must be unique)",
// the key escaped as EscapeForMessage does.
std::string DuplicateJsonKeyMessage(const DuplicateJsonKey& duplicate);

}  // namespace samverkan
