// analyzer.cc: see analyzer.h.
#include "analyzer.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <strings.h>

#include "call.h"
#include "error.h"
#include "functions.h"
#include "stack_guard.h"
#include "temporal.h"
#include "value_ops.h"

namespace samverkan::cypher {
namespace {

// What a variable holds, as far as the query text tells: kValue is a
// value known not to be a node, relationship or path (a literal's).
enum class VarType : uint8_t { kAny, kNode, kRel, kRelList, kPath, kValue, kList };

const char* VarTypeName(VarType t) {
  switch (t) {
    case VarType::kNode: return "a node";
    case VarType::kRel: return "a relationship";
    case VarType::kRelList: return "a list of relationships";
    case VarType::kPath: return "a path";
    case VarType::kList: return "a list";
    case VarType::kValue:
    case VarType::kAny: return "a value";
  }
  return "a value";
}

// The type of an expression when the text alone decides it (literals and
// what is built from them), else kNull standing for "unknown".
enum class SType : uint8_t {
  kUnknown, kNull, kBool, kInt, kFloat, kNumber, kString, kList, kMap, kNode, kRel, kPath,
  kDate, kDuration,
};

struct VarInfo {
  int slot;
  VarType type;
  // What a value variable is known to hold: the elements of a literal list
  // a quantifier or comprehension iterates over (all of one type).
  SType value_type = SType::kUnknown;
};
using Scope = std::map<std::string, VarInfo>;

enum class PatternMode { kMatch, kCreate, kMerge, kPredicate, kLocal };

struct ExprCtx {
  bool allow_agg = false;
  bool inside_agg = false;
  std::vector<Expr*>* aggs = nullptr;
  const char* where = "here";  // for messages: "in WHERE"
  bool predicate = false;      // in a predicate's position: a pattern may stand here
};

// Whether an expression calls an aggregation, from the text alone (before
// the analyzer has marked it).
bool CallsAggregation(const Expr& e) {
  CheckStack(e.pos);
  if (e.kind == ExprKind::kCountStar) return true;
  if (e.kind == ExprKind::kFunction) {
    const FunctionInfo* f = FindFunction(e.name);
    if (f && f->aggregate) return true;
  }
  for (const auto& a : e.args) {
    if (a && CallsAggregation(*a)) return true;
  }
  return e.else_expr && CallsAggregation(*e.else_expr);
}

bool CallsRand(const Expr& e) {
  CheckStack(e.pos);
  if (e.kind == ExprKind::kFunction && strcasecmp(e.name.c_str(), "rand") == 0) return true;
  for (const auto& a : e.args) {
    if (a && CallsRand(*a)) return true;
  }
  return false;
}

bool IsUpdating(ClauseKind k) {
  return k == ClauseKind::kCreate || k == ClauseKind::kMerge || k == ClauseKind::kSet ||
         k == ClauseKind::kRemove || k == ClauseKind::kDelete;
}

bool ContainsVariable(const Expr& e) {
  CheckStack(e.pos);
  if (e.kind == ExprKind::kVariable || e.kind == ExprKind::kPattern ||
      e.kind == ExprKind::kPatternComprehension || e.kind == ExprKind::kExists ||
      e.kind == ExprKind::kCountSubquery) {
    return true;
  }
  for (const auto& a : e.args) {
    if (a && ContainsVariable(*a)) return true;
  }
  return e.else_expr && ContainsVariable(*e.else_expr);
}


SType StaticType(const Expr& e, const Scope* scope = nullptr) {
  CheckStack(e.pos);
  switch (e.kind) {
    case ExprKind::kVariable: {
      if (scope == nullptr) return SType::kUnknown;
      auto it = scope->find(e.name);
      if (it == scope->end()) return SType::kUnknown;
      switch (it->second.type) {
        case VarType::kNode: return SType::kNode;
        case VarType::kRel: return SType::kRel;
        case VarType::kPath: return SType::kPath;
        case VarType::kRelList:
        case VarType::kList: return SType::kList;
        default: return it->second.value_type;
      }
    }
    case ExprKind::kLiteral:
      switch (e.literal.type()) {
        case Value::Type::kNull: return SType::kNull;
        case Value::Type::kBool: return SType::kBool;
        case Value::Type::kInt: return SType::kInt;
        case Value::Type::kFloat: return SType::kFloat;
        case Value::Type::kString: return SType::kString;
        default: return SType::kUnknown;
      }
    case ExprKind::kList:
    case ExprKind::kListComprehension:
    case ExprKind::kPatternComprehension: return SType::kList;
    case ExprKind::kMap:
    case ExprKind::kMapProjection: return SType::kMap;
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull:
    case ExprKind::kHasLabels:
    case ExprKind::kExists:
    case ExprKind::kQuantifier: return SType::kBool;
    case ExprKind::kCountStar:
    case ExprKind::kCountSubquery: return SType::kInt;
    case ExprKind::kFunction:
      // date(), date.truncate(), ... and duration(), duration.between(), ...
      if (strncasecmp(e.name.c_str(), "date", 4) == 0 && (e.name.size() == 4 || e.name[4] == '.')) {
        return SType::kDate;
      }
      if (strncasecmp(e.name.c_str(), "duration", 8) == 0 &&
          (e.name.size() == 8 || e.name[8] == '.')) {
        return SType::kDuration;
      }
      return SType::kUnknown;
    case ExprKind::kProperty:
      // A relationship's validity dates.
      if ((e.name == "valid_from" || e.name == "valid_to") &&
          StaticType(*e.args[0], scope) == SType::kRel) {
        return SType::kDate;
      }
      return SType::kUnknown;
    case ExprKind::kUnary:
      if (e.op == Op::kNot) return SType::kBool;
      return StaticType(*e.args[0], scope);
    case ExprKind::kBinary: {
      switch (e.op) {
        case Op::kAdd:
        case Op::kSub:
        case Op::kMul:
        case Op::kDiv:
        case Op::kMod: {
          SType a = StaticType(*e.args[0], scope), b = StaticType(*e.args[1], scope);
          if (a == SType::kNull || b == SType::kNull) return SType::kNull;
          const bool plus_minus = e.op == Op::kAdd || e.op == Op::kSub;
          if (plus_minus && a == SType::kDate && b == SType::kDuration) return SType::kDate;
          if (e.op == Op::kAdd && (a == SType::kList || b == SType::kList)) return SType::kList;
          if (e.op == Op::kAdd && (a == SType::kString || b == SType::kString)) return SType::kString;
          if (a == SType::kInt && b == SType::kInt) return SType::kInt;
          auto num = [](SType t) { return t == SType::kInt || t == SType::kFloat || t == SType::kNumber; };
          if (num(a) && num(b)) return (a == SType::kFloat || b == SType::kFloat) ? SType::kFloat : SType::kNumber;
          return SType::kUnknown;
        }
        case Op::kPow: return SType::kFloat;
        default: return SType::kBool;
      }
    }
    default: return SType::kUnknown;
  }
}

// The type all elements of a literal list share, when the text decides it.
SType ElementType(const Expr& list, const Scope& scope) {
  if (list.kind != ExprKind::kList || list.args.empty()) return SType::kUnknown;
  SType t = StaticType(*list.args[0], &scope);
  for (const auto& a : list.args) {
    if (StaticType(*a, &scope) != t) return SType::kUnknown;
  }
  return t == SType::kNull ? SType::kUnknown : t;
}

bool IsArithmetic(Op op) {
  return op == Op::kAdd || op == Op::kSub || op == Op::kMul || op == Op::kDiv || op == Op::kMod;
}

bool IsNumeric(SType t) { return t == SType::kInt || t == SType::kFloat || t == SType::kNumber; }

// Arithmetic that fails whatever the values (as Eval would at run time): a
// boolean with a number or a boolean, a string with anything but `+`.
bool ArithmeticMismatch(Op op, SType a, SType b) {
  if (a == SType::kBool) return IsNumeric(b) || b == SType::kBool || (b == SType::kString && op != Op::kAdd);
  if (a == SType::kString) return op != Op::kAdd && (IsNumeric(b) || b == SType::kString);
  return false;
}

const char* STypeName(SType t) {
  switch (t) {
    case SType::kBool: return "BOOLEAN";
    case SType::kInt: return "INTEGER";
    case SType::kFloat: return "FLOAT";
    case SType::kNumber: return "NUMBER";
    case SType::kString: return "STRING";
    case SType::kDate: return "DATE";
    case SType::kDuration: return "DURATION";
    default: return "a value";
  }
}

bool NotBoolean(SType t) {
  return t != SType::kUnknown && t != SType::kNull && t != SType::kBool;
}

class Analyzer {
 public:
  Analyzer(Query* q, const std::vector<CallableProcedure>* procedures)
      : q_(*q), procedures_(procedures) {}

