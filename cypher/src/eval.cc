// eval.cc: see eval.h.
#include "eval.h"

#include <cmath>
#include <strings.h>

#include "error.h"
#include "functions.h"
#include "json_value.h"
#include "planner.h"
#include "regex.h"
#include "samverkan/cypher.h"
#include "stack_guard.h"
#include "temporal.h"

namespace samverkan::cypher {
namespace {

using T = Value::Type;

Value FromTri(Tri t) { return t ? Value::Bool(*t) : Value(); }

[[noreturn]] void WrongType(const Expr& e, const std::string& what, const Value& v) {
  TypeError("InvalidArgumentType", what + " cannot take a " + std::string(TypeName(v.type())),
            e.pos);
}

Tri AsTri(const Value& v, const Expr& e, const char* what) {
  if (v.is_null()) return std::nullopt;
  if (v.type() != T::kBool) WrongType(e, what, v);
  return v.boolean();
}

int64_t CheckedAdd(int64_t a, int64_t b, size_t pos) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) ArgumentError("NumberOutOfRange", "integer overflow", pos);
  return r;
}
int64_t CheckedSub(int64_t a, int64_t b, size_t pos) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) ArgumentError("NumberOutOfRange", "integer overflow", pos);
  return r;
}
int64_t CheckedMul(int64_t a, int64_t b, size_t pos) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) ArgumentError("NumberOutOfRange", "integer overflow", pos);
  return r;
}

std::string NumberText(const Value& v) {
  if (v.type() == T::kInt) return std::to_string(v.integer());
  if (v.type() == T::kFloat) return FormatFloat(v.floating());
  if (v.type() == T::kBool) return v.boolean() ? "true" : "false";
  return v.string();
}

Value Arithmetic(Op op, const Value& a, const Value& b, const Expr& e) {
  if (a.is_null() || b.is_null()) return Value();
  if (op == Op::kAdd || op == Op::kSub || op == Op::kMul || op == Op::kDiv) {
    const char symbol = op == Op::kAdd ? '+' : op == Op::kSub ? '-' : op == Op::kMul ? '*' : '/';
    if (auto t = TemporalArithmetic(symbol, a, b, e.pos)) return *t;
  }
  if (op == Op::kAdd) {
    if (a.type() == T::kList || b.type() == T::kList) {
      List out;
      if (a.type() == T::kList) {
        out = a.list();
      } else {
        out.push_back(a);
      }
      if (b.type() == T::kList) {
        out.insert(out.end(), b.list().begin(), b.list().end());
      } else {
        out.push_back(b);
      }
      return Value::MakeList(std::move(out));
    }
    if (a.type() == T::kString || b.type() == T::kString) {
      auto ok = [](const Value& v) {
        return v.type() == T::kString || v.is_number() || v.type() == T::kBool;
      };
      if (!ok(a) || !ok(b)) {
        TypeError("InvalidArgumentType", "cannot add " + std::string(TypeName(a.type())) +
                  " and " + std::string(TypeName(b.type())), e.pos);
      }
      return Value::String(NumberText(a) + NumberText(b));
    }
  }
  if (!a.is_number() || !b.is_number()) {
    TypeError("InvalidArgumentType", "arithmetic on " + std::string(TypeName(a.type())) +
              " and " + std::string(TypeName(b.type())), e.pos);
  }
  const bool ints = a.type() == T::kInt && b.type() == T::kInt;
  switch (op) {
    case Op::kAdd:
      return ints ? Value::Int(CheckedAdd(a.integer(), b.integer(), e.pos))
                  : Value::Float(a.number() + b.number());
    case Op::kSub:
      return ints ? Value::Int(CheckedSub(a.integer(), b.integer(), e.pos))
                  : Value::Float(a.number() - b.number());
    case Op::kMul:
      return ints ? Value::Int(CheckedMul(a.integer(), b.integer(), e.pos))
                  : Value::Float(a.number() * b.number());
    case Op::kDiv:
      if (ints) {
        if (b.integer() == 0) ArgumentError("DivisionByZero", "division by zero", e.pos);
        if (a.integer() == INT64_MIN && b.integer() == -1) {
          ArgumentError("NumberOutOfRange", "integer overflow", e.pos);
        }
        return Value::Int(a.integer() / b.integer());
      }
      return Value::Float(a.number() / b.number());
    case Op::kMod:
      if (ints) {
        if (b.integer() == 0) ArgumentError("DivisionByZero", "division by zero", e.pos);
        if (b.integer() == -1) return Value::Int(0);
        return Value::Int(a.integer() % b.integer());
      }
      return Value::Float(std::fmod(a.number(), b.number()));
    case Op::kPow: return Value::Float(std::pow(a.number(), b.number()));
    default: return Value();
  }
}



