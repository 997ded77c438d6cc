// A CSV file's text in the encoding it was written in (CsvDialect::
// encoding), converted to UTF-8 with glibc's iconv before it is read.
#pragma once

#include <string>
#include <string_view>

#include "samverkan/result.h"

namespace samverkan::importers {

enum class TextEncoding { kUtf8, kCp1252, kLatin1 };

// "utf-8"/"utf8", "cp1252"/"windows-1252", "latin-1"/"latin1"/"iso-8859-1"
// (any case). InvalidArgument lists them.
Result<TextEncoding> ParseTextEncoding(std::string_view name);

// `data`, a single-byte encoding's text, as UTF-8: lines stay lines and
// each byte becomes one character, so a problem's line and column are the
// same in both. `*bad_offset` is set to the offset of a byte the encoding
// does not define (cp1252 leaves five undefined), and the result is then
// InvalidArgument naming the byte.
Result<std::string> SingleByteToUtf8(std::string_view data, TextEncoding encoding,
                                     size_t* bad_offset);

}  // namespace samverkan::importers
