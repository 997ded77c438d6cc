// The Cypher parser: tokens to a syntax tree (ast.h).
//
// Recursive descent over openCypher 9's grammar, for the part of it
// docs/cypher.md lists. Errors are SyntaxError CypherErrors with the byte
// offset of the token that went wrong ("UnexpectedSyntax", or a more
// precise TCK code such as "IntegerOverflow").
#pragma once

#include <string_view>

#include "ast.h"

namespace samverkan::cypher {

Query Parse(std::string_view text);

}  // namespace samverkan::cypher
