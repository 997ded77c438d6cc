// column_source.cc: see column_source.h.
#include "column_source.h"

#include <strings.h>

#include <algorithm>
#include <cmath>
#include <span>

#include "eval.h"

namespace samverkan::cypher {

using T = Value::Type;

bool ColumnSource::Recognise(const Operator& input, bool counted) {
  std::vector<const Predicate*> preds;
  const Operator* op = &input;
  auto filters = [&] {
    while (auto* f = dynamic_cast<const FilterOp*>(op)) {
      for (const Predicate& p : f->predicates()) preds.push_back(&p);
      op = op->child();
    }
  };
  if (counted) {
    // Only a count from the scanned node, of a plain directed type filter.
    count_ = dynamic_cast<const ExpandCountOp*>(op);
    if (!count_ || count_->direction() == Direction::kBoth || !count_->types().pending.empty() ||
        !count_->unique().rel_slots.empty() || !count_->unique().list_slots.empty() ||
        count_->to_check().impossible) {
      return false;
    }
    // Its relationship checks are conditions at the counted relationship's
    // position (At::pos), tested on each hop.
    for (const auto& p : count_->rel_check().props) {
      ColumnCondition c;
      c.col = ColumnAt(Where::kEdge, p.key);
      if (!c.col) return false;
      c.constant = Value::String(p.value);
      if (!Add(std::move(c))) return false;
    }
    op = op->child();
  }
  filters();
  // The expansions, last first.
  std::vector<const ExpandOp*> expands;
  while (auto* e = dynamic_cast<const ExpandOp*>(op)) {
    if (expands.size() == 2) return false;
    if (!e->binds_new() || e->direction() == Direction::kBoth) return false;
    if (!e->types().pending.empty() || !e->unique().list_slots.empty()) return false;
    expands.push_back(e);
    op = op->child();
    filters();
  }
  if (count_ && !expands.empty()) return false;
  if (!expands.empty()) expand_ = expands.back();
  if (expands.size() == 2) {
    expand2_ = expands.front();
    second_from_near_ = expand2_->from_slot() == expand_->from_slot();
    if (!second_from_near_ && expand2_->from_slot() != expand_->to_slot()) return false;
    for (int s : expand2_->unique().rel_slots) {
      if (s != expand_->rel_slot()) return false;
      distinct_edges_ = true;
    }
  }
  if (expand_ && !expand_->unique().rel_slots.empty()) return false;
  scan_ = dynamic_cast<const NodeScanOp*>(op);
  if (!scan_) return false;
  using S = NodeScanOp::Source;
  if (scan_->source() != S::kAll && scan_->source() != S::kKind && scan_->source() != S::kSector) {
    return false;
  }
  if (!scan_->child() || !dynamic_cast<const OnceOp*>(scan_->child())) return false;
  if (expand_ && expand_->from_slot() != scan_->slot()) return false;
  if (count_ && count_->from_slot() != scan_->slot()) return false;

  for (const ExpandOp* e : {expand_, expand2_}) {
    if (!e) continue;
    for (const auto& p : e->rel_check().props) {
      ColumnCondition c;
      c.col = Column(e->rel_slot(), p.key);
      if (!c.col) return false;
      c.constant = Value::String(p.value);
      if (!Add(std::move(c))) return false;
    }
  }
  for (const Predicate* p : preds) {
    if (!CompilePredicate(*p)) return false;
  }
  for (const auto& [w, check] : checks_) check_level_.push_back(Level(w));
  for (const ColumnCondition& c : conditions_) {
    condition_level_.push_back(std::max(Level(c.col->where), c.other ? Level(c.other->where) : 0));
  }
  return true;
}

std::optional<Where> ColumnSource::WhereOf(int slot) const {
  if (slot == scan_->slot()) return Where::kNear;
  if (expand_ && slot == expand_->to_slot()) return Where::kFar;
  if (expand_ && slot == expand_->rel_slot()) return Where::kEdge;
  if (expand2_ && slot == expand2_->to_slot()) return Where::kFar2;
  if (expand2_ && slot == expand2_->rel_slot()) return Where::kEdge2;
  return std::nullopt;
}

ColumnRef* ColumnSource::Property(const Expr& e) {
  if (e.kind != ExprKind::kProperty || e.args[0]->kind != ExprKind::kVariable) return nullptr;
  return Column(e.args[0]->slot, e.name);
}

ColumnRef* ColumnSource::Column(int slot, const std::string& key) {
  auto w = WhereOf(slot);
  if (!w) return nullptr;
  return ColumnAt(*w, key);
}

ColumnRef* ColumnSource::ColumnAt(Where where, const std::string& key) {
  const std::optional<Where> w = where;
  auto found = columns_.find({*w, key});
  if (found != columns_.end()) return found->second.get();
  auto c = std::make_unique<ColumnRef>();
  c->where = *w;
  c->memory = &ctx_.memory;
  c->charge = &charge_;
  QueryGraph& g = ctx_.graph;
  if (IsEdge(*w)) {
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
    c->Charge(c->n_codes * sizeof(Value));
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

bool ColumnSource::OfOneProperty(const Expr& e,
                                 std::optional<std::pair<int, std::string>>* read) const {
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

Value ColumnSource::Variable(Where w, const At& at) const {
  if (!IsEdge(w)) return Value::Node(csr_.node_id(at.of(w)));
  // As QueryGraph::Expand makes it: the slot is the edge's ordinal in the
  // run of parallel edges of its type, counted in the list of the node the
  // expansion starts from.
  const bool first = w == Where::kEdge;
  const ExpandOp& e = first ? *expand_ : *expand2_;
  const uint32_t v = first || second_from_near_ ? at.near : at.far;
  const uint32_t to = first ? at.far : at.far2;
  const uint32_t pos = at.of(w);
  const bool out = e.direction() == Direction::kOut;
  auto others = out ? csr_.out_neighbors(v) : csr_.in_neighbors(v);
  auto tys = out ? csr_.out_types(v) : csr_.in_types(v);
  size_t i = 0;
  if (out) {
    i = pos - csr_.out_edge(v, 0);
  } else {
    while (csr_.in_edge(v, i) != pos) ++i;
  }
  uint32_t run = 0;
  for (size_t j = i; j > 0 && others[j - 1] == others[i] && tys[j - 1] == tys[i]; --j) ++run;
  const NodeId from_id = csr_.node_id(v), to_id = csr_.node_id(to);
  return Value::Rel(Relationship{out ? from_id : to_id, out ? to_id : from_id, tys[i], run, true,
                                 0, pos});
}

void ColumnSource::Bind(const At& at, Row* row) const {
  (*row)[static_cast<size_t>(scan_->slot())] = Variable(Where::kNear, at);
  if (!expand_) return;
  (*row)[static_cast<size_t>(expand_->rel_slot())] = Variable(Where::kEdge, at);
  (*row)[static_cast<size_t>(expand_->to_slot())] = Variable(Where::kFar, at);
  if (!expand2_) return;
  (*row)[static_cast<size_t>(expand2_->rel_slot())] = Variable(Where::kEdge2, at);
  (*row)[static_cast<size_t>(expand2_->to_slot())] = Variable(Where::kFar2, at);
}

bool ColumnSource::CompilePredicate(const Predicate& p) {
  if (p.check) {
    auto w = WhereOf(p.slot);
    if (!w || IsEdge(*w)) return false;
    checks_.push_back({*w, &*p.check});
    return true;
  }
  if (!p.expr) {
    if (!IsConstant(*p.value)) return false;
    ColumnRef* col = Column(p.slot, p.key);
    if (!col) return false;
    ColumnCondition c;
    c.col = col;
    c.op = Op::kEq;
    c.constant = Constant(*p.value);
    return Add(std::move(c));
  }
  const Expr& e = *p.expr;
  ColumnCondition c;
  c.kind = e.kind;
  if (e.kind == ExprKind::kIsNull || e.kind == ExprKind::kIsNotNull) {
    c.col = Property(*e.args[0]);
    return c.col && Add(std::move(c));
  }
  if (e.kind != ExprKind::kBinary) return false;
  switch (e.op) {
    case Op::kEq: case Op::kNe: case Op::kLt: case Op::kGt: case Op::kLe: case Op::kGe:
    case Op::kStartsWith: case Op::kEndsWith: case Op::kContains: case Op::kIn:
      break;
    default: return false;
  }
  c.op = e.op;
  if (e.args[0]->kind == ExprKind::kProperty && e.args[1]->kind == ExprKind::kProperty) {
    // Two properties of pattern variables (e2.valid_from >= e1.valid_from).
    c.col = Property(*e.args[0]);
    c.other = Property(*e.args[1]);
    return c.col && c.other && Add(std::move(c));
  }
  if (ColumnRef* col = Property(*e.args[0]); col && IsConstant(*e.args[1])) {
    c.col = col;
    c.constant = Constant(*e.args[1]);
  } else if (ColumnRef* col2 = Property(*e.args[1]);
             col2 && IsConstant(*e.args[0]) && e.op != Op::kIn) {
    c.col = col2;
    c.col_left = false;
    c.constant = Constant(*e.args[0]);
  } else {
    return false;
  }
  if (c.op == Op::kIn && !c.constant.is_null() && c.constant.type() != T::kList) return false;
  return Add(std::move(c));
}

Value ColumnSource::Constant(const Expr& e) {
  Row row;
  return Eval(e, row, ctx_);
}

bool ColumnSource::Add(ColumnCondition c) {
  if (!c.Prepare()) return false;
  if (c.col->coded && !c.other) Charge(c.col->n_codes);  // a byte a code: whether it passes
  conditions_.push_back(std::move(c));
  return true;
}

void ColumnSource::BuildFarPasses() {
  if (!far_pass_.empty()) return;
  const uint32_t n = csr_.num_nodes();
  auto build = [&](const void* op, const NodeCheck& check) {
    if (check.Trivial()) return;
    std::vector<uint64_t> bits((n + 63) / 64, 0);
    Charge(bits.size() * sizeof(uint64_t));
    for (uint32_t v = 0; v < n; ++v) {
      if ((v & 65535) == 0) ctx_.graph.CheckInterrupt();
      if (check.PassesDense(csr_, v)) bits[v >> 6] |= uint64_t{1} << (v & 63);
    }
    far_pass_.emplace_back(op, std::move(bits));
  };
  if (expand_) build(expand_, expand_->to_check());
  if (expand2_) build(expand2_, expand2_->to_check());
  if (count_) build(count_, count_->to_check());
}

bool ColumnSource::CountSecond() {
  if (!expand2_ || count_) return false;
  count_second_ = true;
  // The second hop's conditions: each reads the second hop alone, but for
  // at most one comparison of a second-hop property with a first-hop one.
  memo_ = true;
  for (size_t i = 0; i < conditions_.size(); ++i) {
    if (condition_level_[i] != 2) continue;
    const ColumnCondition& c = conditions_[i];
    const bool col2 = Level(c.col->where) == 2;
    if (!c.other) {
      if (!col2) memo_ = false;  // cannot be: a condition's level is its column's
      continue;
    }
    const bool other2 = Level(c.other->where) == 2;
    if (col2 && other2) continue;
    if (pair_ >= 0) {
      memo_ = false;
      break;
    }
    Op op = c.op;
    if (op != Op::kEq && op != Op::kLt && op != Op::kGt && op != Op::kLe && op != Op::kGe) {
      memo_ = false;
      break;
    }
    if (!col2) {  // `first op second`: as `second op' first`
      op = op == Op::kLt ? Op::kGt : op == Op::kGt ? Op::kLt : op == Op::kLe ? Op::kGe
         : op == Op::kGe ? Op::kLe : op;
    }
    pair_ = static_cast<int>(i);
    pair_op_ = op;
    pair_second_ = col2 ? c.col : c.other;
    pair_first_ = col2 ? c.other : c.col;
    const ColumnType t = pair_second_->type();
    if (t != ColumnType::kInt && t != ColumnType::kDate && t != ColumnType::kDouble) {
      memo_ = false;
      break;
    }
    pair_int_ = t != ColumnType::kDouble;
  }
  if (memo_) {
    const uint32_t n = csr_.num_nodes();
    Charge(uint64_t{n} * (sizeof(int64_t) + sizeof(uint32_t)));
    memo_start_.assign(n, -1);
    memo_size_.assign(n, 0);
  }
  return true;
}

bool ColumnSource::PassesSecondLocal(const At& at) const {
  for (size_t i = 0; i < checks_.size(); ++i) {
    if (check_level_[i] == 2 && !checks_[i].second->PassesDense(csr_, at.of(checks_[i].first))) {
      return false;
    }
  }
  for (size_t i = 0; i < conditions_.size(); ++i) {
    if (condition_level_[i] != 2 || static_cast<int>(i) == pair_) continue;
    const ColumnCondition& c = conditions_[i];
    if (c.other ? !c.PassesPair(at.of(c.col->where), at.of(c.other->where))
                : !c.Passes(reader_, at.of(c.col->where))) {
      return false;
    }
  }
  return true;
}

void ColumnSource::MemoAdd(uint32_t from, const At& at) {
  if (pair_ < 0) {
    ++memo_size_[from];
    return;
  }
  // A null or NaN compares false with anything (PassesPair): never counted.
  const PropertyColumn& col = *pair_second_->column;
  const uint32_t r = at.of(pair_second_->where);
  if (col.is_null(r)) return;
  if (pair_int_) {
    memo_ints_.push_back(col.integer(r));
  } else {
    const double d = col.number(r);
    if (std::isnan(d)) return;
    memo_doubles_.push_back(d);
  }
  Charge(sizeof(int64_t));
  ++memo_size_[from];
}

void ColumnSource::MemoEnd(uint32_t from) {
  if (pair_ < 0) return;
  const auto begin = static_cast<size_t>(memo_start_[from]);
  if (pair_int_) {
    std::sort(memo_ints_.begin() + static_cast<std::ptrdiff_t>(begin), memo_ints_.end());
  } else {
    std::sort(memo_doubles_.begin() + static_cast<std::ptrdiff_t>(begin), memo_doubles_.end());
  }
}

namespace {

// How many of the sorted `values` satisfy `value op x`.
template <typename N>
int64_t CountSatisfying(std::span<const N> values, Op op, N x) {
  const auto lo = std::lower_bound(values.begin(), values.end(), x);
  const auto hi = std::upper_bound(lo, values.end(), x);
  switch (op) {
    case Op::kEq: return hi - lo;
    case Op::kLt: return lo - values.begin();
    case Op::kLe: return hi - values.begin();
    case Op::kGt: return values.end() - hi;
    default: return values.end() - lo;  // kGe
  }
}

}  // namespace

int64_t ColumnSource::MemoCount(uint32_t from, const At& at1) const {
  const uint32_t size = memo_size_[from];
  if (pair_ < 0 || size == 0) return size;
  const PropertyColumn& col = *pair_first_->column;
  const uint32_t r = at1.of(pair_first_->where);
  if (col.is_null(r)) return 0;
  const auto begin = static_cast<size_t>(memo_start_[from]);
  if (pair_int_) {
    return CountSatisfying(std::span<const int64_t>(memo_ints_.data() + begin, size), pair_op_,
                           col.integer(r));
  }
  const double x = col.number(r);
  if (std::isnan(x)) return 0;
  return CountSatisfying(std::span<const double>(memo_doubles_.data() + begin, size), pair_op_, x);
}

bool ColumnSource::SelfCounted(const At& at1) const {
  // The first hop's relationship joins near and far; its source holds it
  // at its out slot `pos`.
  const bool first_out = expand_->direction() == Direction::kOut;
  const uint32_t src = first_out ? at1.near : at1.far;
  const uint32_t dst = first_out ? at1.far : at1.near;
  const uint16_t type = csr_.out_types(src)[at1.pos - csr_.out_edge(src, 0)];
  // Whether the second hop from `from` lists it, and reaches what.
  const uint32_t from = second_from_near_ ? at1.near : at1.far;
  const bool second_out = expand2_->direction() == Direction::kOut;
  if ((second_out ? src : dst) != from) return false;
  const uint32_t far2 = second_out ? dst : src;
  if (!expand2_->types().Allows(type)) return false;
  const NodeCheck& far_check = expand2_->to_check();
  if (!far_check.Trivial() && !far_check.PassesDense(csr_, far2)) return false;
  return Passes(At{at1.near, at1.far, at1.pos, far2, at1.pos}, 2);
}

}  // namespace samverkan::cypher
