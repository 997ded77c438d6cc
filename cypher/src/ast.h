// The syntax tree of a Cypher query, as the parser builds it and the
// analyzer annotates it (variable slots, aggregation flags).
//
// Every node keeps the byte offset where it starts, so that errors found
// after parsing can still point at the text.
//
// The parser keeps expressions within kMaxNesting levels (samverkan/cypher.h),
// so that the recursive walks of later stages (analyzer, planner, evaluator,
// printer) have a bound on their stack. Each Expr records its height.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "samverkan/cypher_value.h"
#include "samverkan/types.h"

namespace samverkan::cypher {

struct Expr;
struct PatternPart;
struct Query;
struct SingleQuery;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind : uint8_t {
  kLiteral,        // literal
  kParameter,      // name
  kVariable,       // name, slot
  kProperty,       // args[0].name
  kIndex,          // args[0][args[1]]
  kSlice,          // args[0][args[1]..args[2]]; either bound may be null
  kList,           // [args...]
  kMap,            // {keys[i]: args[i]}
  kUnary,          // op args[0]
  kBinary,         // args[0] op args[1]
  kIsNull,         // args[0] IS NULL
  kIsNotNull,      // args[0] IS NOT NULL
  kHasLabels,      // args[0]:keys[0]:keys[1]...
  kFunction,       // name(distinct? args...)
  kCountStar,      // count(*)
  kCase,           // CASE [args[0]] WHEN args[2k+1] THEN args[2k+2] ... [ELSE else_expr] END
  kListComprehension,  // [name IN args[0] WHERE args[1] | args[2]]; args[1], args[2] may be null
  kQuantifier,     // all|any|none|single(name IN args[0] WHERE args[1])
  kReduce,         // reduce(keys[0] = args[0], name IN args[1] | args[2])
  kPattern,        // a pattern used as an expression: a predicate, or a list of paths
  kPatternComprehension,  // [pattern WHERE args[0] | args[1]]
  kExists,         // EXISTS { pattern [WHERE args[0]] }, or EXISTS { subquery }
  kCountSubquery,  // COUNT { pattern [WHERE args[0]] }, or COUNT { subquery }: its rows
  kMapProjection,  // args[0] {.a, b: expr, .*}: see map_items
};

enum class Op : uint8_t {
  kNone,
  kNot, kNeg, kPos,
  kOr, kXor, kAnd,
  kEq, kNe, kLt, kGt, kLe, kGe,
  kAdd, kSub, kMul, kDiv, kMod, kPow,
  kStartsWith, kEndsWith, kContains, kIn, kRegex,
};

enum class Quantifier : uint8_t { kAll, kAny, kNone, kSingle };

// One item of a map projection: n {.name, total: expr, .*}.
struct MapItem {
  enum Kind : uint8_t { kProperty, kLiteral, kVariable, kAllProperties } kind;
  std::string key;
  ExprPtr value;  // kLiteral
  int slot = -1;  // kVariable
};

struct Expr {
  ExprKind kind;
  size_t pos = 0;  // byte offset where the expression starts
  size_t end = 0;  // byte offset just past it
  Op op = Op::kNone;
  Quantifier quantifier = Quantifier::kAll;
  bool distinct = false;    // kFunction: count(DISTINCT x)
  Value literal;            // kLiteral
  std::string name;         // variable, parameter, property key or function name
  std::vector<std::string> keys;  // map keys; labels of kHasLabels
  std::vector<ExprPtr> args;
  ExprPtr else_expr;        // kCase
  std::unique_ptr<PatternPart> pattern;  // kPattern, kPatternComprehension, kExists
  std::vector<MapItem> map_items;        // kMapProjection
  // kExists, kCountSubquery written with clauses (MATCH ... WITH ... RETURN);
  // pattern is then null.
  std::unique_ptr<SingleQuery> subquery;
  // Set by the analyzer.
  int slot = -1;            // kVariable, comprehension/quantifier variable
  int acc_slot = -1;        // kReduce: the accumulator
  bool aggregate = false;   // this expression contains an aggregation
  int agg_index = -1;       // an aggregation call: its index in its projection
  // Levels of the tree this node heads (a leaf is 1), counting the
  // expressions inside a pattern's properties. Set by the parser.
  int height = 1;
  // Set by the analyzer for a subquery: the outer variables' slots, which its
  // plan finds bound in the argument row.
  std::vector<int> imports;