  Analysis Run() {
    std::vector<std::string> first_columns;
    for (size_t i = 0; i < q_.parts.size(); ++i) {
      std::vector<std::string> columns = AnalyzeSingle(&q_.parts[i]);
      if (i == 0) {
        first_columns = columns;
      } else if (columns != first_columns) {
        SyntaxError("DifferentColumnsInUnion",
                    "all parts of a UNION must return the same columns, in the same order",
                    q_.parts[i].clauses.front().pos);
      }
    }
    for (size_t i = 1; i < q_.union_all.size(); ++i) {
      if (q_.union_all[i] != q_.union_all[0]) {
        SyntaxError("InvalidClauseComposition", "UNION and UNION ALL cannot be mixed",
                    q_.parts[i + 1].clauses.front().pos);
      }
    }
    q_.columns = first_columns;
    q_.weight_slot = NewSlot();
    q_.num_slots = next_slot_;
    return std::move(analysis_);
  }

 private:
  int NewSlot() { return next_slot_++; }

  // `scope`: the variables the query starts with (a subquery's outer ones);
  // `subquery`: its keyword when it is one (EXISTS, COUNT, CALL). EXISTS and
  // COUNT only read and may end with any clause; a CALL body ends as a query
  // does. `final_scope`, when given, receives the variables in scope at the end.
  std::vector<std::string> AnalyzeSingle(SingleQuery* sq, Scope scope = {},
                                         const char* subquery = nullptr,
                                         Scope* final_scope = nullptr) {
    const bool reads_only = subquery != nullptr && strcmp(subquery, "CALL") != 0;
    bool updated_since_with = false;
    std::vector<std::string> columns;
    auto& clauses = sq->clauses;
    for (size_t i = 0; i < clauses.size(); ++i) {
      Clause& c = clauses[i];
      const bool last = i + 1 == clauses.size();
      if (c.kind == ClauseKind::kReturn && !last) {
        SyntaxError("UnexpectedSyntax", "RETURN must be the last clause", clauses[i + 1].pos);
      }
      if ((c.kind == ClauseKind::kMatch || c.kind == ClauseKind::kUnwind ||
           c.kind == ClauseKind::kCall || c.kind == ClauseKind::kCallSubquery) &&
          updated_since_with) {
        SyntaxError("InvalidClauseComposition",
                    "a WITH is needed between an updating clause and a reading clause", c.pos);
      }
      if (reads_only && IsUpdating(c.kind)) {
        SyntaxError("InvalidClauseComposition", std::string("a ") + subquery +
                    " subquery only reads; it cannot create, merge, set, remove or delete", c.pos);
      }
      if (IsUpdating(c.kind)) {
        updated_since_with = true;
        q_.writes = true;
      }
      switch (c.kind) {
        case ClauseKind::kMatch: AnalyzeMatch(&c, &scope); break;
        case ClauseKind::kUnwind: {
          ExprCtx ctx{.where = "in UNWIND"};
          AnalyzeExpr(c.list.get(), scope, ctx);
          Declare(&scope, c.var, VarType::kAny, c.pos, &c.slot);
          break;
        }
        case ClauseKind::kWith:
        case ClauseKind::kReturn:
          scope = AnalyzeProjection(&c, scope);
          updated_since_with = false;
          if (c.kind == ClauseKind::kReturn) {
            for (const auto& name : c.star_names) columns.push_back(name);
            for (const auto& item : c.items) columns.push_back(item.alias);
          }
          break;
        case ClauseKind::kCreate:
          for (auto& part : c.patterns) AnalyzePattern(&part, &scope, PatternMode::kCreate, nullptr);
          break;
        case ClauseKind::kMerge:
          AnalyzePattern(&c.patterns[0], &scope, PatternMode::kMerge, nullptr);
          for (auto& item : c.on_create) AnalyzeSetItem(&item, scope);
          for (auto& item : c.on_match) AnalyzeSetItem(&item, scope);
          break;
        case ClauseKind::kSet:
        case ClauseKind::kRemove:
          for (auto& item : c.set_items) AnalyzeSetItem(&item, scope);
          break;
        case ClauseKind::kDelete:
          for (auto& e : c.exprs) {
            if (e->kind == ExprKind::kHasLabels) {
              SyntaxError("InvalidDelete", "DELETE takes nodes, relationships or paths; "
                          "use REMOVE to remove a label", e->pos);
            }
            ExprCtx ctx{.where = "in DELETE"};
            AnalyzeExpr(e.get(), scope, ctx);
            if (e->kind == ExprKind::kLiteral || e->kind == ExprKind::kBinary) {
              SyntaxError("InvalidArgumentType", "DELETE takes nodes, relationships or paths",
                          e->pos);
            }
          }
          break;
        case ClauseKind::kCallSubquery: AnalyzeCallSubquery(&c, &scope); break;
        case ClauseKind::kCall: {
          const bool standalone = clauses.size() == 1 && subquery == nullptr;
          AnalyzeCall(&c, &scope, standalone);
          if (standalone) {
            for (const auto& y : c.yields) columns.push_back(y.var);
          }
          break;
        }
      }
      const bool standalone_call = c.kind == ClauseKind::kCall && clauses.size() == 1;
      if (last && !reads_only && !IsUpdating(c.kind) && c.kind != ClauseKind::kReturn &&
          !standalone_call) {
        SyntaxError("InvalidClauseComposition",
                    "a query ends with RETURN or an updating clause (CREATE, MERGE, SET, "
                    "REMOVE, DELETE)",
                    c.pos);
      }
    }
    if (final_scope != nullptr) *final_scope = std::move(scope);
    return columns;
  }

