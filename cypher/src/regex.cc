// regex.cc: see regex.h.
#include "regex.h"

#include <cctype>

#include <re2/re2.h>

#include "error.h"

namespace samverkan::cypher {
namespace {

// Patterns kept per run: a query that makes a new pattern per row (s =~
// n.pattern) must not keep them all.
constexpr size_t kMaxCachedPatterns = 64;

// Java's (?u) (Unicode-aware case folding) is how RE2 always works on
// UTF-8, and RE2 rejects the flag: drop it from leading flag groups, as
// in "(?iu)abc".
std::string WithoutUnicodeFlag(const std::string& pattern) {
  std::string out;
  size_t at = 0;
  while (pattern.compare(at, 2, "(?") == 0) {
    size_t close = at + 2;
    while (close < pattern.size() && std::isalpha(static_cast<unsigned char>(pattern[close]))) {
      ++close;
    }
    if (close >= pattern.size() || pattern[close] != ')' || close == at + 2) break;
    std::string flags;
    for (size_t i = at + 2; i < close; ++i) {
      if (pattern[i] != 'u') flags += pattern[i];
    }
    if (!flags.empty()) out += "(?" + flags + ")";
    at = close + 1;
  }
  return out + pattern.substr(at);
}

// What is wrong with a pattern RE2 refused, for the error message.
std::string Problem(const re2::RE2& re, const std::string& pattern) {
  const std::string& arg = re.error_arg();
  std::string why = re.error();
  if (re.error_code() == re2::RE2::ErrorBadEscape && arg.size() >= 2 && arg[0] == '\\' &&
      arg[1] >= '1' && arg[1] <= '9') {
    why += " (backreferences are not supported)";
  } else if (re.error_code() == re2::RE2::ErrorBadPerlOp &&
             (arg == "(?=" || arg == "(?!" || pattern.find("(?<=") != std::string::npos ||
              pattern.find("(?<!") != std::string::npos)) {
    why += " (lookahead and lookbehind are not supported)";
  } else if (re.error_code() == re2::RE2::ErrorPatternTooLarge) {
    why += " (a compiled pattern may use at most " + std::to_string(kRegexMemory >> 20) +
           " MiB)";
  }
  return why;
}

}  // namespace

bool RegexFullMatch(const std::string& subject, const std::string& pattern, ExecContext& ctx,
                    size_t pos) {
  auto it = ctx.regexes.find(pattern);
  if (it == ctx.regexes.end()) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(kRegexMemory);
    auto re = std::make_shared<re2::RE2>(WithoutUnicodeFlag(pattern), options);
    if (!re->ok()) {
      ArgumentError("InvalidArgumentValue", "invalid regular expression '" + pattern + "': " +
                    Problem(*re, pattern) + "; =~ takes RE2's syntax (docs/cypher.md)", pos);
    }
    if (ctx.regexes.size() >= kMaxCachedPatterns) ctx.regexes.clear();
    it = ctx.regexes.emplace(pattern, std::move(re)).first;
  }
  return re2::RE2::FullMatch(subject, *std::static_pointer_cast<re2::RE2>(it->second));
}

}  // namespace samverkan::cypher