Tri In(const Value& x, const Value& list, const Expr& e) {
  if (list.is_null()) return std::nullopt;
  if (list.type() != T::kList) WrongType(e, "IN", list);
  bool unknown = false;
  for (const Value& y : list.list()) {
    CheckNotDateAgainstString(x, y, e.pos);  // e.valid_from IN ['2021-01-01']
    Tri eq = Equal(x, y);
    if (!eq) {
      unknown = true;
    } else if (*eq) {
      return true;
    }
  }
  if (unknown) return std::nullopt;
  return false;
}

// A list or string the size of a + b must fit in the working memory left
// (memory.h): repeated doubling (reduce(s = 'x', i IN range(1, 40) | s + s))
// would otherwise take all there is.
void CheckConcatenation(const Value& a, const Value& b, ExecContext& ctx) {
  if (a.type() == T::kList || b.type() == T::kList) {
    ctx.memory.Fits(MemoryBudget::ShallowSizeOf(a) + MemoryBudget::ShallowSizeOf(b));
  } else if (a.type() == T::kString && b.type() == T::kString) {
    ctx.memory.Fits(a.string().size() + b.string().size());
  }
}

// The functions that can make a value far larger than their arguments:
// checked before they run, against the working memory left.
void CheckFunctionResult(const FunctionInfo& f, const std::vector<Value>& args,
                         ExecContext& ctx) {
  const std::string_view name = f.name;
  if (name == "range" && args.size() >= 2 && args[0].type() == T::kInt &&
      args[1].type() == T::kInt) {
    const int64_t step = args.size() > 2 && args[2].type() == T::kInt ? args[2].integer() : 1;
    if (step == 0) return;  // range()'s own error
    __int128 n = (static_cast<__int128>(args[1].integer()) - args[0].integer()) / step + 1;
    // (Past 10^8 elements range() refuses on its own.)
    if (n > 0 && n <= 100'000'000) ctx.memory.Fits(static_cast<uint64_t>(n) * sizeof(Value));
  } else if (name == "replace" && args.size() == 3 && args[0].type() == T::kString &&
             args[1].type() == T::kString && args[2].type() == T::kString) {
    // At most one replacement per character (between characters for an
    // empty `from`).
    const uint64_t s = args[0].string().size(), from = args[1].string().size();
    const uint64_t hits = from == 0 ? s + 1 : s / from;
    ctx.memory.Fits(s + hits * args[2].string().size());
  }
}

// Appends to a list an expression builds, checking that it still fits in
// the working memory left.
class ListBuilder {
 public:
  explicit ListBuilder(ExecContext& ctx) : budget_(ctx.memory) {}
  void Add(Value v) {
    bytes_ += MemoryBudget::ShallowSizeOf(v);
    budget_.Fits(bytes_);
    items_.push_back(std::move(v));
  }
  Value Make() { return Value::MakeList(std::move(items_)); }

 private:
  MemoryBudget& budget_;
  uint64_t bytes_ = 0;
  List items_;
};

