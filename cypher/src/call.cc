// call.cc: the procedures CALL can call and the operator that calls them.
// See call.h.
#include "call.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "error.h"
#include "eval.h"
#include "json_value.h"
#include "samverkan/text.h"

namespace samverkan::cypher {
namespace {

using T = Value::Type;

const char* ValueTypeName(const Value& v) {
  switch (v.type()) {
    case T::kNull: return "null";
    case T::kBool: return "a boolean";
    case T::kInt: return "an integer";
    case T::kFloat: return "a float";
    case T::kString: return "a string";
    case T::kList: return "a list";
    case T::kMap: return "a map";
    case T::kNode: return "a node";
    case T::kRelationship: return "a relationship";
    case T::kPath: return "a path";
    case T::kDate: return "a date";
    case T::kDuration: return "a duration";
  }
  return "a value";
}

// A Cypher value as the engine argument `arg` takes it; the engine checks
// the rest (ranges, choices, dates) and says what is wrong.
ProcValue ToProcValue(const std::string& proc, const ProcArg& arg, const Value& v, size_t pos) {
  auto wrong = [&](const char* want) -> ProcValue {
    ArgumentError("InvalidArgumentType", proc + ": option `" + arg.name + "` takes " + want +
                                             ", not " + ValueTypeName(v),
                  pos);
  };
  switch (v.type()) {
    case T::kNull: return ProcValue();
    case T::kBool: return ProcValue(v.boolean());
    case T::kInt: return ProcValue(int64_t{v.integer()});
    case T::kFloat: return ProcValue(v.floating());
    case T::kString:
      if (arg.type == ProcArgType::kNames || arg.type == ProcArgType::kShares) {
        return ProcValue(ProcNames{v.string()});
      }
      return ProcValue(v.string());
    case T::kDate:
      // valid_on: the engine reads ISO text, as from SQL.
      if (arg.type != ProcArgType::kDate) return wrong(ProcArgTypeName(arg.type));
      return ProcValue(DateText(v.date()));
    case T::kList: {
      if (arg.type != ProcArgType::kNames && arg.type != ProcArgType::kShares) {
        return wrong(ProcArgTypeName(arg.type));
      }
      ProcNames names;
      for (const Value& item : v.list()) {
        if (item.type() != T::kString) return wrong("a list of strings");
        names.push_back(item.string());
      }
      return ProcValue(std::move(names));
    }
    case T::kMap: {
      if (arg.type != ProcArgType::kShares) return wrong(ProcArgTypeName(arg.type));
      ProcShares shares;
      for (const auto& [key, share] : v.map()) {
        if (!share.is_number()) return wrong("a map of numbers");
        shares.emplace_back(key, share.number());
      }
      return ProcValue(std::move(shares));
    }
    default: return wrong(ProcArgTypeName(arg.type));
  }
}

std::string OptionNames(const Procedure& p) {
  std::string out;
  for (size_t i = 0; i < p.args.size(); ++i) out += std::string(i ? ", " : "") + p.args[i].name;
  return out;
}

// --- db.* and dbms.* -------------------------------------------------------------------------

std::vector<std::vector<Value>> Labels(ExecContext& ctx) {
  const GraphView& view = ctx.graph.view();
  std::vector<Value> labels;
  for (const std::string& kind : view.schema().Names(SymbolSpace::kKind)) {
    if (kind == kUnlabelledKind) continue;
    auto sym = view.schema().Find(SymbolSpace::kKind, kind);
    if (sym && Unwrap(view.CountNodes(SymbolSpace::kKind, *sym, 1)) > 0) {
      labels.push_back(Value::String(kind));
    }
  }
  return {std::move(labels)};
}

std::vector<std::vector<Value>> RelationshipTypes(ExecContext& ctx) {
  std::vector<Value> types;
  for (const std::string& t : ctx.graph.view().schema().Names(SymbolSpace::kEdgeType)) {
    types.push_back(Value::String(t));
  }
  return {std::move(types)};
}

std::vector<std::vector<Value>> PropertyKeys(ExecContext& ctx) {
  QueryGraph& g = ctx.graph;
  std::set<std::string> keys;
  size_t seen = 0;
  for (NodeId id : g.AllNodes()) {
    if (++seen % 1024 == 0) g.CheckInterrupt();
    const Value props = g.NodeProperties(id);
    for (const auto& [key, value] : props.map()) keys.insert(key);
  }
  for (const Hop& hop : g.AllRelationships()) {
    if (++seen % 1024 == 0) g.CheckInterrupt();
    const Value props = g.RelProperties(hop.rel);
    for (const auto& [key, value] : props.map()) keys.insert(key);
  }
  std::vector<Value> out;
  for (const auto& k : keys) out.push_back(Value::String(k));
  return {std::move(out)};
}

std::vector<std::vector<Value>> ListProcedures(ExecContext&) {
  std::vector<std::vector<Value>> columns(4);
  for (const auto& p : CallableProcedures()) {
    columns[0].push_back(Value::String(p.name));
    columns[1].push_back(Value::String(p.signature));
    columns[2].push_back(Value::String(p.description));
    columns[3].push_back(Value::String(p.options));
  }
  return columns;
}

CallableProcedure Fixed(std::string name, std::vector<std::string> columns,
                        std::vector<std::vector<Value>> (*rows)(ExecContext&),
                        std::string description) {
  CallableProcedure p;
  p.name = std::move(name);
  p.signature = p.name + "() :: (";
  for (size_t i = 0; i < columns.size(); ++i) {
    p.signature += (i ? ", " : "") + columns[i] + " :: STRING";
  }
  p.signature += ")";
  p.columns = std::move(columns);
  p.rows = rows;
  p.description = std::move(description);
  return p;
}

std::string CypherTypeName(ProcColumnType t) {
  switch (t) {
    case ProcColumnType::kNode: return "NODE";
    case ProcColumnType::kInteger: return "INTEGER";
    case ProcColumnType::kNumber: return "FLOAT";
    case ProcColumnType::kText: return "STRING";
  }
  return "ANY";
}

}  // namespace

const std::vector<CallableProcedure>& CallableProcedures() {
  static const std::vector<CallableProcedure>* const kAll = [] {
    auto* all = new std::vector<CallableProcedure>();
    for (const Procedure* p : Procedures()) {
      CallableProcedure c;
      c.name = "samverkan." + std::string(p->name);
      c.analytics = p;
      c.signature = c.name + "(options :: MAP?) :: (";
      for (size_t i = 0; i < p->columns.size(); ++i) {
        c.columns.push_back(p->columns[i].name);
        c.signature += std::string(i ? ", " : "") + p->columns[i].name + " :: " +
                       CypherTypeName(p->columns[i].type);
      }
      c.signature += ")";
      c.description = p->summary;
      for (const ProcArg& a : p->args) {
        c.options += std::string(c.options.empty() ? "" : ", ") + a.name + " (" +
                     ProcArgTypeName(a.type) + ", " +
                     (std::string_view(a.fallback) == "NULL" ? "null" : a.fallback) + ")";
      }
      all->push_back(std::move(c));
    }
    all->push_back(Fixed("db.labels", {"label"}, Labels, "every label (kind) that has nodes"));
    all->push_back(Fixed("db.relationshipTypes", {"relationshipType"}, RelationshipTypes,
                         "every relationship type the graph knows"));
    all->push_back(Fixed("db.propertyKeys", {"propertyKey"}, PropertyKeys,
                         "every property key of a node or relationship (reads the whole graph)"));
    all->push_back(Fixed("dbms.procedures", {"name", "signature", "description", "options"},
                         ListProcedures,
                         "the procedures CALL can call"));
    std::sort(all->begin(), all->end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return all;
  }();
  return *kAll;
}

const CallableProcedure* FindCallable(std::string_view name,
                                      const std::vector<CallableProcedure>* extra) {
  for (const auto& p : CallableProcedures()) {
    if (p.name == name) return &p;
  }
  if (extra != nullptr) {
    for (const auto& p : *extra) {
      if (p.name == name) return &p;
    }
  }
  return nullptr;
}

std::vector<CallableProcedure> TableCallables(const TableProcedures& procedures) {
  std::vector<CallableProcedure> out;
  for (const auto& t : procedures) {
    CallableProcedure c;
    c.name = t->name;
    c.table = t;
    for (const auto& o : t->outputs) c.columns.push_back(o.name);
    c.description = "a table procedure";
    out.push_back(std::move(c));
  }
  return out;
}

bool Assignable(const std::string& type, const Value& v) {
  std::string t = type;
  if (!t.empty() && t.back() == '?') t.pop_back();
  switch (v.type()) {
    case T::kNull: return true;
    case T::kInt: return t == "INTEGER" || t == "FLOAT" || t == "NUMBER" || t == "ANY";
    case T::kFloat: return t == "FLOAT" || t == "NUMBER" || t == "ANY";
    case T::kString: return t == "STRING" || t == "ANY";
    case T::kBool: return t == "BOOLEAN" || t == "ANY";
    case T::kList: return t.rfind("LIST", 0) == 0 || t == "ANY";
    case T::kMap: return t == "MAP" || t == "ANY";
    case T::kNode: return t == "NODE" || t == "ANY";
    case T::kRelationship: return t == "RELATIONSHIP" || t == "ANY";
    case T::kPath: return t == "PATH" || t == "ANY";
    case T::kDate: return t == "DATE" || t == "ANY";
    case T::kDuration: return t == "DURATION" || t == "ANY";
  }
  return false;
}

ProcedureCallOp::ProcedureCallOp(OpPtr child, const CallableProcedure& proc,
                                 std::vector<const Expr*> args, std::vector<YieldItem> yields,
                                 const Expr* where, size_t pos, bool standalone)
    : Operator(std::move(child)),
      proc_(proc),
      args_(std::move(args)),
      yields_(std::move(yields)),
      where_(where),
      pos_(pos),
      standalone_(standalone) {}

std::string ProcedureCallOp::Describe() const {
  std::string out = "ProcedureCall " + proc_.name + " YIELD ";
  for (size_t i = 0; i < yields_.size(); ++i) {
    out += (i ? ", " : "") + yields_[i].column;
    if (yields_[i].var != yields_[i].column) out += " AS " + yields_[i].var;
  }
  return out;
}

void ProcedureCallOp::Reset() {
  Operator::Reset();
  active_ = false;
  result_ = ProcResult();
  values_.clear();
  charge_.Clear();
}

void ProcedureCallOp::Call(ExecContext& ctx, Row& row) {
  result_ = ProcResult();
  values_.clear();
  charge_.Clear();
  if (proc_.rows != nullptr) {
    values_ = proc_.rows(ctx);
    rows_ = values_.empty() ? 0 : values_[0].size();
    for (const auto& column : values_) charge_.AddValues(ctx.memory, column);
    return;
  }
  if (proc_.table != nullptr) {
    const TableProcedure& t = *proc_.table;
    std::vector<Value> args;
    for (size_t i = 0; i < t.inputs.size(); ++i) {
      // CALL p without an argument list passes the parameters named as the inputs.
      Value v = args_.empty() ? ctx.params.at(t.inputs[i].name) : Eval(*args_[i], row, ctx);
      if (!Assignable(t.inputs[i].type, v)) {
        ArgumentError("InvalidArgumentType", proc_.name + ": argument `" + t.inputs[i].name +
                                                 "` takes " + t.inputs[i].type + ", not " +
                                                 ValueTypeName(v),
                      args_.empty() ? pos_ : args_[i]->pos);
      }
      args.push_back(std::move(v));
    }
    values_.assign(t.outputs.size(), {});
    rows_ = 0;
    for (const auto& r : t.rows) {
      bool match = true;
      for (size_t i = 0; i < args.size() && match; ++i) {
        match = r[i].is_null() ? args[i].is_null() : Equal(r[i], args[i]).value_or(false);
      }
      if (!match) continue;
      for (size_t o = 0; o < t.outputs.size(); ++o) values_[o].push_back(r[t.inputs.size() + o]);
      ++rows_;
    }
    // A procedure without outputs passes its input row on once.
    if (t.outputs.empty()) rows_ = standalone_ ? 0 : 1;
    for (const auto& column : values_) charge_.AddValues(ctx.memory, column);
    return;
  }
  const Procedure& p = *proc_.analytics;
  std::vector<ProcValue> values(p.args.size());
  if (!args_.empty()) {
    Value options = Eval(*args_[0], row, ctx);
    if (options.type() != T::kMap && !options.is_null()) {
      ArgumentError("InvalidArgumentType",
                    proc_.name + " takes a map of options, not " +
                        std::string(ValueTypeName(options)),
                    args_[0]->pos);
    }
    if (!options.is_null()) {
      for (const auto& [key, value] : options.map()) {
        auto at = p.ArgIndex(key);
        if (!at) {
          ArgumentError("InvalidArgumentValue",
                        proc_.name + " has no option `" + key + "`; its options are " +
                            OptionNames(p),
                        args_[0]->pos);
        }
        values[*at] = ToProcValue(proc_.name, p.args[*at], value, args_[0]->pos);
      }
    }
  }
  const Db* latest = ctx.graph.txn() == nullptr ? ctx.db : nullptr;
  Result<ProcResult> r =
      RunProcedure(p, values, ctx.graph.view(), latest, ctx.graph.interrupt());
  if (!r.ok()) {
    if (r.status().IsInvalidArgument()) {
      ArgumentError("InvalidArgumentValue", proc_.name + ": " + r.status().message(),
                    args_.empty() ? pos_ : args_[0]->pos);
    }
    throw EngineError(r.status());
  }
  result_ = std::move(r).value();
  rows_ = result_.rows;
  // What the rows hold: 8 bytes a cell, and the text of text columns.
  uint64_t bytes = rows_ * result_.columns.size() * 8;
  for (const auto& c : result_.columns) {
    if (const auto* s = std::get_if<std::vector<std::optional<std::string>>>(&c)) {
      for (const auto& t : *s) bytes += t ? t->size() : 0;
    }
  }
  charge_.Add(ctx.memory, bytes);
}

Value ProcedureCallOp::Cell(size_t column, size_t row) const {
  if (proc_.rows != nullptr || proc_.table != nullptr) return values_[column][row];
  const ProcColumnValues& c = result_.columns[column];
  if (const auto* n = std::get_if<std::vector<uint32_t>>(&c)) {
    return Value::Node(result_.csr->node_id((*n)[row]));
  }
  if (const auto* i = std::get_if<std::vector<int64_t>>(&c)) return Value::Int((*i)[row]);
  if (const auto* d = std::get_if<std::vector<double>>(&c)) {
    return std::isnan((*d)[row]) ? Value() : Value::Float((*d)[row]);
  }
  const auto& s = std::get<std::vector<std::optional<std::string>>>(c)[row];
  return s ? Value::String(*s) : Value();
}

bool ProcedureCallOp::Next(ExecContext& ctx, Row* row) {
  for (;;) {
    if (active_) {
      while (next_ < rows_) {
        const size_t r = next_++;
        if (r % 1024 == 1023) ctx.graph.CheckInterrupt();
        for (const YieldItem& y : yields_) {
          (*row)[static_cast<size_t>(y.slot)] = Cell(y.column_index, r);
        }
        if (where_ == nullptr || EvalPredicate(*where_, *row, ctx).value_or(false)) return true;
      }
      active_ = false;
      result_ = ProcResult();
      values_.clear();
      charge_.Clear();
    }
    if (!child_->Next(ctx, row)) return false;
    Call(ctx, *row);
    next_ = 0;
    active_ = true;
  }
}

}  // namespace samverkan::cypher

namespace samverkan::cypher {
namespace {

std::string_view TrimText(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "a :: STRING?, b :: INTEGER?" (the text inside the parentheses).
Result<std::vector<TableProcedure::Param>> ParseParams(std::string_view text) {
  std::vector<TableProcedure::Param> params;
  text = TrimText(text);
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view one = TrimText(text.substr(0, comma));
    const size_t colons = one.find("::");
    if (colons == std::string_view::npos) {
      return Status::InvalidArgument("a procedure parameter is `name :: TYPE`, not '" +
                                     std::string(one) + "'");
    }
    params.push_back({std::string(TrimText(one.substr(0, colons))),
                      std::string(TrimText(one.substr(colons + 2)))});
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return params;
}

}  // namespace

Result<std::shared_ptr<const TableProcedure>> MakeTableProcedure(std::string_view signature,
                                                                 std::string_view rows_json) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("procedure signature '" + std::string(signature) + "': " + why);
  };
  auto t = std::make_shared<TableProcedure>();
  const size_t open = signature.find('(');
  const size_t close = signature.find(')', open);
  const size_t colons = signature.find("::", close);
  const size_t open2 = signature.find('(', colons);
  const size_t close2 = signature.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos ||
      colons == std::string_view::npos || open2 == std::string_view::npos || close2 <= open2) {
    return bad("expected name(inputs) :: (outputs)");
  }
  t->name = std::string(TrimText(signature.substr(0, open)));
  if (t->name.empty()) return bad("no name");
  SV_ASSIGN_OR_RETURN(t->inputs, ParseParams(signature.substr(open + 1, close - open - 1)));
  SV_ASSIGN_OR_RETURN(t->outputs, ParseParams(signature.substr(open2 + 1, close2 - open2 - 1)));
  if (JsonNestingExceeds(rows_json)) return Status::InvalidArgument("procedure rows nest too deep");
  nlohmann::json rows = nlohmann::json::parse(rows_json, nullptr, /*allow_exceptions=*/false);
  if (!rows.is_array()) return Status::InvalidArgument("procedure rows must be a JSON array of arrays");
  const size_t width = t->inputs.size() + t->outputs.size();
  for (const auto& r : rows) {
    if (!r.is_array() || r.size() != width) {
      return Status::InvalidArgument("each procedure row is an array of " + std::to_string(width) +
                                     " values (inputs, then outputs)");
    }
    std::vector<Value> row;
    for (const auto& v : r) row.push_back(FromJson(v));
    t->rows.push_back(std::move(row));
  }
  return std::shared_ptr<const TableProcedure>(std::move(t));
}

}  // namespace samverkan::cypher