  // CALL { body }. Outer variables are visible inside only through a leading
  // importing WITH (plain variables, WITH *); the body's RETURN columns are
  // added to the outer scope and may not shadow it. A body without RETURN
  // (ending with a write) is a unit subquery: rows pass on unchanged.
  void AnalyzeCallSubquery(Clause* c, Scope* scope) {
    const Clause& first = c->body->clauses.front();
    bool importing = first.kind == ClauseKind::kWith && !first.distinct && first.order.empty() &&
                     !first.skip && !first.limit && !first.where;
    for (const auto& item : first.items) {
      importing = importing && item.expr->kind == ExprKind::kVariable &&
                  (!item.aliased || item.alias == item.expr->name);
    }
    Scope start;
    if (importing) start = *scope;
    for (const auto& [name, info] : start) c->imports.push_back(info.slot);
    Scope end;
    std::vector<std::string> columns = AnalyzeSingle(c->body.get(), start, "CALL", &end);
    for (const auto& name : columns) {
      if (scope->count(name)) {
        SyntaxError("VariableAlreadyBound", "variable `" + name + "`, returned by CALL { }, "
                    "is already defined outside it", c->body->clauses.back().pos);
      }
      (*scope)[name] = end.at(name);
      c->returned.push_back(end.at(name).slot);
    }
  }

  // EXISTS { MATCH ... } and COUNT { MATCH ... }: a query of their own that
  // starts with the outer variables bound. An EXISTS whose RETURN aggregates
  // always finds a row, so it is refused as the mistake it must be.
  void AnalyzeSubquery(Expr* e, const Scope& scope) {
    const char* what = e->kind == ExprKind::kExists ? "EXISTS" : "COUNT";
    for (const auto& [name, info] : scope) e->imports.push_back(info.slot);
    AnalyzeSingle(e->subquery.get(), scope, what);
    const Clause& last = e->subquery->clauses.back();
    if (e->kind == ExprKind::kExists && last.kind == ClauseKind::kReturn && last.has_aggregation) {
      bool grouped = false;
      for (const auto& item : last.items) grouped = grouped || !item.expr->aggregate;
      if (!grouped) {
        SyntaxError("InvalidAggregation",
                    "an EXISTS subquery whose RETURN only aggregates always finds a row",
                    last.pos);
      }
    }
  }

  // CALL proc(args) YIELD ...: the procedure, its arguments, its columns.
  void AnalyzeCall(Clause* c, Scope* scope, bool standalone) {
    const CallableProcedure* proc = FindCallable(c->procedure, procedures_);
    if (proc == nullptr) {
      throw CypherError("ProcedureError", "ProcedureNotFound",
                        "there is no procedure `" + c->procedure +
                            "`; CALL dbms.procedures() lists them",
                        c->pos);
    }
    c->callable = proc;
    if (!standalone && !c->has_arg_list) {
      SyntaxError("InvalidArgumentPassingMode",
                  "a CALL inside a query needs its argument list: CALL " + proc->name + "()",
                  c->pos);
    }
    if (proc->table != nullptr) {
      AnalyzeTableCall(c, *proc);
    } else if (const size_t max_args = proc->analytics ? 1 : 0; c->exprs.size() > max_args) {
      SyntaxError("InvalidNumberOfArguments",
                  proc->name + (proc->analytics ? " takes one argument, a map of options"
                                                : " takes no arguments"),
                  c->exprs[max_args]->pos);
    }
    for (auto& e : c->exprs) {
      ExprCtx ctx{.where = "in CALL"};
      AnalyzeExpr(e.get(), *scope, ctx);
      if (proc->analytics && e->kind == ExprKind::kMap) {
        for (const auto& key : e->keys) {
          if (!proc->analytics->ArgIndex(key)) {
            std::string names;
            for (const auto& a : proc->analytics->args) {
              names += std::string(names.empty() ? "" : ", ") + a.name;
            }
            ArgumentError("InvalidArgumentValue", proc->name + " has no option `" + key +
                                                      "`; its options are " + names,
                          e->pos);
          }
        }
      }
    }
    if (c->yield_star && !standalone) {
      SyntaxError("UnexpectedSyntax",
                  "YIELD * is only for a query that is a CALL alone; name the columns: YIELD " +
                      (proc->columns.empty() ? std::string("...") : proc->columns[0]),
                  c->pos);
    }
    if (c->yield_star || (standalone && c->yields.empty())) {
      c->yields.clear();
      for (const auto& column : proc->columns) {
        YieldItem item;
        item.pos = c->pos;
        item.column = item.var = column;
        c->yields.push_back(std::move(item));
      }
    } else if (c->yields.empty() && !proc->columns.empty()) {
      // Its columns are not variables until YIELD names them.
      SyntaxError("UndefinedVariable",
                  "a CALL inside a query needs YIELD to name the columns it uses: CALL " +
                      proc->name + "() YIELD " + proc->columns[0],
                  c->pos);
    }
    std::string columns;
    for (const auto& column : proc->columns) {
      columns += std::string(columns.empty() ? "" : ", ") + column;
    }
    for (auto& y : c->yields) {
      auto it = std::find(proc->columns.begin(), proc->columns.end(), y.column);
      if (it == proc->columns.end()) {
        SyntaxError("UndefinedVariable", proc->name + " has no column `" + y.column +
                                             "`; its columns are " + columns,
                    y.pos);
      }
      y.column_index = static_cast<size_t>(it - proc->columns.begin());
      const bool node = proc->analytics != nullptr &&
                        proc->analytics->columns[y.column_index].type == ProcColumnType::kNode;
      Declare(scope, y.var, node ? VarType::kNode : VarType::kAny, y.pos, &y.slot);
    }
    if (c->where) AnalyzeWhere(c->where.get(), *scope);
  }

