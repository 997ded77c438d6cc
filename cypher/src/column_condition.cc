// column_condition.cc: see column_condition.h.
#include "column_condition.h"

#include <strings.h>

#include <cmath>

#include "value_ops.h"

namespace samverkan::cypher {
namespace {

using T = Value::Type;

// Would comparing a column of `type` with `v` (or its items) be the
// DATE-against-STRING error the row path raises? Then the row path runs.
bool DateAgainstString(ColumnType type, const Value& v) {
  if (v.type() == T::kList) {
    for (const Value& x : v.list()) {
      if (DateAgainstString(type, x)) return true;
    }
    return false;
  }
  return (type == ColumnType::kDate && v.type() == T::kString) ||
         (type == ColumnType::kString && v.type() == T::kDate);
}

}  // namespace

bool IsConstant(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral:
    case ExprKind::kParameter: return true;
    case ExprKind::kList:
      for (const auto& a : e.args) {
        if (!IsConstant(*a)) return false;
      }
      return true;
    case ExprKind::kUnary: return e.op == Op::kNeg && IsConstant(*e.args[0]);
    case ExprKind::kFunction:
      if (strcasecmp(e.name.c_str(), "date") != 0 || e.distinct) return false;
      for (const auto& a : e.args) {
        if (!IsConstant(*a)) return false;
      }
      return true;
    default: return false;
  }
}

bool ColumnCondition::Prepare() {
  const ColumnType t = col->type();
  if (other) {
    // Two columns: tested on the arrays when they hold one type the
    // comparison orders as C++ does (integers, dates as days, doubles with
    // NaN false but for <>); anything else (mixed types, an integer against
    // a double, strings) is left to the row path.
    const bool comparison = kind == ExprKind::kBinary &&
                            (op == Op::kEq || op == Op::kNe || op == Op::kLt ||
                             op == Op::kGt || op == Op::kLe || op == Op::kGe);
    if (!comparison || !col->column || !other->column || other->type() != t) return false;
    if (t == ColumnType::kInt || t == ColumnType::kDate) {
      fast_ = Fast::kInt;
    } else if (t == ColumnType::kDouble) {
      fast_ = Fast::kDouble;
    } else {
      return false;
    }
    return true;
  }
  if (DateAgainstString(t, constant)) return false;
  const bool comparison = kind == ExprKind::kBinary &&
                          (op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kGt ||
                           op == Op::kLe || op == Op::kGe);
  const Value& k = constant;
  if (comparison && t == ColumnType::kInt && k.type() == T::kInt) {
    fast_ = Fast::kInt;
    int_constant_ = k.integer();
  } else if (comparison && t == ColumnType::kDate && k.type() == T::kDate) {
    fast_ = Fast::kInt;
    int_constant_ = k.date().days;
  } else if (comparison && t == ColumnType::kDouble && k.type() == T::kFloat) {
    fast_ = Fast::kDouble;
    double_constant_ = k.floating();
  } else if (comparison && t == ColumnType::kDouble && k.type() == T::kInt &&
             std::abs(k.integer()) <= (int64_t{1} << 53)) {
    fast_ = Fast::kDouble;  // exactly representable
    double_constant_ = static_cast<double>(k.integer());
  }
  pass_null_ = Test(Value());
  if (kind == ExprKind::kBinary && col->column && t == ColumnType::kString) {
    bool strings = k.type() == T::kString;
    if (op == Op::kIn && k.type() == T::kList) {
      strings = true;
      for (const Value& y : k.list()) strings = strings && y.type() == T::kString;
    }
    text_constant_ = strings && (op != Op::kRegex);
  }
  if (col->coded) pass_.assign(col->n_codes, -1);  // tested as each code is first met
  return true;
}