Value Binary(const Expr& e, Row& row, ExecContext& ctx) {
  const Op op = e.op;
  if (op == Op::kAnd || op == Op::kOr || op == Op::kXor) {
    Tri a = AsTri(Eval(*e.args[0], row, ctx), *e.args[0], op == Op::kAnd ? "AND" : op == Op::kOr ? "OR" : "XOR");
    if (op == Op::kAnd && a && !*a) {
      AsTri(Eval(*e.args[1], row, ctx), *e.args[1], "AND");
      return Value::Bool(false);
    }
    if (op == Op::kOr && a && *a) {
      AsTri(Eval(*e.args[1], row, ctx), *e.args[1], "OR");
      return Value::Bool(true);
    }
    Tri b = AsTri(Eval(*e.args[1], row, ctx), *e.args[1], op == Op::kAnd ? "AND" : op == Op::kOr ? "OR" : "XOR");
    switch (op) {
      case Op::kAnd:
        if (b && !*b) return Value::Bool(false);
        if (!a || !b) return Value();
        return Value::Bool(true);
      case Op::kOr:
        if (b && *b) return Value::Bool(true);
        if (!a || !b) return Value();
        return Value::Bool(false);
      default:
        if (!a || !b) return Value();
        return Value::Bool(*a != *b);
    }
  }
  Value a = Eval(*e.args[0], row, ctx);
  Value b = Eval(*e.args[1], row, ctx);
  if (op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kGt || op == Op::kLe ||
      op == Op::kGe) {
    CheckNotDateAgainstString(a, b, e.pos);
  }
  switch (op) {
    case Op::kEq: return FromTri(Equal(a, b));
    case Op::kNe: {
      Tri t = Equal(a, b);
      return t ? Value::Bool(!*t) : Value();
    }
    case Op::kLt:
    case Op::kGt:
    case Op::kLe:
    case Op::kGe: {
      Order o = Compare(a, b);
      if (o == Order::kNone) return Value();
      if (o == Order::kUnordered) return Value::Bool(false);
      bool r = op == Op::kLt   ? o == Order::kLess
               : op == Op::kGt ? o == Order::kGreater
               : op == Op::kLe ? o != Order::kGreater
                               : o != Order::kLess;
      return Value::Bool(r);
    }
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kMod:
    case Op::kPow:
      if (op == Op::kAdd) CheckConcatenation(a, b, ctx);
      return Arithmetic(op, a, b, e);
    case Op::kStartsWith:
    case Op::kEndsWith:
    case Op::kContains: {
      if (a.type() != T::kString || b.type() != T::kString) return Value();
      const std::string& s = a.string();
      const std::string& t = b.string();
      if (op == Op::kStartsWith) return Value::Bool(s.compare(0, t.size(), t) == 0 && s.size() >= t.size());
      if (op == Op::kEndsWith) {
        return Value::Bool(s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0);
      }
      return Value::Bool(s.find(t) != std::string::npos);
    }
    case Op::kIn: return FromTri(In(a, b, e));
    case Op::kRegex: {
      if (a.type() != T::kString || b.type() != T::kString) return Value();
      return Value::Bool(RegexFullMatch(a.string(), b.string(), ctx, e.pos));
    }
    default: return Value();
  }
}

int64_t IndexArg(const Value& v, const Expr& e) {
  if (v.type() != T::kInt) {
    TypeError("ListElementAccessByNonInteger", "a list index must be an integer, not " +
              std::string(TypeName(v.type())), e.pos);
  }
  return v.integer();
}

Value Index(const Expr& e, Row& row, ExecContext& ctx) {
  Value base = Eval(*e.args[0], row, ctx);
  Value idx = Eval(*e.args[1], row, ctx);
  if (base.is_null()) return Value();
  if (base.type() == T::kList) {
    if (idx.is_null()) return Value();
    int64_t i = IndexArg(idx, *e.args[1]);
    int64_t n = static_cast<int64_t>(base.list().size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) return Value();
    return base.list()[static_cast<size_t>(i)];
  }
  if (base.type() == T::kMap || base.type() == T::kNode || base.type() == T::kRelationship) {
    if (idx.is_null()) return Value();
    if (idx.type() != T::kString) {
      TypeError("MapElementAccessByNonString", "a map key must be a string, not " +
                std::string(TypeName(idx.type())), e.args[1]->pos);
    }
    return PropertyOf(base, idx.string(), ctx, e.pos);
  }
  TypeError("InvalidArgumentType", "cannot index a " + std::string(TypeName(base.type())), e.pos);
}