  // The arguments of a table procedure: as many as its inputs, of their
  // types; without an argument list, the parameters named as the inputs.
  void AnalyzeTableCall(Clause* c, const CallableProcedure& proc) {
    const auto& inputs = proc.table->inputs;
    if (!c->has_arg_list) {
      for (const auto& in : inputs) analysis_.parameters.insert(in.name);
      return;
    }
    if (c->exprs.size() != inputs.size()) {
      SyntaxError("InvalidNumberOfArguments",
                  proc.name + " takes " + std::to_string(inputs.size()) + " arguments, not " +
                      std::to_string(c->exprs.size()),
                  c->pos);
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Expr& e = *c->exprs[i];
      if (e.kind == ExprKind::kLiteral && !Assignable(inputs[i].type, e.literal)) {
        SyntaxError("InvalidArgumentType", proc.name + ": argument `" + inputs[i].name +
                                               "` takes " + inputs[i].type,
                    e.pos);
      }
    }
  }

  void Declare(Scope* scope, const std::string& name, VarType type, size_t pos, int* slot) {
    if (scope->count(name)) {
      SyntaxError("VariableAlreadyBound", "variable `" + name + "` is already defined", pos);
    }
    *slot = NewSlot();
    (*scope)[name] = VarInfo{*slot, type};
  }

  void AnalyzeMatch(Clause* c, Scope* scope) {
    std::vector<std::string> rels_here;
    for (auto& part : c->patterns) AnalyzePattern(&part, scope, PatternMode::kMatch, &rels_here);
    for (auto& part : c->patterns) AnalyzePatternProps(&part, *scope, /*compares=*/true);
    if (c->where) AnalyzeWhere(c->where.get(), *scope);
  }

  void AnalyzeWhere(Expr* where, const Scope& scope) {
    ExprCtx ctx{.where = "in WHERE", .predicate = true};
    AnalyzeExpr(where, scope, ctx);
    if (NotBoolean(StaticType(*where, &scope))) {
      SyntaxError("InvalidArgumentType", "WHERE takes a predicate: true, false or null",
                  where->pos);
    }
  }

  // Variables of one pattern part: declared, or checked against the scope.
  void AnalyzePattern(PatternPart* part, Scope* scope, PatternMode mode,
                      std::vector<std::string>* rels_here) {
    const bool creating = mode == PatternMode::kCreate || mode == PatternMode::kMerge;
    if (!part->path_var.empty()) {
      if (mode == PatternMode::kPredicate) {
        SyntaxError("UnexpectedSyntax", "a pattern expression cannot name its path", part->pos);
      }
      if (scope->count(part->path_var)) {
        SyntaxError("VariableAlreadyBound", "variable `" + part->path_var + "` is already defined",
                    part->pos);
      }
    }
    if (creating && part->rels.empty() && !part->nodes[0].var.empty() &&
        scope->count(part->nodes[0].var)) {
      SyntaxError("VariableAlreadyBound", "node `" + part->nodes[0].var + "` exists already: " +
                  (mode == PatternMode::kCreate ? "CREATE would make nothing"
                                                : "MERGE would neither match nor create anything"),
                  part->nodes[0].pos);
    }
    if (part->kind != PathKind::kPattern) {
      if (creating) SyntaxError("UnexpectedSyntax", "shortestPath cannot be created", part->pos);
      if (part->rels.size() != 1 || !part->rels[0].var_length) {
        SyntaxError("UnexpectedSyntax",
                    "shortestPath takes one variable-length relationship: (a)-[*]-(b)", part->pos);
      }
    }
    for (auto& n : part->nodes) {
      if (n.var.empty()) {
        n.slot = NewSlot();
        continue;
      }
      auto it = scope->find(n.var);
      if (it != scope->end()) {
        VarType t = it->second.type;
        if (t != VarType::kNode && t != VarType::kAny) {
          SyntaxError("VariableTypeConflict", "`" + n.var + "` is " + VarTypeName(t) +
                      ", not a node", n.pos);
        }
        if (creating && (!n.labels.empty() || n.props) && IsBoundOutside(n.var, part)) {
          SyntaxError("VariableAlreadyBound", "node `" + n.var + "` already exists: " +
                      std::string(mode == PatternMode::kCreate ? "CREATE" : "MERGE") +
                      " cannot give it labels or properties", n.pos);
        }
        n.slot = it->second.slot;
        n.was_bound = true;
        if (t == VarType::kAny) it->second.type = VarType::kNode;
        continue;
      }
      if (mode == PatternMode::kPredicate) {
        SyntaxError("UndefinedVariable", "variable `" + n.var + "` is not defined", n.pos);
      }
      n.slot = NewSlot();
      (*scope)[n.var] = VarInfo{n.slot, VarType::kNode};
      declared_here_.push_back(n.var);
    }
    for (auto& r : part->rels) {
      if (creating && !r.var.empty() && scope->count(r.var)) {
        SyntaxError("VariableAlreadyBound", "relationship `" + r.var + "` already exists", r.pos);
      }
      if (creating) {
        if (r.var_length) {
          SyntaxError("CreatingVarLength", "variable-length relationships cannot be created",
                      r.pos);
        }
        if (r.types.size() != 1) {
          SyntaxError("NoSingleRelationshipType",
                      "a relationship is created with exactly one type", r.pos);
        }
        if (mode == PatternMode::kCreate && r.dir == Direction::kBoth) {
          SyntaxError("RequiresDirectedRelationship",
                      "a relationship is created with a direction: -> or <-", r.pos);
        }
      }
      if (r.var_length && r.min_hops && r.max_hops && *r.min_hops > *r.max_hops &&
          mode != PatternMode::kMatch) {
        SyntaxError("InvalidRelationshipPattern", "bad variable-length range", r.pos);
      }
      if (r.var.empty()) {
        r.slot = NewSlot();
        continue;
      }
      const VarType want = r.var_length ? VarType::kRelList : VarType::kRel;
      auto it = scope->find(r.var);
      if (it != scope->end()) {
        VarType t = it->second.type;
        if (creating) {
          if (t != VarType::kRel && t != VarType::kAny) {
            SyntaxError("VariableTypeConflict", "`" + r.var + "` is " + VarTypeName(t) +
                        ", not a relationship", r.pos);
          }
          SyntaxError("VariableAlreadyBound", "relationship `" + r.var + "` already exists",
                      r.pos);
        }
        if (t != want && t != VarType::kAny && !(t == VarType::kList && r.var_length)) {
          SyntaxError("VariableTypeConflict", "`" + r.var + "` is " + VarTypeName(t) + ", not " +
                      VarTypeName(want), r.pos);
        }
        if (rels_here && std::find(rels_here->begin(), rels_here->end(), r.var) != rels_here->end()) {
          SyntaxError("RelationshipUniquenessViolation",
                      "relationship `" + r.var + "` appears twice in one pattern", r.pos);
        }
        if (rels_here) rels_here->push_back(r.var);
        r.slot = it->second.slot;
        r.was_bound = true;
        continue;
      }
      if (mode == PatternMode::kPredicate) {
        SyntaxError("UndefinedVariable", "variable `" + r.var + "` is not defined", r.pos);
      }
      r.slot = NewSlot();
      (*scope)[r.var] = VarInfo{r.slot, want};
      declared_here_.push_back(r.var);
      if (rels_here) rels_here->push_back(r.var);
    }
    if (!part->path_var.empty()) {
      if (scope->count(part->path_var)) {
        SyntaxError("VariableAlreadyBound", "variable `" + part->path_var +
                    "` names both the path and an element of it", part->pos);
      }
      part->path_slot = NewSlot();
      (*scope)[part->path_var] = VarInfo{part->path_slot, VarType::kPath};
    }
    if (mode != PatternMode::kMatch) {
      AnalyzePatternProps(part, *scope, /*compares=*/mode != PatternMode::kCreate);
    }
  }

