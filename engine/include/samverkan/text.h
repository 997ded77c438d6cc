// Text folding for name lookups.
#pragma once

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

}  // namespace samverkan