Value Slice(const Expr& e, Row& row, ExecContext& ctx) {
  Value base = Eval(*e.args[0], row, ctx);
  Value from = e.args[1] ? Eval(*e.args[1], row, ctx) : Value();
  Value to = e.args[2] ? Eval(*e.args[2], row, ctx) : Value();
  if (base.is_null()) return Value();
  if (base.type() != T::kList) WrongType(e, "a slice", base);
  if ((e.args[1] && from.is_null()) || (e.args[2] && to.is_null())) return Value();
  const List& l = base.list();
  int64_t n = static_cast<int64_t>(l.size());
  int64_t a = e.args[1] ? IndexArg(from, *e.args[1]) : 0;
  int64_t b = e.args[2] ? IndexArg(to, *e.args[2]) : n;
  if (a < 0) a += n;
  if (b < 0) b += n;
  a = std::clamp<int64_t>(a, 0, n);
  b = std::clamp<int64_t>(b, 0, n);
  if (b <= a) return Value::MakeList({});
  return Value::MakeList(List(l.begin() + a, l.begin() + b));
}

Value PathOf(const Value& v, const Expr& e, const char* fn) {
  if (v.type() != T::kPath) WrongType(e, std::string(fn) + "()", v);
  return v;
}

Value GraphFunction(const Expr& e, std::vector<Value>& args, ExecContext& ctx) {
  const std::string& f = e.name;
  const Value& x = args.empty() ? Value() : args[0];
  if (f == "exists") return Value::Bool(!x.is_null());
  if (x.is_null()) return Value();
  QueryGraph& g = ctx.graph;
  if (f == "id") {
    if (x.type() == T::kNode) return Value::Int(static_cast<int64_t>(x.node()));
    if (x.type() == T::kRelationship) return Value::Int(static_cast<int64_t>(g.EdgeIdOf(x.rel())));
    WrongType(e, "id()", x);
  }
  if (f == "elementId") {
    if (x.type() == T::kNode) return Value::String(g.NodeKey(x.node()));
    if (x.type() == T::kRelationship) return Value::String("edge:" + std::to_string(g.EdgeIdOf(x.rel())));
    WrongType(e, "elementId()", x);
  }
  if (f == "labels") {
    if (x.type() != T::kNode) WrongType(e, "labels()", x);
    return g.NodeLabels(x.node());
  }
  if (f == "type") {
    if (x.type() != T::kRelationship) {
      TypeError("InvalidArgumentValue", "type() cannot take a " + std::string(TypeName(x.type())),
                e.pos);
    }
    return Value::String(std::string(g.TypeName(x.rel().type)));
  }
  if (f == "keys" || f == "properties") {
    Value props;
    if (x.type() == T::kNode) {
      props = g.NodeProperties(x.node());
    } else if (x.type() == T::kRelationship) {
      props = g.RelProperties(x.rel());
    } else if (x.type() == T::kMap) {
      props = x;
    } else {
      WrongType(e, f + "()", x);
    }
    if (f == "properties") return props;
    List keys;
    for (const auto& [k, v] : props.map()) {
      if (x.type() == T::kMap || !v.is_null()) keys.push_back(Value::String(k));
    }
    return Value::MakeList(std::move(keys));
  }
  if (f == "startNode" || f == "endNode") {
    if (x.type() != T::kRelationship) WrongType(e, f + "()", x);
    return Value::Node(f == "startNode" ? x.rel().src : x.rel().dst);
  }
  if (f == "nodes") {
    const Path& p = PathOf(x, e, "nodes").path();
    List l;
    for (NodeId n : p.nodes) l.push_back(Value::Node(n));
    return Value::MakeList(std::move(l));
  }
  if (f == "relationships") {
    const Path& p = PathOf(x, e, "relationships").path();
    List l;
    for (const auto& r : p.relationships) l.push_back(Value::Rel(r));
    return Value::MakeList(std::move(l));
  }
  if (f == "length") {
    if (x.type() == T::kPath) return Value::Int(static_cast<int64_t>(x.path().relationships.size()));
    WrongType(e, "length()", x);
  }
  return Value();
}

