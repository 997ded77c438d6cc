// A filter on one property column: a WHERE conjunct (or a pattern's
// property) that compares a column with a constant, tests it IN a constant
// list, tests a string (STARTS WITH, ENDS WITH, CONTAINS) or IS [NOT] NULL;
// or one that compares two columns of one number or date type
// (`e2.valid_from >= e1.valid_from`).
//
// It gives the row path's answer without making a Value per row where it
// can: a number or date column compared with a constant of its kind is
// tested on the column's array; a coded column (strings, booleans,
// sectors) is tested once per code, then by code; only a JSON column makes
// a Value per row.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ast.h"
#include "column_rows.h"

namespace samverkan::cypher {

struct ColumnCondition {
  ColumnRef* col = nullptr;
  ExprKind kind = ExprKind::kBinary;  // or kIsNull, kIsNotNull
  Op op = Op::kEq;
  bool col_left = true;  // `col op constant`, else `constant op col`
  Value constant;
  // `col op other`: both integers, both dates or both doubles (Prepare
  // refuses other pairs); no constant.
  ColumnRef* other = nullptr;

  // Sets up the fast tests below for the column's type; false when the
  // comparison is one the row path raises an error for (a DATE against a
  // STRING), which the row path must then run.
  bool Prepare();

  // Whether the row `r` of the column passes.
  bool Passes(const Reader& reader, uint32_t r) const;
  // With `other`: whether `col` at row `r` and `other` at row `r2` pass (a
  // null on either side makes the comparison null, which no filter keeps).
  bool PassesPair(uint32_t r, uint32_t r2) const;

  // Whether the conjunct is true for the column's value `v` (as the row
  // path's Eval would find it).
  bool Test(const Value& v) const;

 private:
  // Whether `a op b` holds for one of the six comparisons, over numbers or
  // string views.
  template <typename N>
  static bool Holds(Op op, N a, N b);
  bool TestFast(const PropertyColumn& c, uint32_t r) const;
  bool TestText(std::string_view v) const;

  mutable std::vector<int8_t> pass_;  // coded columns: whether each code passes (-1: not known yet)
  bool pass_null_ = false;
  // A comparison of a number or date column with a constant of its kind,
  // tested on the column's array (C++'s comparisons of doubles treat NaN as
  // Cypher's do: false, but for <>).
  enum class Fast : uint8_t { kNone, kInt, kDouble } fast_ = Fast::kNone;
  int64_t int_constant_ = 0;    // kInt (dates: days)
  double double_constant_ = 0;  // kDouble
  // A string column and a string constant (or a list of strings, for IN):
  // tested on the dictionary's string views, no Value made.
  bool text_constant_ = false;
};

// Whether `e` is a constant: literals, parameters, lists of them, a
// negation, date(…) of constants.
bool IsConstant(const Expr& e);

}  // namespace samverkan::cypher