bool ColumnCondition::Passes(const Reader& reader, uint32_t r) const {
  if (fast_ != Fast::kNone) {
    return col->column->is_null(r) ? pass_null_ : TestFast(*col->column, r);
  }
  if (col->coded) {
    if (reader.IsNull(*col, r)) return pass_null_;
    const uint32_t code = reader.Code(*col, r);
    int8_t& pass = pass_[code];
    if (pass < 0) {
      pass = (text_constant_ ? TestText(col->column->dictionary()[code])
                             : Test(col->CodeValue(code)))
                 ? 1 : 0;
    }
    return pass != 0;
  }
  return Test(reader.ValueAt(*col, r));
}

bool ColumnCondition::PassesPair(uint32_t r, uint32_t r2) const {
  const PropertyColumn& a = *col->column;
  const PropertyColumn& b = *other->column;
  if (a.is_null(r) || b.is_null(r2)) return false;
  return fast_ == Fast::kInt ? Holds(op, a.integer(r), b.integer(r2))
                             : Holds(op, a.number(r), b.number(r2));
}

template <typename N>
bool ColumnCondition::Holds(Op op, N a, N b) {
  switch (op) {
    case Op::kEq: return a == b;
    case Op::kNe: return a != b;
    case Op::kLt: return a < b;
    case Op::kGt: return a > b;
    case Op::kLe: return a <= b;
    default: return a >= b;  // kGe
  }
}

// REQUIRES: fast_ != kNone, the row not null.
bool ColumnCondition::TestFast(const PropertyColumn& c, uint32_t r) const {
  if (fast_ == Fast::kInt) {
    return col_left ? Holds(op, c.integer(r), int_constant_)
                    : Holds(op, int_constant_, c.integer(r));
  }
  return col_left ? Holds(op, c.number(r), double_constant_)
                  : Holds(op, double_constant_, c.number(r));
}

bool ColumnCondition::TestText(std::string_view v) const {
  if (op == Op::kIn) {
    for (const Value& y : constant.list()) {
      if (y.string() == v) return true;
    }
    return false;
  }
  const std::string_view c = constant.string();
  const std::string_view a = col_left ? v : c;
  const std::string_view b = col_left ? c : v;
  switch (op) {
    case Op::kEq: case Op::kNe: case Op::kLt: case Op::kGt: case Op::kLe: case Op::kGe:
      return Holds(op, a, b);
    case Op::kStartsWith: return a.starts_with(b);
    case Op::kEndsWith: return a.ends_with(b);
    case Op::kContains: return a.find(b) != std::string_view::npos;
    default: return false;
  }
}

bool ColumnCondition::Test(const Value& v) const {
  if (kind == ExprKind::kIsNull) return v.is_null();
  if (kind == ExprKind::kIsNotNull) return !v.is_null();
  const Value& a = col_left ? v : constant;
  const Value& b = col_left ? constant : v;
  switch (op) {
    case Op::kEq: return Equal(a, b).value_or(false);
    case Op::kNe: {
      Tri t = Equal(a, b);
      return t && !*t;
    }
    case Op::kLt: case Op::kGt: case Op::kLe: case Op::kGe: {
      Order o = Compare(a, b);
      if (o == Order::kNone || o == Order::kUnordered) return false;
      return op == Op::kLt   ? o == Order::kLess
             : op == Op::kGt ? o == Order::kGreater
             : op == Op::kLe ? o != Order::kGreater
                             : o != Order::kLess;
    }
    case Op::kStartsWith: case Op::kEndsWith: case Op::kContains: {
      if (a.type() != T::kString || b.type() != T::kString) return false;
      const std::string& s = a.string();
      const std::string& t = b.string();
      if (op == Op::kStartsWith) return s.size() >= t.size() && s.compare(0, t.size(), t) == 0;
      if (op == Op::kEndsWith) {
        return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
      }
      return s.find(t) != std::string::npos;
    }
    case Op::kIn:
      if (b.type() != T::kList) return false;
      for (const Value& y : b.list()) {
        if (Equal(a, y).value_or(false)) return true;
      }
      return false;
    default: return false;
  }
}

}  // namespace samverkan::cypher
