// Evaluating expressions over a row.
//
// Errors throw CypherError (TypeError, ArgumentError, ...) with the offset
// of the expression that failed. The row is mutable only so that list
// comprehensions, quantifiers and reduce() can bind their variable in a
// slot of their own.
#pragma once

#include "exec.h"
#include "value_ops.h"

namespace samverkan::cypher {

Value Eval(const Expr& e, Row& row, ExecContext& ctx);

// A predicate (WHERE): the truth of `e`; null is "not true". Pattern
// predicates are answered by existence, without building their paths.
Tri EvalPredicate(const Expr& e, Row& row, ExecContext& ctx);

// A property of a node, relationship or map (null for null).
Value PropertyOf(const Value& base, const std::string& key, ExecContext& ctx, size_t pos);
// openCypher makes a DATE compared with a STRING null (or false for `=`),
// which would silently empty a query written when dates were text
// (r.valid_from >= '2021-01-01'): every comparison of the two, in an
// expression, IN or a pattern's property map, is refused instead with a
// TypeError naming the fix. (The analyser refuses the cases the text
// shows, before the query runs.)
void CheckNotDateAgainstString(const Value& a, const Value& b, size_t pos);

}  // namespace samverkan::cypher