  Expr(ExprKind k, size_t p) : kind(k), pos(p) {}
  // Frees the subtree with a loop, not a recursion (below).
  ~Expr();
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;
};

struct NodePattern {
  size_t pos = 0;
  std::string var;  // empty when anonymous
  std::vector<std::string> labels;
  ExprPtr props;    // a map literal or a parameter; may be null
  int slot = -1;    // set by the analyzer (anonymous nodes get one too)
  bool was_bound = false;  // set by the analyzer: the variable existed before
};

struct RelPattern {
  size_t pos = 0;
  std::string var;
  std::vector<std::string> types;  // alternatives: [:A|B]
  Direction dir = Direction::kBoth;  // kOut: -->, kIn: <--, kBoth: --
  bool var_length = false;
  std::optional<int64_t> min_hops, max_hops;  // var_length only; unset: 1 and unbounded
  ExprPtr props;
  int slot = -1;
  bool was_bound = false;
};

enum class PathKind : uint8_t { kPattern, kShortest, kAllShortest };

struct PatternPart {
  size_t pos = 0;
  std::string path_var;  // p = ...
  int path_slot = -1;
  PathKind kind = PathKind::kPattern;
  std::vector<NodePattern> nodes;  // nodes.size() == rels.size() + 1
  std::vector<RelPattern> rels;
};

struct ProjectionItem {
  ExprPtr expr;
  std::string alias;  // the column name: AS alias, or the expression's text
  bool aliased = false;
  int slot = -1;      // where the projected value goes
};

struct SortItem {
  ExprPtr expr;
  bool descending = false;
};

enum class ClauseKind : uint8_t {
  kMatch, kUnwind, kWith, kReturn, kCreate, kMerge, kSet, kRemove, kDelete, kCall,
  kCallSubquery,  // CALL { body }
};

struct SetItem {
  enum Kind : uint8_t { kProperty, kReplace, kMerge, kLabels } kind = kProperty;
  size_t pos = 0;
  ExprPtr target;  // kProperty: a kProperty expression; else a variable
  ExprPtr value;   // kReplace/kMerge/kProperty
  std::vector<std::string> labels;  // kLabels
};

// One column of CALL ... YIELD: `column AS var` (var is column when not renamed).
struct YieldItem {
  size_t pos = 0;
  std::string column;
  std::string var;
  int slot = -1;          // set by the analyzer
  size_t column_index = 0;  // set by the analyzer: the procedure's column
};

struct CallableProcedure;  // call.h

struct Clause {
  ClauseKind kind;
  size_t pos = 0;
  // MATCH
  bool optional = false;
  std::vector<PatternPart> patterns;  // MATCH, CREATE; MERGE has exactly one
  ExprPtr where;                      // MATCH, WITH
  // UNWIND
  ExprPtr list;
  std::string var;
  int slot = -1;
  // WITH, RETURN
  bool distinct = false;
  bool star = false;  // WITH * / RETURN *
  std::vector<ProjectionItem> items;
  std::vector<SortItem> order;
  ExprPtr skip, limit;
  // MERGE
  std::vector<SetItem> on_create, on_match;
  // SET, REMOVE (REMOVE uses kProperty with no value, and kLabels)
  std::vector<SetItem> set_items;
  // DELETE
  bool detach = false;
  std::vector<ExprPtr> exprs;  // DELETE; CALL: the arguments
  // CALL name(args) YIELD items WHERE where
  std::string procedure;
  bool has_arg_list = false;  // CALL p() rather than CALL p
  bool yield_star = false;
  std::vector<YieldItem> yields;  // the analyzer fills them in for a standalone CALL
  const CallableProcedure* callable = nullptr;  // set by the analyzer
  // CALL { body }: run once per row. Set by the analyzer: the outer slots a
  // leading importing WITH brings in, and the slots of the body's RETURN
  // columns, which extend each row (none: a unit subquery, rows unchanged).
  std::unique_ptr<SingleQuery> body;
  std::vector<int> imports, returned;
  // Set by the analyzer for WITH/RETURN: the slots visible after it.
  bool has_aggregation = false;
  std::vector<Expr*> aggregates;     // the aggregation calls, by agg_index
  std::vector<int> star_slots;       // the variables a `*` projects
  std::vector<std::string> star_names;

  explicit Clause(ClauseKind k, size_t p) : kind(k), pos(p) {}
};

struct SingleQuery {
  std::vector<Clause> clauses;
};

struct Query {
  std::vector<SingleQuery> parts;  // several when joined by UNION
  std::vector<bool> union_all;     // union_all[i]: between parts[i] and parts[i+1]
  bool explain = false;            // written with a leading EXPLAIN
  // Set by the analyzer.
  int num_slots = 0;
  int weight_slot = -1;  // a slot no variable uses: row multiplicities (ExpandCountOp)
  std::vector<std::string> columns;
  bool writes = false;
};

// Moves the direct subexpressions of `e` (its arguments, ELSE branch, map
// projection values, the properties of its pattern) onto `out`.
inline void TakeSubexpressions(Expr* e, std::vector<ExprPtr>* out) {
  for (auto& a : e->args) {
    if (a) out->push_back(std::move(a));
  }
  if (e->else_expr) out->push_back(std::move(e->else_expr));
  for (auto& item : e->map_items) {
    if (item.value) out->push_back(std::move(item.value));
  }
  if (e->pattern) {
    for (auto& n : e->pattern->nodes) {
      if (n.props) out->push_back(std::move(n.props));
    }
    for (auto& r : e->pattern->rels) {
      if (r.props) out->push_back(std::move(r.props));
    }
  }
}

// A tree a few thousand levels deep (the parser may be building one when it
// stops at the limit) would take as many nested destructor calls: take the
// subexpressions apart first, so that each is freed with none below it.
inline Expr::~Expr() {
  std::vector<ExprPtr> pending;
  TakeSubexpressions(this, &pending);
  while (!pending.empty()) {
    ExprPtr e = std::move(pending.back());
    pending.pop_back();
    TakeSubexpressions(e.get(), &pending);
  }
}

}  // namespace samverkan::cypher
