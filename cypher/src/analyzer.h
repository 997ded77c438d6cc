// The analyzer: checks a parsed query the way openCypher's semantic rules
// say, and annotates it for the planner.
//
// It resolves every variable to a slot of the row (slots are numbered for
// the whole query and never reused, so a row can carry every variable a
// query has seen), checks scoping and variable kinds, aggregation rules,
// clause order, literal arguments (SKIP -1) and function names, and lists
// the columns the query returns. Errors are CypherErrors of kind
// SyntaxError with the TCK's codes (UndefinedVariable, VariableTypeConflict,
// VariableAlreadyBound, ...).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "ast.h"

namespace samverkan::cypher {

struct Analysis {
  std::set<std::string> parameters;  // the $names the query uses
};

struct CallableProcedure;
// `procedures`: table procedures CALL may name besides the built-in ones.
Analysis Analyze(Query* query, const std::vector<CallableProcedure>* procedures = nullptr);

// Structural equality of two expressions (the same text up to spacing and
// case of keywords), as the aggregation rules compare them.
bool SameExpr(const Expr& a, const Expr& b);

}  // namespace samverkan::cypher