Value Function(const Expr& e, Row& row, ExecContext& ctx) {
  if (e.agg_index >= 0) return (*ctx.agg_values)[static_cast<size_t>(e.agg_index)];
  const FunctionInfo* f = FindFunction(e.name);
  std::vector<Value> args;
  args.reserve(e.args.size());
  if (e.name == "exists") {
    // exists(n.prop): the property is there; exists((n)-->()): a match is.
    const Expr& a = *e.args[0];
    if (a.kind == ExprKind::kPattern) return FromTri(EvalPredicate(a, row, ctx));
    if (a.kind != ExprKind::kProperty) {
      SyntaxError("InvalidArgumentType", "exists() takes a property or a pattern", a.pos);
    }
  }
  for (const auto& a : e.args) args.push_back(Eval(*a, row, ctx));
  CheckFunctionResult(*f, args, ctx);
  if (f->fn) return f->fn(args, e.pos);
  return GraphFunction(e, args, ctx);
}

Value Case(const Expr& e, Row& row, ExecContext& ctx) {
  if (e.args[0]) {
    Value test = Eval(*e.args[0], row, ctx);
    for (size_t i = 1; i + 1 < e.args.size(); i += 2) {
      if (Equal(test, Eval(*e.args[i], row, ctx)).value_or(false)) return Eval(*e.args[i + 1], row, ctx);
    }
  } else {
    for (size_t i = 1; i + 1 < e.args.size(); i += 2) {
      Value c = Eval(*e.args[i], row, ctx);
      if (c.type() == T::kBool && c.boolean()) return Eval(*e.args[i + 1], row, ctx);
    }
  }
  return e.else_expr ? Eval(*e.else_expr, row, ctx) : Value();
}

const List* ListOperand(const Value& v, const Expr& e, const char* what) {
  if (v.is_null()) return nullptr;
  if (v.type() != T::kList) WrongType(e, what, v);
  return &v.list();
}

Value Comprehension(const Expr& e, Row& row, ExecContext& ctx) {
  Value source = Eval(*e.args[0], row, ctx);
  const List* items = ListOperand(source, *e.args[0], "a list comprehension");
  if (!items) return Value();
  const size_t slot = static_cast<size_t>(e.slot);
  ListBuilder out(ctx);
  for (const Value& x : *items) {
    row[slot] = x;
    if (e.args[1] && !EvalPredicate(*e.args[1], row, ctx).value_or(false)) continue;
    out.Add(e.args[2] ? Eval(*e.args[2], row, ctx) : x);
  }
  row[slot] = Value();
  return out.Make();
}

Value Quantify(const Expr& e, Row& row, ExecContext& ctx) {
  Value source = Eval(*e.args[0], row, ctx);
  const List* items = ListOperand(source, *e.args[0], "a quantifier");
  if (!items) return Value();
  const size_t slot = static_cast<size_t>(e.slot);
  size_t yes = 0, unknown = 0;
  for (const Value& x : *items) {
    row[slot] = x;
    Tri t = EvalPredicate(*e.args[1], row, ctx);
    if (!t) {
      ++unknown;
    } else if (*t) {
      ++yes;
    }
  }
  row[slot] = Value();
  const size_t no = items->size() - yes - unknown;
  switch (e.quantifier) {
    case Quantifier::kAll:
      if (no > 0) return Value::Bool(false);
      return unknown ? Value() : Value::Bool(true);
    case Quantifier::kAny:
      if (yes > 0) return Value::Bool(true);
      return unknown ? Value() : Value::Bool(false);
    case Quantifier::kNone:
      if (yes > 0) return Value::Bool(false);
      return unknown ? Value() : Value::Bool(true);
    case Quantifier::kSingle:
      if (yes > 1) return Value::Bool(false);
      if (unknown) return Value();
      return Value::Bool(yes == 1);
  }
  return Value();
}