  // True unless `var` was declared by an earlier element of this same part
  // (CREATE (a:L)-[:R]->(a) gives `a` its label once).
  bool IsBoundOutside(const std::string& var, const PatternPart* part) const {
    for (const auto& n : part->nodes) {
      if (n.var == var && n.slot >= 0 && !n.was_bound) return false;  // declared in this part
    }
    return true;
  }

  // `compares`: the pattern matches (MATCH, MERGE, a predicate), so its
  // property maps are comparisons; CREATE's only write.
  void AnalyzePatternProps(PatternPart* part, const Scope& scope, bool compares) {
    for (auto& n : part->nodes) {
      if (n.props) AnalyzeProps(n.props.get(), scope);
    }
    for (auto& r : part->rels) {
      if (!r.props) continue;
      AnalyzeProps(r.props.get(), scope);
      if (!compares || r.props->kind != ExprKind::kMap) continue;
      // [e {valid_from: '2021-01-01'}] compares a DATE with a STRING (and a
      // MERGE would never match and so create a duplicate).
      for (size_t i = 0; i < r.props->keys.size(); ++i) {
        const std::string& key = r.props->keys[i];
        if (key == "valid_from" || key == "valid_to") {
          RefuseDateAgainstString(SType::kDate, *r.props->args[i], scope);
        }
      }
    }
  }

  void AnalyzeProps(Expr* props, const Scope& scope) {
    if (props->kind == ExprKind::kParameter) {
      SyntaxError("InvalidParameterUse",
                  "a parameter cannot give a pattern's properties; write {key: $param}",
                  props->pos);
    }
    ExprCtx ctx{.where = "in a pattern"};
    AnalyzeExpr(props, scope, ctx);
  }

  void AnalyzeSetItem(SetItem* item, const Scope& scope) {
    ExprCtx ctx{.where = "in SET"};
    AnalyzeExpr(item->target.get(), scope, ctx);
    if (item->value) AnalyzeExpr(item->value.get(), scope, ctx);
  }

  // --- projections -------------------------------------------------------------
  Scope AnalyzeProjection(Clause* c, const Scope& scope) {
    const bool is_with = c->kind == ClauseKind::kWith;
    Scope out;
    if (c->star) {
      for (const auto& [name, info] : scope) {
        c->star_names.push_back(name);
        c->star_slots.push_back(info.slot);
        out[name] = info;
      }
      if (c->star_names.empty() && c->items.empty() && c->kind == ClauseKind::kReturn) {
        SyntaxError("NoVariablesInScope", "RETURN * and WITH * need variables in scope", c->pos);
      }
    }
    std::vector<Expr*> aggs;
    // An unnamed expression in WITH is refused after ORDER BY is checked: an
    // ORDER BY that mixes it with an aggregation is the graver error.
    const Expr* unnamed = nullptr;
    for (auto& item : c->items) {
      ExprCtx ctx{.allow_agg = true, .aggs = &aggs, .where = "here"};
      AnalyzeExpr(item.expr.get(), scope, ctx);
      if (is_with && !item.aliased && item.expr->kind != ExprKind::kVariable && !unnamed) {
        unnamed = item.expr.get();
      }
      if (item.expr->aggregate) c->has_aggregation = true;
    }
    c->aggregates = aggs;
    std::vector<std::string> names = c->star_names;
    for (auto& item : c->items) {
      if (std::find(names.begin(), names.end(), item.alias) != names.end()) {
        SyntaxError("ColumnNameConflict", "column `" + item.alias + "` is named twice",
                    item.expr->pos);
      }
      names.push_back(item.alias);
    }
    if (c->has_aggregation) {
      std::vector<const Expr*> keys;
      for (auto& item : c->items) {
        if (!item.expr->aggregate) keys.push_back(item.expr.get());
      }
      for (auto& item : c->items) {
        if (item.expr->aggregate) CheckGrouping(*item.expr, keys, c->star_names);
      }
    }
    for (auto& item : c->items) {
      item.slot = NewSlot();
      VarType type = VarType::kAny;
      SType value_type = SType::kUnknown;
      if (item.expr->kind == ExprKind::kVariable) {
        auto it = scope.find(item.expr->name);
        if (it != scope.end()) {
          type = it->second.type;
          value_type = it->second.value_type;
        }
      } else if (SType t = StaticType(*item.expr, &scope); t != SType::kUnknown && t != SType::kNull) {
        // (A list may hold relationships, for a var-length pattern.)
        type = t == SType::kList   ? VarType::kList
               : t == SType::kNode ? VarType::kNode
               : t == SType::kRel  ? VarType::kRel
               : t == SType::kPath ? VarType::kPath
                                   : VarType::kValue;
        if (type == VarType::kValue) value_type = t;
      }
      out[item.alias] = VarInfo{item.slot, type, value_type};
    }
    // ORDER BY sees the projected names and, unless the projection
    // aggregates or is DISTINCT, the variables before it too.
    Scope order_scope = out;
    if (!c->has_aggregation && !c->distinct) {
      for (const auto& [name, info] : scope) order_scope.emplace(name, info);
    }
    for (auto& s : c->order) {
      const bool aggregates = c->has_aggregation && CallsAggregation(*s.expr);
      RewriteProjected(&s.expr, *c, /*simple_only=*/c->has_aggregation);
      if (aggregates) CheckOrderGrouping(*s.expr, *c, out, scope);
      ExprCtx ctx{.allow_agg = false, .where = "in ORDER BY"};
      if (c->has_aggregation) {
        // Aggregations not projected cannot be ordered by.
        ctx.allow_agg = false;
      }
      AnalyzeExpr(s.expr.get(), order_scope, ctx);
    }
    if (unnamed) {
      SyntaxError("NoExpressionAlias", "an expression in WITH needs a name: WITH expr AS name",
                  unnamed->pos);
    }
    CheckSkipLimit(c->skip.get(), "SKIP");
    CheckSkipLimit(c->limit.get(), "LIMIT");
    if (c->where) {
      // WITH ... WHERE sees the projected names and, unless the projection
      // aggregates, the variables before it.
      Scope where_scope = out;
      if (!c->has_aggregation) {
        for (const auto& [name, info] : scope) where_scope.emplace(name, info);
      }
      AnalyzeWhere(c->where.get(), where_scope);
    }
    (void)is_with;
    return out;
  }

