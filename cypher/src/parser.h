// The Cypher parser: tokens to a syntax tree (ast.h).
//
// Recursive descent over openCypher 9's grammar, for the part of it
// docs/cypher.md lists. Errors are SyntaxError CypherErrors with the byte
// offset of the token that went wrong ("UnexpectedSyntax", or a more
// precise TCK code such as "IntegerOverflow", or "NestingTooDeep" past
// kMaxNesting levels).
//
// Time is linear in the text: where the grammar is ambiguous (a '(' may
// open a pattern or an expression, a '[' a pattern comprehension or a list)
// a recognizer that only looks at tokens, skipping bracketed parts through a
// table of matching brackets and remembering what it found at each place,
// decides before anything is built, so nothing is parsed twice.
#pragma once

#include <string_view>

#include "ast.h"
#include "samverkan/interrupt.h"

namespace samverkan::cypher {

// Throws EngineError(Interrupt::Stopped()) when `interrupt` fires.
Query Parse(std::string_view text, const Interrupt& interrupt = Interrupt::Never());

}  // namespace samverkan::cypher