// How deep lists and maps may nest in a value: reduce() is the one way a
// query builds deeper values than its text, and comparing, hashing or
// printing a value recurses once per level. The same bound as the text's
// (the parser's nesting limit).
constexpr size_t kMaxValueNesting = kMaxNesting;

Value Reduce(const Expr& e, Row& row, ExecContext& ctx) {
  Value acc = Eval(*e.args[0], row, ctx);
  Value source = Eval(*e.args[1], row, ctx);
  const List* items = ListOperand(source, *e.args[1], "reduce()");
  if (!items) return Value();
  const void* previous = nullptr;
  ValueShape previous_shape;
  for (const Value& x : *items) {
    row[static_cast<size_t>(e.acc_slot)] = acc;
    row[static_cast<size_t>(e.slot)] = x;
    acc = Eval(*e.args[2], row, ctx);
    if (const void* id = ContainerOf(acc)) {
      previous_shape = ShapeOf(acc, kMaxValueNesting, previous, previous_shape);
      previous = id;
      if (previous_shape.levels > kMaxValueNesting) {
        ArgumentError("NestingTooDeep", "reduce() built a value nested deeper than " +
                      std::to_string(kMaxValueNesting) + " levels of lists and maps", e.pos);
      }
      // What using the value walks must fit in the working memory left.
      ctx.memory.Fits(previous_shape.bytes());
    }
  }
  row[static_cast<size_t>(e.acc_slot)] = Value();
  row[static_cast<size_t>(e.slot)] = Value();
  return acc;
}

SubPlan& PlanFor(const Expr& e, ExecContext& ctx) {
  auto& sub = ctx.subplans[&e];
  if (!sub) sub = ctx.planner->PlanPatternExpression(e);
  return *sub;
}

// Runs the pattern of `e` with `row` as argument; calls `each` per match
// until it returns false.
template <typename Each>
void Matches(const Expr& e, Row& row, ExecContext& ctx, Each each) {
  SubPlan& sub = PlanFor(e, ctx);
  sub.argument = &row;
  sub.root->Reset();
  Row out(row.size());
  // A subquery may aggregate within an outer aggregation's output.
  const std::vector<Value>* agg_values = ctx.agg_values;
  while (sub.root->Next(ctx, &out)) {
    ctx.agg_values = agg_values;
    if (!each(out)) break;
  }
  ctx.agg_values = agg_values;
}

Value MapProjection(const Expr& e, Row& row, ExecContext& ctx) {
  Value base = Eval(*e.args[0], row, ctx);
  if (base.is_null()) return Value();
  Map m;
  for (const auto& item : e.map_items) {
    switch (item.kind) {
      case MapItem::kProperty: m.emplace_back(item.key, PropertyOf(base, item.key, ctx, e.pos)); break;
      case MapItem::kLiteral: m.emplace_back(item.key, Eval(*item.value, row, ctx)); break;
      case MapItem::kVariable: m.emplace_back(item.key, row[static_cast<size_t>(item.slot)]); break;
      case MapItem::kAllProperties: {
        Value all = base.type() == T::kNode          ? ctx.graph.NodeProperties(base.node())
                    : base.type() == T::kRelationship ? ctx.graph.RelProperties(base.rel())
                    : base.type() == T::kMap          ? base
                                                      : Value();
        if (all.is_null()) WrongType(e, "a map projection", base);
        for (const auto& kv : all.map()) m.push_back(kv);
        break;
      }
    }
  }
  return Value::MakeMap(std::move(m));
}

}  // namespace

void CheckNotDateAgainstString(const Value& a, const Value& b, size_t pos) {
  const Value* text = a.type() == T::kString && b.type() == T::kDate   ? &a
                      : a.type() == T::kDate && b.type() == T::kString ? &b
                                                                        : nullptr;
  if (text == nullptr) return;
  std::string fix = "date('" + text->string() + "')";
  if (!ParseIsoDate(text->string())) fix = "date('2021-01-01')";
  TypeError("InvalidArgumentType", "cannot compare a DATE with a STRING (it would be null, "
            "never true); write the date as " + fix, pos);
}