  // ORDER BY count(*) after RETURN count(*): refer to the projected column.
  // With `simple_only` (an aggregating projection) only columns that are a
  // variable, a property of one, or an aggregation are referred to: the
  // openCypher rules do not let ORDER BY reuse a more complex grouping key.
  void RewriteProjected(ExprPtr* e, const Clause& c, bool simple_only) {
    for (const auto& item : c.items) {
      const Expr& x = *item.expr;
      const bool simple = x.kind == ExprKind::kVariable || (x.aggregate && x.agg_index >= 0) ||
                          x.kind == ExprKind::kCountStar ||
                          (x.kind == ExprKind::kProperty && x.args[0]->kind == ExprKind::kVariable);
      if (simple_only && !simple) continue;
      if (item.slot >= 0 && SameExpr(**e, *item.expr)) {
        auto v = std::make_unique<Expr>(ExprKind::kVariable, (*e)->pos);
        v->end = (*e)->end;
        v->name = item.alias;
        *e = std::move(v);
        return;
      }
    }
    for (auto& a : (*e)->args) {
      if (a) RewriteProjected(&a, c, simple_only);
    }
  }

  // An ORDER BY expression with an aggregation, after an aggregating
  // projection: a variable it reads must be a projected name; one that only
  // a (complex) grouping key reads is ambiguous, any other undefined.
  void CheckOrderGrouping(const Expr& e, const Clause& c, const Scope& out, const Scope& before) {
    if (e.kind == ExprKind::kVariable) {
      if (out.count(e.name)) return;
      for (const auto& item : c.items) {
        if (!item.expr->aggregate && ReadsVariable(*item.expr, e.name) && before.count(e.name)) {
          SyntaxError("AmbiguousAggregationExpression",
                      "`" + e.name + "` is used beside an aggregation but is not a grouping key",
                      e.pos);
        }
      }
      SyntaxError("UndefinedVariable", "variable `" + e.name + "` is not defined", e.pos);
    }
    if (e.kind == ExprKind::kFunction) {
      const FunctionInfo* f = FindFunction(e.name);
      if (f && f->aggregate) return;
    }
    for (const auto& a : e.args) {
      if (a) CheckOrderGrouping(*a, c, out, before);
    }
  }

  static bool ReadsVariable(const Expr& e, const std::string& name) {
    if (e.kind == ExprKind::kVariable && e.name == name) return true;
    for (const auto& a : e.args) {
      if (a && ReadsVariable(*a, name)) return true;
    }
    return false;
  }

  // Outside aggregation calls, an aggregating item may only use grouping
  // keys: RETURN n.x, n.x + count(*) is fine, RETURN n.y + count(*) is not.
  void CheckGrouping(const Expr& e, const std::vector<const Expr*>& keys,
                     const std::vector<std::string>& star_names) {
    if (e.agg_index >= 0 || e.kind == ExprKind::kCountStar) return;
    if (e.kind == ExprKind::kFunction) {
      const FunctionInfo* f = FindFunction(e.name);
      if (f && f->aggregate) return;
    }
    // Only simple grouping keys (a variable, or a property of one) may be
    // used beside an aggregation: RETURN a.x + b.x, a.x + b.x + count(*)
    // is ambiguous to the openCypher rules.
    for (const Expr* k : keys) {
      const bool simple = k->kind == ExprKind::kVariable ||
                          (k->kind == ExprKind::kProperty && k->args[0]->kind == ExprKind::kVariable);
      if (simple && SameExpr(e, *k)) return;
    }
    if (e.kind == ExprKind::kVariable) {
      if (std::find(star_names.begin(), star_names.end(), e.name) != star_names.end()) return;
      SyntaxError("AmbiguousAggregationExpression",
                  "`" + e.name + "` is used beside an aggregation but is not a grouping key",
                  e.pos);
    }
    if (e.kind == ExprKind::kListComprehension || e.kind == ExprKind::kQuantifier ||
        e.kind == ExprKind::kReduce) {
      if (e.args[0]) CheckGrouping(*e.args[0], keys, star_names);
      return;
    }
    for (const auto& a : e.args) {
      if (a) CheckGrouping(*a, keys, star_names);
    }
    if (e.else_expr) CheckGrouping(*e.else_expr, keys, star_names);
  }

  void CheckSkipLimit(Expr* e, const char* what) {
    if (!e) return;
    if (ContainsVariable(*e)) {
      SyntaxError("NonConstantExpression",
                  std::string(what) + " takes a constant: a literal, a parameter or an "
                  "expression of them", e->pos);
    }
    Scope empty;
    ExprCtx ctx{.where = what};
    AnalyzeExpr(e, empty, ctx);
    if (e->kind == ExprKind::kLiteral) {
      if (e->literal.type() == Value::Type::kInt && e->literal.integer() < 0) {
        SyntaxError("NegativeIntegerArgument", std::string(what) + " cannot be negative", e->pos);
      }
      if (e->literal.type() != Value::Type::kInt) {
        SyntaxError("InvalidArgumentType", std::string(what) + " takes an integer", e->pos);
      }
    }
  }

