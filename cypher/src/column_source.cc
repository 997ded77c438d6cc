// column_source.cc: see column_source.h.
#include "column_source.h"

#include <strings.h>

#include <algorithm>

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

}  // namespace samverkan::cypher
