// column_aggregate.cc: see column_aggregate.h.
#include "column_aggregate.h"

#include <strings.h>

#include <array>
#include <cmath>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <nlohmann/json.hpp>

#include "eval.h"
#include "json_value.h"

namespace samverkan::cypher {
namespace {

using T = Value::Type;

// Group keys beyond this many take the row path.
constexpr size_t kMaxKeys = 4;

// Which row of a column a scanned row reads: the scanned node's (dense
// index), the far node's, or the relationship's (edge position).
enum class Where : uint8_t { kNear, kFar, kEdge };

// One property of a pattern variable, as the loop reads it.
struct ColumnRef {
  Where where = Where::kNear;
  const PropertyColumn* column = nullptr;  // null: the node's sector (from the snapshot)
  // Strings (dictionary codes), booleans (0/1) and sectors (symbol ids)
  // are read as codes: each code's Value is made once.
  bool coded = false;
  size_t n_codes = 0;
  // Each code's Value, made when first needed (a dictionary may hold a
  // value per node, of which a query reads few).
  const Value& CodeValue(uint32_t code) const {
    if (code_values.empty()) code_values.resize(n_codes);
    Value& v = code_values[code];
    if (v.is_null() && column && column->type() == ColumnType::kString) {
      v = Value::String(std::string(column->dictionary()[code]));
    }
    return v;
  }
  mutable std::vector<Value> code_values;  // by code; sectors and booleans: filled at once

  ColumnType type() const { return column ? column->type() : ColumnType::kString; }
};

// A scanned row: the near node, the far node and the edge's position.
struct At {
  uint32_t near = 0, far = 0, pos = 0;
  uint32_t of(Where w) const { return w == Where::kNear ? near : w == Where::kFar ? far : pos; }
};

class Reader {
 public:
  explicit Reader(const CsrGraph& csr) : csr_(csr) {}

  bool IsNull(const ColumnRef& c, uint32_t r) const {
    if (!c.column) return csr_.sector(r) == 0;
    return c.column->type() == ColumnType::kNull || c.column->is_null(r);
  }
  // REQUIRES: c.coded, !IsNull.
  uint32_t Code(const ColumnRef& c, uint32_t r) const {
    if (!c.column) return csr_.sector(r);
    return c.column->type() == ColumnType::kBool ? (c.column->boolean(r) ? 1 : 0)
                                                 : c.column->code(r);
  }
  Value ValueAt(const ColumnRef& c, uint32_t r) const {
    if (IsNull(c, r)) return Value();
    if (c.coded) return c.CodeValue(Code(c, r));
    const PropertyColumn& col = *c.column;
    switch (col.type()) {
      case ColumnType::kInt: return Value::Int(col.integer(r));
      case ColumnType::kDouble: return Value::Float(col.number(r));
      case ColumnType::kDate: return Value::MakeDate(col.date(r));
      case ColumnType::kJson: return FromJson(nlohmann::json::parse(col.json(r)));
      default: return Value();
    }
  }

 private:
  const CsrGraph& csr_;
};

// A WHERE conjunct (or a pattern's property) on one column: the column
// compared with a constant, IN a constant list, a string test, IS [NOT] NULL.
struct Atom {
  ColumnRef* col = nullptr;
  ExprKind kind = ExprKind::kBinary;  // or kIsNull, kIsNotNull
  Op op = Op::kEq;
  bool col_left = true;
  Value constant;
  mutable std::vector<int8_t> pass;  // coded columns: whether each code passes (-1: not known yet)
  bool pass_null = false;
  // A comparison of a number or date column with a constant of its kind,
  // tested on the column's array (C++'s comparisons of doubles treat NaN as
  // Cypher's do: false, but for <>).
  enum class Fast : uint8_t { kNone, kInt, kDouble } fast = Fast::kNone;
  int64_t int_constant = 0;    // kInt (dates: days)
  double double_constant = 0;  // kDouble

  // Whether `a op b` holds for one of the six comparisons, over numbers or
  // string views.
  template <typename N>
  static bool Holds(Op op, N a, N b) {
    switch (op) {
      case Op::kEq: return a == b;
      case Op::kNe: return a != b;
      case Op::kLt: return a < b;
      case Op::kGt: return a > b;
      case Op::kLe: return a <= b;
      default: return a >= b;  // kGe
    }
  }
  // REQUIRES: fast != kNone, the row not null.
  bool TestFast(const PropertyColumn& c, uint32_t r) const {
    if (fast == Fast::kInt) {
      return col_left ? Holds(op, c.integer(r), int_constant)
                    : Holds(op, int_constant, c.integer(r));
    }
    return col_left ? Holds(op, c.number(r), double_constant)
                    : Holds(op, double_constant, c.number(r));
  }