  // --- expressions -----------------------------------------------------------------
  void AnalyzeExpr(Expr* e, const Scope& scope, ExprCtx& outer) {
    CheckStack(e->pos);
    // Only operands of AND, OR, XOR and NOT in a predicate's position are
    // in one too; every other operand is a value.
    const bool predicate = outer.predicate;
    ExprCtx ctx = outer;
    ctx.predicate = false;
    ExprCtx pred_ctx = ctx;
    pred_ctx.predicate = true;
    switch (e->kind) {
      case ExprKind::kVariable: {
        auto it = scope.find(e->name);
        if (it == scope.end()) {
          SyntaxError("UndefinedVariable", "variable `" + e->name + "` is not defined", e->pos);
        }
        e->slot = it->second.slot;
        return;
      }
      case ExprKind::kParameter:
        analysis_.parameters.insert(e->name);
        return;
      case ExprKind::kLiteral: return;
      case ExprKind::kCountStar:
        MarkAggregate(e, outer);
        return;
      case ExprKind::kFunction: {
        const FunctionInfo* f = FindFunction(e->name);
        if (f == nullptr) {
          SyntaxError("UnknownFunction", "unknown function '" + e->name + "'", e->pos);
        }
        const int n = static_cast<int>(e->args.size());
        if (n < f->min_args || (f->max_args >= 0 && n > f->max_args)) {
          SyntaxError("InvalidNumberOfArguments",
                      std::string(f->name) + "() takes " + ArgCount(*f) + ", not " +
                          std::to_string(n),
                      e->pos);
        }
        e->name = f->name;
        if (f->aggregate) {
          ExprCtx inner = ctx;
          if (ctx.inside_agg) {
            SyntaxError("NestedAggregation", "an aggregation cannot contain another", e->pos);
          }
          inner.inside_agg = true;
          for (auto& a : e->args) {
            if (CallsRand(*a)) {
              SyntaxError("NonConstantExpression",
                          "an aggregation cannot take rand(): its value would be arbitrary",
                          a->pos);
            }
            AnalyzeExpr(a.get(), scope, inner);
          }
          MarkAggregate(e, outer);
          return;
        }
        if (e->distinct) {
          SyntaxError("UnexpectedSyntax", "DISTINCT applies only to aggregations", e->pos);
        }
        if (e->name == "exists") {
          AnalyzeExpr(e->args[0].get(), scope, pred_ctx);
          return;
        }
        if ((e->name == "size" || e->name == "length") && e->args.size() == 1 &&
            StaticType(*e->args[0], &scope) == SType::kPath && e->name == "size") {
          SyntaxError("InvalidArgumentType", "size() takes a list or a string; the length of "
                      "a path is length(p)", e->args[0]->pos);
        }
        if (e->args.size() == 1) CheckGraphFunctionArgument(*e, StaticType(*e->args[0], &scope));
        break;
      }
      case ExprKind::kListComprehension:
      case ExprKind::kQuantifier: {
        AnalyzeExpr(e->args[0].get(), scope, ctx);
        Scope local = scope;
        e->slot = NewSlot();
        local[e->name] = VarInfo{e->slot, VarType::kAny, ElementType(*e->args[0], scope)};
        ExprCtx inner = ctx;
        inner.allow_agg = false;
        for (size_t i = 1; i < e->args.size(); ++i) {
          inner.predicate = i == 1;  // the WHERE
          if (e->args[i]) AnalyzeExpr(e->args[i].get(), local, inner);
        }
        e->aggregate = e->args[0]->aggregate;
        return;
      }
      case ExprKind::kReduce: {
        AnalyzeExpr(e->args[0].get(), scope, ctx);
        AnalyzeExpr(e->args[1].get(), scope, ctx);
        Scope local = scope;
        e->acc_slot = NewSlot();
        local[e->keys[0]] = VarInfo{e->acc_slot, VarType::kAny};
        e->slot = NewSlot();
        local[e->name] = VarInfo{e->slot, VarType::kAny};
        ExprCtx inner = ctx;
        inner.allow_agg = false;
        AnalyzeExpr(e->args[2].get(), local, inner);
        e->aggregate = e->args[0]->aggregate || e->args[1]->aggregate;
        return;
      }
      case ExprKind::kPattern: {
        if (!predicate && e->pattern->kind == PathKind::kPattern) {
          SyntaxError("UnexpectedSyntax",
                      "a pattern here can only be a predicate (in WHERE, or exists(...)); "
                      "for its matches use a pattern comprehension [(a)-->(b) | b]",
                      e->pos);
        }
        if (e->pattern->path_slot < 0) e->pattern->path_slot = NewSlot();
        Scope local = scope;
        AnalyzePattern(e->pattern.get(), &local,
                       e->pattern->kind == PathKind::kPattern ? PatternMode::kPredicate
                                                              : PatternMode::kLocal,
                       nullptr);
        return;
      }
      case ExprKind::kExists:
      case ExprKind::kCountSubquery:
        if (e->subquery) {
          AnalyzeSubquery(e, scope);
          return;
        }
        [[fallthrough]];
      case ExprKind::kPatternComprehension: {
        Scope local = scope;
        AnalyzePattern(e->pattern.get(), &local, PatternMode::kLocal, nullptr);
        ExprCtx inner = ctx;
        inner.allow_agg = false;
        for (size_t i = 0; i < e->args.size(); ++i) {
          // EXISTS { ... WHERE p } and [pattern WHERE p | x]: p is a predicate.
          inner.predicate = i == 0;
          if (e->args[i]) AnalyzeExpr(e->args[i].get(), local, inner);
        }
        return;
      }
      case ExprKind::kMapProjection: {
        AnalyzeExpr(e->args[0].get(), scope, ctx);
        for (auto& item : e->map_items) {
          if (item.kind == MapItem::kLiteral) {
            AnalyzeExpr(item.value.get(), scope, ctx);
            e->aggregate = e->aggregate || item.value->aggregate;
          } else if (item.kind == MapItem::kVariable) {
            auto it = scope.find(item.key);
            if (it == scope.end()) {
              SyntaxError("UndefinedVariable", "variable `" + item.key + "` is not defined",
                          e->pos);
            }
            item.slot = it->second.slot;
          }
        }
        return;
      }
      default: break;
    }
    const bool logical = (e->kind == ExprKind::kUnary && e->op == Op::kNot) ||
                         (e->kind == ExprKind::kBinary &&
                          (e->op == Op::kAnd || e->op == Op::kOr || e->op == Op::kXor));
    for (auto& a : e->args) {
      if (!a) continue;
      ExprCtx& child = logical && predicate ? pred_ctx : ctx;
      AnalyzeExpr(a.get(), scope, child);
      e->aggregate = e->aggregate || a->aggregate;
    }
    if (logical) {
      for (auto& a : e->args) {
        if (NotBoolean(StaticType(*a, &scope))) {
          SyntaxError("InvalidArgumentType", "AND, OR, XOR and NOT take booleans", a->pos);
        }
      }
    }
    if (e->kind == ExprKind::kBinary &&
        (e->op == Op::kEq || e->op == Op::kNe || e->op == Op::kLt || e->op == Op::kGt ||
         e->op == Op::kLe || e->op == Op::kGe)) {
      CheckNotDateAgainstString(*e, scope);
    }
    if (e->kind == ExprKind::kBinary && IsArithmetic(e->op)) {
      SType a = StaticType(*e->args[0], &scope), b = StaticType(*e->args[1], &scope);
      if (ArithmeticMismatch(e->op, a, b) || ArithmeticMismatch(e->op, b, a)) {
        SyntaxError("InvalidArgumentType", "arithmetic on " + std::string(STypeName(a)) +
                    " and " + STypeName(b), e->pos);
      }
    }
    if (e->kind == ExprKind::kBinary && e->op == Op::kIn) {
      SType t = StaticType(*e->args[1], &scope);
      if (t != SType::kUnknown && t != SType::kNull && t != SType::kList) {
        SyntaxError("InvalidArgumentType", "IN takes a list on its right", e->args[1]->pos);
      }
    }
    if (e->kind == ExprKind::kProperty) {
      SType t = StaticType(*e->args[0], &scope);
      if (t == SType::kPath) {
        SyntaxError("InvalidArgumentType", "a path has no properties", e->args[0]->pos);
      }
      if (t != SType::kUnknown && t != SType::kNull && t != SType::kMap && t != SType::kNode &&
          t != SType::kRel && t != SType::kDate && t != SType::kDuration) {
        TypeError("InvalidArgumentType", "cannot read property `" + e->name + "` of " +
                  (t == SType::kList ? std::string("a list") : "a " + std::string(STypeName(t))),
                  e->pos);
      }
    }
    if (e->else_expr) {
      AnalyzeExpr(e->else_expr.get(), scope, ctx);
      e->aggregate = e->aggregate || e->else_expr->aggregate;
    }
  }

