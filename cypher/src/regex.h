// Cypher's regular-expression match (`s =~ pattern`), over RE2.
//
// RE2 matches in time linear in the subject and never recurses on it, so
// no pattern can hang a query ('(a+)+b') or overflow the stack (a long
// subject). Its syntax is Perl's and Java's without what needs
// backtracking: backreferences (\1) and lookaround ((?=, (?!, (?<=, (?<!)
// are refused with an ArgumentError that says so. The pattern must match
// the whole string, as in Java's String.matches. See docs/cypher.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "exec.h"

namespace samverkan::cypher {

// The most memory one compiled pattern may use (RE2's max_mem: its program
// and the caches it builds while matching). A pattern whose program would
// not fit is refused as too large.
inline constexpr int64_t kRegexMemory = 8 << 20;

// Whether all of `subject` matches `pattern`. Compiles each pattern once
// per run (kept in ctx). ArgumentError (InvalidArgumentValue) at `pos`
// for a pattern RE2 refuses, naming the pattern and the reason.
bool RegexFullMatch(const std::string& subject, const std::string& pattern, ExecContext& ctx,
                    size_t pos);

}  // namespace samverkan::cypher