  // Test() for a string column's value, when the constant is a string (or
  // a list of strings, for IN): no Value made.
  bool text_constant = false;
  bool TestText(std::string_view v) const {
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

  // Whether the conjunct is true for the column's value `v`.
  bool Test(const Value& v) const {
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
};

// What one aggregation call reads.
struct AggPlan {
  enum Kind : uint8_t { kRows, kCount, kCountDistinct, kDistinctNodes, kSum, kMin, kMax } kind;
  ColumnRef* col = nullptr;   // kCount, kCountDistinct, kSum, kMin, kMax
  Where node = Where::kNear;  // kDistinctNodes
};

// The running state of one aggregation in one group.
struct Acc {
  int64_t count = 0;
  bool floating = false;
  int64_t isum = 0;
  double fsum = 0;
  int64_t best = -1;  // min/max: the row holding the best value so far
};

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

class ColumnPlan {
 public:
  ColumnPlan(ExecContext& ctx, const CsrGraph& csr) : ctx_(ctx), csr_(csr), reader_(csr) {}

  // Reads the input chain; false when it is not one this handles.
  bool Chain(const Operator& input) {
    const Operator* op = &input;
    auto filters = [&] {
      while (auto* f = dynamic_cast<const FilterOp*>(op)) {
        for (const Predicate& p : f->predicates()) preds_.push_back(&p);
        op = op->child();
      }
    };
    filters();
    if (auto* e = dynamic_cast<const ExpandOp*>(op)) {
      if (!e->binds_new() || e->direction() == Direction::kBoth) return false;
      if (!e->types().pending.empty()) return false;
      expand_ = e;
      op = op->child();
      filters();
    }
    scan_ = dynamic_cast<const NodeScanOp*>(op);
    if (!scan_) return false;
    using S = NodeScanOp::Source;
    if (scan_->source() != S::kAll && scan_->source() != S::kKind && scan_->source() != S::kSector) {
      return false;
    }
    if (!scan_->child() || !dynamic_cast<const OnceOp*>(scan_->child())) return false;
    if (expand_ && expand_->from_slot() != scan_->slot()) return false;
    return true;
  }

  bool Compile(const std::vector<ProjectItem>& keys, const std::vector<const Expr*>& aggregates,
               const AggregateOptions& options) {
    if (expand_) {
      for (const auto& e : expand_->rel_check().props) {
        Atom a;
        a.col = Column(expand_->rel_slot(), e.key);
        if (!a.col) return false;
        a.constant = Value::String(e.value);
        if (!Add(std::move(a))) return false;
      }
    }
    if (options.weight_slot >= 0) return false;
    // The outputs may read the keys' slots (which the groups fill), no others.
    for (int s : options.keep_slots) {
      bool is_key = false;
      for (const ProjectItem& k : keys) is_key = is_key || k.slot == s;
      if (!is_key) return false;
    }
    for (const Predicate* p : preds_) {
      if (!CompilePredicate(*p)) return false;
    }
    if (keys.size() > kMaxKeys) return false;
    for (const ProjectItem& k : keys) {
      if (!k.expr) return false;
      ColumnRef* c = Property(*k.expr);
      Derived d;
      if (!c) {
        // An expression of one property (toString(e.valid_from.year)).
        std::optional<std::pair<int, std::string>> read;
        if (!OfOneProperty(*k.expr, &read) || !read) return false;
        c = Column(read->first, read->second);
        if (!c) return false;
        d.expr = k.expr;
        d.slot = read->first;
      }
      const ColumnType t = c->type();
      if (!c->coded && t != ColumnType::kInt && t != ColumnType::kDate && t != ColumnType::kNull) {
        return false;
      }
      keys_.push_back(c);
      derived_.push_back(std::move(d));
    }
    for (size_t i = 0; i < aggregates.size(); ++i) {
      const Expr& call = *aggregates[i];
      const bool as_star = i < options.count_as_star.size() && options.count_as_star[i];
      if (call.kind == ExprKind::kCountStar || as_star) {
        aggs_.push_back({AggPlan::kRows});
        continue;
      }
      if (call.args.size() != 1) return false;
      const std::string& f = call.name;
      const Expr& arg = *call.args[0];
      if (arg.kind == ExprKind::kVariable) {
        auto w = WhereOf(arg.slot);
        if (!w || f != "count") return false;
        if (!call.distinct || *w == Where::kEdge || !expand_) {
          aggs_.push_back({AggPlan::kRows});  // bound by the pattern: never null, never repeated
        } else {
          aggs_.push_back({AggPlan::kDistinctNodes, nullptr, *w});
        }
        continue;
      }
      ColumnRef* c = Property(arg);
      if (!c) return false;
      const ColumnType t = c->type();
      if (f == "count") {
        if (!call.distinct) {
          aggs_.push_back({AggPlan::kCount, c});
        } else if (c->coded || t == ColumnType::kInt || t == ColumnType::kDate ||
                   t == ColumnType::kNull) {
          aggs_.push_back({AggPlan::kCountDistinct, c});
        } else {
          return false;
        }
      } else if (call.distinct) {
        return false;
      } else if (f == "sum" || f == "avg") {
        if (t != ColumnType::kInt && t != ColumnType::kDouble && t != ColumnType::kNull) return false;
        aggs_.push_back({AggPlan::kSum, c});
      } else if (f == "min" || f == "max") {
        // Codes order as the strings do; booleans and sectors do not.
        const bool ordered = t == ColumnType::kInt || t == ColumnType::kDouble ||
                             t == ColumnType::kDate || t == ColumnType::kNull ||
                             (c->column && t == ColumnType::kString);
        if (!ordered) return false;
        aggs_.push_back({f == "min" ? AggPlan::kMin : AggPlan::kMax, c});
      } else {
        return false;
      }
    }
    return true;
  }

  std::optional<ColumnGroups> Run() {
    // The groups' accumulators and DISTINCT sets, flat by group.
    const size_t n_aggs = aggs_.size();
    std::vector<Acc> accs;
    std::vector<absl::flat_hash_set<int64_t>> sets;  // by group × aggregation, when DISTINCT
    bool any_distinct = false;
    for (const AggPlan& a : aggs_) {
      any_distinct = any_distinct || a.kind == AggPlan::kCountDistinct ||
                     a.kind == AggPlan::kDistinctNodes;
    }
    std::vector<At> firsts;  // by group: the row that made it (its keys)
    size_t n_groups = 0;
    auto new_group = [&](const At& at) {
      firsts.push_back(at);
      accs.resize(accs.size() + n_aggs);
      if (any_distinct) sets.resize(sets.size() + n_aggs);
      return static_cast<uint32_t>(n_groups++);
    };
    if (keys_.empty()) new_group(At{});
    // One coded key: groups by code in an array; else hashed.
    const bool by_code = keys_.size() == 1 && keys_[0]->coded && !derived_[0].expr;
    std::vector<int32_t> code_groups;
    if (by_code) code_groups.assign(keys_[0]->n_codes + 1, -1);
    absl::flat_hash_map<std::array<int64_t, 2 * kMaxKeys>, uint32_t> hashed;
    bool overflow = false;

    auto visit = [&](const At& at) {
      for (const auto& [w, check] : checks_) {
        if (!check->PassesDense(csr_, at.of(w))) return;
      }
      for (const Atom& a : atoms_) {
        const uint32_t r = at.of(a.col->where);
        if (a.fast != Atom::Fast::kNone) {
          if (a.col->column->is_null(r) ? !a.pass_null : !a.TestFast(*a.col->column, r)) return;
        } else if (a.col->coded) {
          if (reader_.IsNull(*a.col, r)) {
            if (!a.pass_null) return;
          } else {
            const uint32_t code = reader_.Code(*a.col, r);
            int8_t& pass = a.pass[code];
            if (pass < 0) {
              pass = (a.text_constant ? a.TestText(a.col->column->dictionary()[code])
                                      : a.Test(a.col->CodeValue(code)))
                         ? 1 : 0;
            }
            if (!pass) return;
          }
        } else if (!a.Test(reader_.ValueAt(*a.col, r))) {
          return;
        }
      }
      uint32_t g = 0;
      if (by_code) {
        const ColumnRef& k = *keys_[0];
        const uint32_t r = at.of(k.where);
        int32_t& slot = code_groups[reader_.IsNull(k, r) ? 0 : reader_.Code(k, r) + 1];
        if (slot < 0) slot = static_cast<int32_t>(new_group(at));
        g = static_cast<uint32_t>(slot);
      } else if (!keys_.empty()) {
        std::array<int64_t, 2 * kMaxKeys> key{};
        for (size_t i = 0; i < keys_.size(); ++i) {
          const ColumnRef& k = *keys_[i];
          const uint32_t r = at.of(k.where);
          if (derived_[i].expr) {
            key[2 * i] = 1;
            key[2 * i + 1] = DerivedCode(derived_[i], k, at);
            continue;
          }
          if (reader_.IsNull(k, r)) continue;  // (0, 0)
          key[2 * i] = 1;
          key[2 * i + 1] = k.coded ? reader_.Code(k, r) : k.column->integer(r);  // kInt, kDate
        }
        auto [it, added] = hashed.try_emplace(key, 0);
        if (added) it->second = new_group(at);
        g = it->second;
      }
      Acc* acc = &accs[g * n_aggs];
      for (size_t i = 0; i < n_aggs; ++i) {
        const AggPlan& p = aggs_[i];
        Acc& a = acc[i];
        if (p.kind == AggPlan::kRows) {
          ++a.count;
          continue;
        }
        if (p.kind == AggPlan::kDistinctNodes) {
          if (sets[g * n_aggs + i].insert(at.of(p.node)).second) ++a.count;
          continue;
        }
        const ColumnRef& c = *p.col;
        const uint32_t r = at.of(c.where);
        if (reader_.IsNull(c, r)) continue;
        switch (p.kind) {
          case AggPlan::kCount: ++a.count; break;
          case AggPlan::kCountDistinct: {
            const int64_t v = c.coded ? reader_.Code(c, r) : c.column->integer(r);
            if (sets[g * n_aggs + i].insert(v).second) ++a.count;
            break;
          }
          case AggPlan::kSum:
            ++a.count;
            if (c.column->type() == ColumnType::kDouble) {
              a.floating = true;
              a.fsum += c.column->number(r);
            } else if (__builtin_add_overflow(a.isum, c.column->integer(r), &a.isum)) {
              overflow = true;  // the row path raises the error
            }
            break;
          case AggPlan::kMin:
          case AggPlan::kMax:
            ++a.count;
            if (a.best < 0) {
              a.best = r;
            } else {
              const int cmp = CompareRows(*c.column, r, static_cast<uint32_t>(a.best));
              if (p.kind == AggPlan::kMin ? cmp < 0 : cmp > 0) a.best = r;
            }
            break;
          default: break;
        }
      }
    };

    Scan(visit);
    if (overflow) return std::nullopt;

    ColumnGroups out;
    out.n_groups = n_groups;
    out.keys.reserve(n_groups * keys_.size());
    out.accs.resize(n_groups * n_aggs);
    for (size_t g = 0; g < n_groups; ++g) {
      for (size_t i = 0; i < keys_.size(); ++i) {
        const ColumnRef& k = *keys_[i];
        out.keys.push_back(derived_[i].expr
                               ? derived_[i].values[DerivedCode(derived_[i], k, firsts[g])]
                               : reader_.ValueAt(k, firsts[g].of(k.where)));
      }
      for (size_t i = 0; i < n_aggs; ++i) {
        const Acc& a = accs[g * n_aggs + i];
        ColumnGroups::Accumulated& o = out.accs[g * n_aggs + i];
        o.count = a.count;
        o.floating = a.floating;
        o.isum = a.isum;
        o.fsum = a.fsum;
        if (a.best >= 0) o.best = reader_.ValueAt(*aggs_[i].col, static_cast<uint32_t>(a.best));
      }
    }
    return out;
  }

 private:
  // Rows in the row path's order: the scan's nodes in index order, each
  // one's relationships in slot order.
  template <typename Visit>
  void Scan(Visit& visit) {
    const NodeCheck& near_check = scan_->check();
    near_check.Bind(ctx_.graph);
    if (expand_) expand_->to_check().Bind(ctx_.graph);
    for (const auto& [w, check] : checks_) check->Bind(ctx_.graph);
    const uint32_t n = csr_.num_nodes();
    uint64_t rows = 0;
    for (uint32_t v = 0; v < n; ++v) {
      if ((v & 4095) == 0) ctx_.graph.CheckInterrupt();
      if (!near_check.PassesDense(csr_, v)) continue;
      if (!expand_) {
        visit(At{v, 0, 0});
        continue;
      }
      const TypeFilter& types = expand_->types();
      const NodeCheck& far_check = expand_->to_check();
      const bool check_far = !far_check.Trivial();
      const bool out = expand_->direction() == Direction::kOut;
      auto others = out ? csr_.out_neighbors(v) : csr_.in_neighbors(v);
      auto tys = out ? csr_.out_types(v) : csr_.in_types(v);
      for (size_t i = 0; i < others.size(); ++i) {
        if (!types.Allows(tys[i])) continue;
        if (check_far && !far_check.PassesDense(csr_, others[i])) continue;
        if ((++rows & 65535) == 0) ctx_.graph.CheckInterrupt();
        visit(At{v, others[i], out ? csr_.out_edge(v, i) : csr_.in_edge(v, i)});
      }
    }
  }

  // As OrderCompare orders two values of one column (NaN after numbers).
  static int CompareRows(const PropertyColumn& c, uint32_t x, uint32_t y) {
    switch (c.type()) {
      case ColumnType::kDouble: {
        const double a = c.number(x), b = c.number(y);
        const bool na = std::isnan(a), nb = std::isnan(b);
        if (na || nb) return na == nb ? 0 : na ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
      }
      case ColumnType::kString: {
        const uint32_t a = c.code(x), b = c.code(y);
        return a < b ? -1 : a > b ? 1 : 0;
      }
      default: {  // kInt, kDate
        const int64_t a = c.integer(x), b = c.integer(y);
        return a < b ? -1 : a > b ? 1 : 0;
      }
    }
  }

  // A key computed from one column: its value for each of the column's
  // values, computed once (Eval over the row path's reads) and numbered.
  struct Derived {
    const Expr* expr = nullptr;
    int slot = -1;
    absl::flat_hash_map<int64_t, uint32_t> by_raw;  // the column's token → number
    std::optional<uint32_t> of_null;
    absl::flat_hash_map<Value, uint32_t, ValueHash, ValueEquivalent> numbers;
    std::vector<Value> values;  // by number
  };

  uint32_t DerivedCode(Derived& d, const ColumnRef& c, const At& at) {
    const uint32_t r = at.of(c.where);
    const bool null = reader_.IsNull(c, r);
    const int64_t raw = null ? 0 : c.coded ? reader_.Code(c, r) : c.column->integer(r);
    if (null && d.of_null) return *d.of_null;
    if (!null) {
      if (auto it = d.by_raw.find(raw); it != d.by_raw.end()) return it->second;
    }
    // The variable as the row path binds it, to evaluate the key.
    Row row(static_cast<size_t>(d.slot) + 1);
    if (c.where == Where::kEdge) {
      const bool out = expand_->direction() == Direction::kOut;
      const uint32_t src = out ? at.near : at.far, dst = out ? at.far : at.near;
      const SymbolId type = csr_.out_types(src)[at.pos - csr_.out_edge(src, 0)];
      row[static_cast<size_t>(d.slot)] = Value::Rel(Relationship{
          csr_.node_id(src), csr_.node_id(dst), type, 0, false, csr_.edge_id(at.pos), at.pos});
    } else {
      row[static_cast<size_t>(d.slot)] = Value::Node(csr_.node_id(r));
    }
    Value v = Eval(*d.expr, row, ctx_);
    auto [it, added] = d.numbers.try_emplace(v, static_cast<uint32_t>(d.values.size()));
    if (added) d.values.push_back(std::move(v));
    if (null) {
      d.of_null = it->second;
    } else {
      d.by_raw.emplace(raw, it->second);
    }
    return it->second;
  }

  // Whether `e` reads nothing but constants and at most one property of a
  // pattern variable (*read), through deterministic functions.
  bool OfOneProperty(const Expr& e, std::optional<std::pair<int, std::string>>* read) const {
    static const char* const kFunctions[] = {
        "tostring", "left", "right", "substring", "toupper", "tolower", "trim", "ltrim",
        "rtrim", "tointeger", "tofloat", "toboolean", "size", "coalesce", "abs", "round",
        "floor", "ceil", "replace", "split", "date"};
    if (e.aggregate) return false;
    switch (e.kind) {
      case ExprKind::kLiteral:
      case ExprKind::kParameter: return true;
      case ExprKind::kProperty:
        if (e.args[0]->kind == ExprKind::kVariable) {
          if (!WhereOf(e.args[0]->slot)) return false;
          std::pair<int, std::string> p{e.args[0]->slot, e.name};
          if (*read && **read != p) return false;
          *read = p;
          return true;
        }
        return OfOneProperty(*e.args[0], read);  // (e.valid_from).year
      case ExprKind::kFunction: {
        bool known = false;
        for (const char* f : kFunctions) known = known || strcasecmp(e.name.c_str(), f) == 0;
        if (!known || e.distinct) return false;
        break;
      }
      case ExprKind::kBinary:
      case ExprKind::kUnary:
      case ExprKind::kIndex:
      case ExprKind::kSlice:
      case ExprKind::kList:
      case ExprKind::kIsNull:
      case ExprKind::kIsNotNull:
        break;
      default: return false;
    }
    for (const auto& a : e.args) {
      if (a && !OfOneProperty(*a, read)) return false;
    }
    return true;
  }

  std::optional<Where> WhereOf(int slot) const {
    if (slot == scan_->slot()) return Where::kNear;
    if (expand_ && slot == expand_->to_slot()) return Where::kFar;
    if (expand_ && slot == expand_->rel_slot()) return Where::kEdge;
    return std::nullopt;
  }

  // The column of `var.key` for a pattern variable; null when not one.
  ColumnRef* Property(const Expr& e) {
    if (e.kind != ExprKind::kProperty || e.args[0]->kind != ExprKind::kVariable) return nullptr;
    return Column(e.args[0]->slot, e.name);
  }

  ColumnRef* Column(int slot, const std::string& key) {
    auto w = WhereOf(slot);
    if (!w) return nullptr;
    auto found = columns_.find({*w, key});
    if (found != columns_.end()) return found->second.get();
    auto c = std::make_unique<ColumnRef>();
    c->where = *w;
    QueryGraph& g = ctx_.graph;
    if (*w == Where::kEdge) {
      EdgeField field = EdgeField::kProps;
      if (key == "weight") field = EdgeField::kWeight;
      if (key == "valid_from") field = EdgeField::kValidFrom;
      if (key == "valid_to") field = EdgeField::kValidTo;
      if (key == "rank") return nullptr;  // rank 0 reads as null
      c->column = &g.Column(true, static_cast<int>(field),
                            field == EdgeField::kProps ? key : std::string_view());
    } else if (key == "sector") {
      c->coded = true;
      SymbolId top = 0;
      for (uint32_t v = 0; v < csr_.num_nodes(); ++v) top = std::max(top, csr_.sector(v));
      c->n_codes = top + 1;
      c->code_values.resize(top + 1);
      for (uint32_t v = 0; v < csr_.num_nodes(); ++v) {
        const SymbolId s = csr_.sector(v);
        if (s != 0 && c->code_values[s].is_null()) {
          c->code_values[s] = Value::String(std::string(g.schema().Name(SymbolSpace::kSector, s)));
        }
      }
    } else if (key == "aliases" || key == "sources") {
      return nullptr;
    } else if (key == "key" || key == "name") {
      // A blank node's key (and a name that is its key) reads as null.
      if (g.HasBlankNodes()) return nullptr;
      c->column = &g.Column(false, static_cast<int>(key == "key" ? NodeField::kKey : NodeField::kName),
                            {});
    } else {
      c->column = &g.Column(false, static_cast<int>(NodeField::kProps), key);
    }
    if (c->column && c->column->type() == ColumnType::kString) {
      c->coded = true;
      c->n_codes = c->column->dictionary().size();
    } else if (c->column && c->column->type() == ColumnType::kBool) {
      c->coded = true;
      c->n_codes = 2;
      c->code_values = {Value::Bool(false), Value::Bool(true)};
    }
    ColumnRef* raw = c.get();
    columns_.emplace(std::make_pair(*w, key), std::move(c));
    return raw;
  }

  bool CompilePredicate(const Predicate& p) {
    if (p.check) {
      auto w = WhereOf(p.slot);
      if (!w || *w == Where::kEdge) return false;
      checks_.push_back({*w, &*p.check});
      return true;
    }
    if (!p.expr) {
      if (!IsConstant(*p.value)) return false;
      ColumnRef* c = Column(p.slot, p.key);
      if (!c) return false;
      Atom a;
      a.col = c;
      a.op = Op::kEq;
      a.constant = Constant(*p.value);
      return Add(std::move(a));
    }
    const Expr& e = *p.expr;
    Atom a;
    a.kind = e.kind;
    if (e.kind == ExprKind::kIsNull || e.kind == ExprKind::kIsNotNull) {
      a.col = Property(*e.args[0]);
      return a.col && Add(std::move(a));
    }
    if (e.kind != ExprKind::kBinary) return false;
    switch (e.op) {
      case Op::kEq: case Op::kNe: case Op::kLt: case Op::kGt: case Op::kLe: case Op::kGe:
      case Op::kStartsWith: case Op::kEndsWith: case Op::kContains: case Op::kIn:
        break;
      default: return false;
    }
    a.op = e.op;
    if (ColumnRef* c = Property(*e.args[0]); c && IsConstant(*e.args[1])) {
      a.col = c;
      a.constant = Constant(*e.args[1]);
    } else if (ColumnRef* c2 = Property(*e.args[1]); c2 && IsConstant(*e.args[0]) && e.op != Op::kIn) {
      a.col = c2;
      a.col_left = false;
      a.constant = Constant(*e.args[0]);
    } else {
      return false;
    }
    if (a.op == Op::kIn && !a.constant.is_null() && a.constant.type() != T::kList) return false;
    return Add(std::move(a));
  }

  Value Constant(const Expr& e) {
    Row row;
    return Eval(e, row, ctx_);
  }

  bool Add(Atom a) {
    const ColumnType t = a.col->type();
    if (DateAgainstString(t, a.constant)) return false;
    const bool comparison = a.kind == ExprKind::kBinary &&
                            (a.op == Op::kEq || a.op == Op::kNe || a.op == Op::kLt ||
                             a.op == Op::kGt || a.op == Op::kLe || a.op == Op::kGe);
    const Value& k = a.constant;
    if (comparison && t == ColumnType::kInt && k.type() == T::kInt) {
      a.fast = Atom::Fast::kInt;
      a.int_constant = k.integer();
    } else if (comparison && t == ColumnType::kDate && k.type() == T::kDate) {
      a.fast = Atom::Fast::kInt;
      a.int_constant = k.date().days;
    } else if (comparison && t == ColumnType::kDouble && k.type() == T::kFloat) {
      a.fast = Atom::Fast::kDouble;
      a.double_constant = k.floating();
    } else if (comparison && t == ColumnType::kDouble && k.type() == T::kInt &&
               std::abs(k.integer()) <= (int64_t{1} << 53)) {
      a.fast = Atom::Fast::kDouble;  // exactly representable
      a.double_constant = static_cast<double>(k.integer());
    }
    a.pass_null = a.Test(Value());
    if (a.kind == ExprKind::kBinary && a.col->column && t == ColumnType::kString) {
      bool strings = k.type() == T::kString;
      if (a.op == Op::kIn && k.type() == T::kList) {
        strings = true;
        for (const Value& y : k.list()) strings = strings && y.type() == T::kString;
      }
      a.text_constant = strings && (a.op != Op::kRegex);
    }
    if (a.col->coded) {
      a.pass.assign(a.col->n_codes, -1);  // tested as each code is first met
    }
    atoms_.push_back(std::move(a));
    return true;
  }

  ExecContext& ctx_;
  const CsrGraph& csr_;
  Reader reader_;
  const NodeScanOp* scan_ = nullptr;
  const ExpandOp* expand_ = nullptr;
  std::vector<const Predicate*> preds_;
  std::vector<std::pair<Where, const NodeCheck*>> checks_;
  std::map<std::pair<Where, std::string>, std::unique_ptr<ColumnRef>> columns_;
  std::vector<Atom> atoms_;
  std::vector<ColumnRef*> keys_;
  std::vector<Derived> derived_;  // by key
  std::vector<AggPlan> aggs_;
};

}  // namespace

std::optional<ColumnGroups> AggregateOverColumns(const Operator& input,
                                                 const std::vector<ProjectItem>& keys,
                                                 const std::vector<const Expr*>& aggregates,
                                                 const AggregateOptions& options,
                                                 ExecContext& ctx) {
  const CsrGraph* csr = ctx.graph.csr();
  if (!csr || csr->spec() != CsrSpec{}) return std::nullopt;
  ColumnPlan p(ctx, *csr);
  if (!p.Chain(input) || !p.Compile(keys, aggregates, options)) return std::nullopt;
  return p.Run();
}

}  // namespace samverkan::cypher