  // A DATE compared with a STRING is null in openCypher, which would
  // silently empty a query written when validity dates were text
  // (r.valid_from >= '2021-01-01'): refused where the text shows both
  // types, naming the fix. eval.cc refuses the cases only a run can see.
  static void CheckNotDateAgainstString(const Expr& e, const Scope& scope) {
    const Expr& a = *e.args[0];
    const Expr& b = *e.args[1];
    RefuseDateAgainstString(StaticType(a, &scope), b, scope);
    RefuseDateAgainstString(StaticType(b, &scope), a, scope);
  }

  // Refuses `other` compared with a value of static type `type` when that
  // is a DATE and `other` a STRING; the error points at the string.
  static void RefuseDateAgainstString(SType type, const Expr& other, const Scope& scope) {
    if (type != SType::kDate || StaticType(other, &scope) != SType::kString) return;
    const Expr* text = &other;
    std::string fix = "date('2021-01-01')";
    if (text->kind == ExprKind::kLiteral && ParseIsoDate(text->literal.string())) {
      fix = "date('" + text->literal.string() + "')";
    }
    SyntaxError("InvalidArgumentType", "cannot compare a DATE with a STRING (it would be null, "
                "never true); write the date as " + fix, text->pos);
  }

  // type(), length() and properties() of a value that the text shows is of
  // the wrong kind fail whatever the data.
  static void CheckGraphFunctionArgument(const Expr& e, SType t) {
    if (t == SType::kUnknown || t == SType::kNull) return;
    const std::string& f = e.name;
    const bool wrong = (f == "type" && t != SType::kRel) ||
                       (f == "length" && (t == SType::kNode || t == SType::kRel)) ||
                       (f == "properties" && t != SType::kNode && t != SType::kRel &&
                        t != SType::kMap);
    if (wrong) {
      SyntaxError("InvalidArgumentType", f + "() cannot take " +
                  (t == SType::kNode ? std::string("a node")
                   : t == SType::kRel ? std::string("a relationship")
                   : t == SType::kPath ? std::string("a path")
                   : t == SType::kList ? std::string("a list")
                   : t == SType::kMap  ? std::string("a map")
                                       : "a " + std::string(STypeName(t))),
                  e.args[0]->pos);
    }
  }

  void MarkAggregate(Expr* e, ExprCtx& ctx) {
    if (ctx.inside_agg) {
      SyntaxError("NestedAggregation", "an aggregation cannot contain another", e->pos);
    }
    if (!ctx.allow_agg || ctx.aggs == nullptr) {
      SyntaxError("InvalidAggregation",
                  std::string("aggregations are not allowed ") + ctx.where, e->pos);
    }
    e->aggregate = true;
    e->agg_index = static_cast<int>(ctx.aggs->size());
    ctx.aggs->push_back(e);
  }

  static std::string ArgCount(const FunctionInfo& f) {
    if (f.max_args < 0) return "at least " + std::to_string(f.min_args) + " arguments";
    if (f.min_args == f.max_args) {
      return std::to_string(f.min_args) + (f.min_args == 1 ? " argument" : " arguments");
    }
    return std::to_string(f.min_args) + " to " + std::to_string(f.max_args) + " arguments";
  }

  Query& q_;
  const std::vector<CallableProcedure>* procedures_;
  int next_slot_ = 0;
  Analysis analysis_;
  std::vector<std::string> declared_here_;
};

bool SamePattern(const PatternPart& a, const PatternPart& b) {
  if (a.nodes.size() != b.nodes.size() || a.path_var != b.path_var || a.kind != b.kind) {
    return false;
  }
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    if (a.nodes[i].var != b.nodes[i].var || a.nodes[i].labels != b.nodes[i].labels) return false;
  }
  for (size_t i = 0; i < a.rels.size(); ++i) {
    const auto& x = a.rels[i];
    const auto& y = b.rels[i];
    if (x.var != y.var || x.types != y.types || x.dir != y.dir || x.var_length != y.var_length ||
        x.min_hops != y.min_hops || x.max_hops != y.max_hops) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool SameExpr(const Expr& a, const Expr& b) {
  CheckStack(a.pos);
  if (a.kind != b.kind || a.op != b.op || a.distinct != b.distinct ||
      a.quantifier != b.quantifier || a.keys != b.keys || a.args.size() != b.args.size()) {
    return false;
  }
  if (a.kind == ExprKind::kFunction) {
    if (strcasecmp(a.name.c_str(), b.name.c_str()) != 0) return false;
  } else if (a.name != b.name) {
    return false;
  }
  if (a.kind == ExprKind::kLiteral &&
      (a.literal.type() != b.literal.type() || !Equivalent(a.literal, b.literal))) {
    return false;
  }
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!a.args[i] != !b.args[i]) return false;
    if (a.args[i] && !SameExpr(*a.args[i], *b.args[i])) return false;
  }
  if (!a.else_expr != !b.else_expr) return false;
  if (a.else_expr && !SameExpr(*a.else_expr, *b.else_expr)) return false;
  if (!a.pattern != !b.pattern) return false;
  if (a.pattern && !SamePattern(*a.pattern, *b.pattern)) return false;
  return a.map_items.empty() && b.map_items.empty();
}

Analysis Analyze(Query* query, const std::vector<CallableProcedure>* procedures) {
  return Analyzer(query, procedures).Run();
}

}  // namespace samverkan::cypher