Value PropertyOf(const Value& base, const std::string& key, ExecContext& ctx, size_t pos) {
  switch (base.type()) {
    case T::kNull: return Value();
    case T::kNode: return ctx.graph.NodeProperty(base.node(), key);
    case T::kRelationship: return ctx.graph.RelProperty(base.rel(), key);
    case T::kMap: {
      const Value* v = base.Find(key);
      return v ? *v : Value();
    }
    case T::kDate:
    case T::kDuration: return TemporalComponent(base, key, pos);
    default:
      TypeError("InvalidArgumentType", "cannot read property `" + key + "` of a " +
                std::string(TypeName(base.type())), pos);
  }
}

Value Eval(const Expr& e, Row& row, ExecContext& ctx) {
  CheckStack(e.pos);  // the nesting limit's guard (stack_guard.h)
  switch (e.kind) {
    case ExprKind::kLiteral: return e.literal;
    case ExprKind::kParameter: {
      auto it = ctx.params.find(e.name);
      if (it == ctx.params.end()) {
        SemanticError("ParameterMissing", "no value for parameter $" + e.name, e.pos);
      }
      return it->second;
    }
    case ExprKind::kVariable: return row[static_cast<size_t>(e.slot)];
    case ExprKind::kProperty:
      return PropertyOf(Eval(*e.args[0], row, ctx), e.name, ctx, e.pos);
    case ExprKind::kIndex: return Index(e, row, ctx);
    case ExprKind::kSlice: return Slice(e, row, ctx);
    case ExprKind::kList: {
      List l;
      l.reserve(e.args.size());
      for (const auto& a : e.args) l.push_back(Eval(*a, row, ctx));
      return Value::MakeList(std::move(l));
    }
    case ExprKind::kMap: {
      Map m;
      m.reserve(e.args.size());
      for (size_t i = 0; i < e.args.size(); ++i) m.emplace_back(e.keys[i], Eval(*e.args[i], row, ctx));
      return Value::MakeMap(std::move(m));
    }
    case ExprKind::kUnary: {
      Value v = Eval(*e.args[0], row, ctx);
      if (e.op == Op::kNot) {
        Tri t = AsTri(v, *e.args[0], "NOT");
        return t ? Value::Bool(!*t) : Value();
      }
      if (v.is_null()) return Value();
      if (v.type() == T::kInt) {
        if (e.op == Op::kPos) return v;
        if (v.integer() == INT64_MIN) ArgumentError("NumberOutOfRange", "integer overflow", e.pos);
        return Value::Int(-v.integer());
      }
      if (v.type() == T::kFloat) return e.op == Op::kPos ? v : Value::Float(-v.floating());
      if (v.type() == T::kDuration) {
        return e.op == Op::kPos ? v : NegateDuration(v.duration(), e.pos);
      }
      WrongType(e, "unary minus", v);
    }
    case ExprKind::kBinary: return Binary(e, row, ctx);
    case ExprKind::kIsNull: return Value::Bool(Eval(*e.args[0], row, ctx).is_null());
    case ExprKind::kIsNotNull: return Value::Bool(!Eval(*e.args[0], row, ctx).is_null());
    case ExprKind::kHasLabels: {
      Value v = Eval(*e.args[0], row, ctx);
      if (v.is_null()) return Value();
      // A relationship's type is its one label.
      if (v.type() != T::kNode && v.type() != T::kRelationship) WrongType(e, "a label test", v);
      const std::string kind = v.type() == T::kNode
                                   ? ctx.graph.GetNode(v.node()).kind
                                   : std::string(ctx.graph.TypeName(v.rel().type));
      for (const auto& l : e.keys) {
        if (l != kind) return Value::Bool(false);
      }
      return Value::Bool(true);
    }
    case ExprKind::kFunction: return Function(e, row, ctx);
    case ExprKind::kCountStar: return (*ctx.agg_values)[static_cast<size_t>(e.agg_index)];
    case ExprKind::kCase: return Case(e, row, ctx);
    case ExprKind::kListComprehension: return Comprehension(e, row, ctx);
    case ExprKind::kQuantifier: return Quantify(e, row, ctx);
    case ExprKind::kReduce: return Reduce(e, row, ctx);
    case ExprKind::kPattern: {
      const int path_slot = e.pattern->path_slot;
      if (e.pattern->kind == PathKind::kShortest) {
        Value found;
        Matches(e, row, ctx, [&](const Row& r) {
          found = r[static_cast<size_t>(path_slot)];
          return false;
        });
        return found;
      }
      ListBuilder paths(ctx);
      Matches(e, row, ctx, [&](const Row& r) {
        paths.Add(r[static_cast<size_t>(path_slot)]);
        return true;
      });
      return paths.Make();
    }
    case ExprKind::kPatternComprehension: {
      ListBuilder out(ctx);
      Matches(e, row, ctx, [&](Row& r) {
        if (e.args[0] && !EvalPredicate(*e.args[0], r, ctx).value_or(false)) return true;
        out.Add(Eval(*e.args[1], r, ctx));
        return true;
      });
      return out.Make();
    }
    case ExprKind::kExists: return FromTri(EvalPredicate(e, row, ctx));
    case ExprKind::kCountSubquery: {
      int64_t n = 0;
      Matches(e, row, ctx, [&](Row& r) {
        if (!e.subquery && !e.args.empty() && !EvalPredicate(*e.args[0], r, ctx).value_or(false)) {
          return true;
        }
        ++n;
        return true;
      });
      return Value::Int(n);
    }
    case ExprKind::kMapProjection: return MapProjection(e, row, ctx);
  }
  return Value();
}

Tri EvalPredicate(const Expr& e, Row& row, ExecContext& ctx) {
  CheckStack(e.pos);
  switch (e.kind) {
    case ExprKind::kPattern:
    case ExprKind::kExists: {
      if (e.kind == ExprKind::kPattern && e.pattern->kind != PathKind::kPattern) break;
      bool found = false;
      Matches(e, row, ctx, [&](Row& r) {
        if (e.kind == ExprKind::kExists && !e.subquery && !e.args.empty() &&
            !EvalPredicate(*e.args[0], r, ctx).value_or(false)) {
          return true;
        }
        found = true;
        return false;
      });
      return found;
    }
    case ExprKind::kUnary:
      if (e.op == Op::kNot) {
        Tri t = EvalPredicate(*e.args[0], row, ctx);
        if (!t) return std::nullopt;
        return !*t;
      }
      break;
    case ExprKind::kBinary:
      if ((e.op == Op::kEq || e.op == Op::kNe) && e.args[0]->kind == ExprKind::kVariable &&
          e.args[1]->kind == ExprKind::kVariable) {
        // a <> b over two variables: no copies.
        const Value& a = row[static_cast<size_t>(e.args[0]->slot)];
        const Value& b = row[static_cast<size_t>(e.args[1]->slot)];
        CheckNotDateAgainstString(a, b, e.pos);
        Tri t = Equal(a, b);
        if (!t) return std::nullopt;
        return e.op == Op::kEq ? *t : !*t;
      }
      if (e.op == Op::kAnd) {
        Tri a = EvalPredicate(*e.args[0], row, ctx);
        if (a && !*a) return false;
        Tri b = EvalPredicate(*e.args[1], row, ctx);
        if (b && !*b) return false;
        if (!a || !b) return std::nullopt;
        return true;
      }
      if (e.op == Op::kOr) {
        Tri a = EvalPredicate(*e.args[0], row, ctx);
        if (a && *a) return true;
        Tri b = EvalPredicate(*e.args[1], row, ctx);
        if (b && *b) return true;
        if (!a || !b) return std::nullopt;
        return false;
      }
      break;
    default: break;
  }
  Value v = Eval(e, row, ctx);
  if (v.is_null()) return std::nullopt;
  if (v.type() == T::kBool) return v.boolean();
  if (v.type() == T::kList && e.kind == ExprKind::kPattern) return !v.list().empty();
  TypeError("InvalidArgumentType", "a predicate must be true, false or null, not a " +
            std::string(TypeName(v.type())), e.pos);
}

}  // namespace samverkan::cypher
