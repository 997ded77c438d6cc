// planner.cc: see planner.h.
#include "planner.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "call.h"
#include "error.h"
#include "eval.h"
#include "writes.h"

namespace samverkan::cypher {
namespace {

constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max();

void SplitAnd(const Expr* e, std::vector<const Expr*>* out) {
  if (e == nullptr) return;
  if (e->kind == ExprKind::kBinary && e->op == Op::kAnd) {
    SplitAnd(e->args[0].get(), out);
    SplitAnd(e->args[1].get(), out);
  } else {
    out->push_back(e);
  }
}

void CollectPatternSlots(const PatternPart& p, std::set<int>* out) {
  for (const auto& n : p.nodes) {
    if (!n.var.empty()) out->insert(n.slot);
  }
  for (const auto& r : p.rels) {
    if (!r.var.empty()) out->insert(r.slot);
  }
}

// The slots an expression reads.
void CollectSlots(const Expr* e, std::set<int>* out) {
  if (e == nullptr) return;
  if (e->kind == ExprKind::kVariable) out->insert(e->slot);
  // A subquery may read any outer variable (its imports).
  out->insert(e->imports.begin(), e->imports.end());
  for (const auto& item : e->map_items) {
    if (item.kind == MapItem::kVariable) out->insert(item.slot);
    CollectSlots(item.value.get(), out);
  }
  if (e->pattern) {
    CollectPatternSlots(*e->pattern, out);
    for (const auto& n : e->pattern->nodes) CollectSlots(n.props.get(), out);
    for (const auto& r : e->pattern->rels) CollectSlots(r.props.get(), out);
  }
  for (const auto& a : e->args) CollectSlots(a.get(), out);
  CollectSlots(e->else_expr.get(), out);
}

std::string DirArrowLeft(Direction d) { return d == Direction::kIn ? "<-" : "-"; }
std::string DirArrowRight(Direction d) { return d == Direction::kOut ? "->" : "-"; }

// A predicate: the node in `slot` passes `check`.
Predicate CheckPredicate(int slot, NodeCheck check) {
  Predicate p;
  p.slot = slot;
  p.check = std::move(check);
  return p;
}

Direction Flip(Direction d) {
  return d == Direction::kOut ? Direction::kIn : d == Direction::kIn ? Direction::kOut : d;
}


}  // namespace

struct Planner::PNode {
  int slot;
  std::string var;
  std::vector<std::string> labels;
  bool bound = false;
};

struct Planner::PRel {
  const RelPattern* pat;
  const PatternPart* part;
  int slot;
  int left, right;
  bool done = false;
  bool bound_before = false;
};

struct Planner::MatchState {
  std::vector<const PatternPart*> parts;
  std::map<int, PNode> nodes;
  std::vector<int> node_order;
  std::vector<PRel> rels;
  std::vector<Predicate> preds;
  std::set<int> slots;  // every slot this MATCH binds or reads
  std::set<int>* bound;
  std::vector<int> bound_rels, bound_lists;  // for relationship uniqueness
  std::set<const PatternPart*> paths_built;
  std::map<int, NodeCheck> checks;           // cached CheckFor
  std::map<int, NodeId> known;               // nodes found by a key lookup at planning
  bool distinct_ok = false;
  bool single = false;  // at most one row so far (a lookup by a constant key)
};

// The next relationship PlanMatch takes (see ChooseStep).
struct Planner::Step {
  int rel = -1;          // index into MatchState::rels; -1 for none
  bool forward = true;   // expand from its left end
  bool bind = false;     // bound before this MATCH: bind its ends from it
};

Planner::Planner(const Query& query, const std::string& text, QueryGraph& graph,
                 const Params& params, GraphStats stats)
    : query_(query), text_(text), graph_(graph), params_(params), stats_(std::move(stats)) {
  // The labels and types this query may create: a clause after the write
  // must match them although the schema does not know them yet.
  for (const SingleQuery& part : query_.parts) {
    for (const Clause& c : part.clauses) {
      if (c.kind == ClauseKind::kCreate || c.kind == ClauseKind::kMerge) {
        for (const PatternPart& pp : c.patterns) {
          for (const NodePattern& n : pp.nodes) written_labels_.insert(n.labels.begin(), n.labels.end());
          for (const RelPattern& r : pp.rels) written_types_.insert(r.types.begin(), r.types.end());
        }
      }
      for (const auto* items : {&c.set_items, &c.on_create, &c.on_match}) {
        for (const SetItem& i : *items) {
          if (c.kind != ClauseKind::kRemove && i.kind == SetItem::kLabels) {
            written_labels_.insert(i.labels.begin(), i.labels.end());
          }
        }
      }
    }
  }
}

void Planner::Warn(const std::string& w) {
  if (std::find(warnings_.begin(), warnings_.end(), w) == warnings_.end()) warnings_.push_back(w);
}

std::string Planner::ExprText(const Expr* e) const {
  if (e == nullptr) return "";
  if (e->end > e->pos && e->end <= text_.size()) return text_.substr(e->pos, e->end - e->pos);
  return "?";
}

std::optional<Value> Planner::ConstantValue(const Expr* e) {
  if (e == nullptr) return std::nullopt;
  if (e->kind == ExprKind::kLiteral) return e->literal;
  if (e->kind == ExprKind::kParameter) {
    auto it = params_.find(e->name);
    if (it != params_.end()) return it->second;
  }
  return std::nullopt;
}

TypeFilter Planner::TypesOf(const std::vector<std::string>& names) {
  TypeFilter f;
  if (names.empty()) return f;
  f.all = false;
  for (const auto& n : names) {
    if (auto t = graph_.schema().EdgeType(n)) {
      if (std::find(f.types.begin(), f.types.end(), *t) == f.types.end()) f.types.push_back(*t);
    } else if (written_types_.count(n)) {
      f.pending.push_back(n);
      f.schema = &graph_.schema();
    } else {
      Warn("relationship type `" + n + "` does not occur in the graph: nothing matches it");
    }
  }
  return f;
}

std::string Planner::NodeText(MatchState& m, int slot) const {
  const PNode& n = m.nodes.at(slot);
  std::string s = "(" + n.var;
  for (const auto& l : n.labels) s += ":" + l;
  return s + ")";
}

std::string Planner::RelText(MatchState& m, const PRel& r, bool forward) const {
  const RelPattern& p = *r.pat;
  Direction d = forward ? p.dir : Flip(p.dir);
  std::string inner = p.var;
  for (size_t i = 0; i < p.types.size(); ++i) inner += (i ? "|" : ":") + p.types[i];
  if (p.var_length) {
    inner += "*";
    if (p.min_hops) inner += std::to_string(*p.min_hops);
    if (p.min_hops != p.max_hops || !p.min_hops) {
      inner += "..";
      if (p.max_hops) inner += std::to_string(*p.max_hops);
    }
  }
  int from = forward ? r.left : r.right;
  int to = forward ? r.right : r.left;
  return NodeText(m, from) + DirArrowLeft(d) + (inner.empty() ? "" : "[" + inner + "]") +
         DirArrowRight(d) + NodeText(m, to);
}

// --- node checks and start estimates -------------------------------------------------

// Is `e` `var.key = value` (either way round) with `value` readable before
// `slot` is bound? Sets *value.
static bool PropertyEquality(const Expr* e, int slot, const std::string& key,
                             const std::set<int>& unbound, const Expr** value) {
  if (e->kind != ExprKind::kBinary || e->op != Op::kEq) return false;
  for (int side = 0; side < 2; ++side) {
    const Expr* a = e->args[side].get();
    const Expr* b = e->args[1 - side].get();
    if (a->kind == ExprKind::kProperty && a->name == key && a->args[0]->kind == ExprKind::kVariable &&
        a->args[0]->slot == slot) {
      std::set<int> deps;
      CollectSlots(b, &deps);
      bool ok = true;
      for (int d : deps) ok = ok && !unbound.count(d);
      if (ok) {
        *value = b;
        return true;
      }
    }
  }
  return false;
}

static bool IdEquality(const Expr* e, int slot, const std::set<int>& unbound, const Expr** value) {
  if (e->kind != ExprKind::kBinary || e->op != Op::kEq) return false;
  for (int side = 0; side < 2; ++side) {
    const Expr* a = e->args[side].get();
    const Expr* b = e->args[1 - side].get();
    if (a->kind == ExprKind::kFunction && a->name == "id" && a->args.size() == 1 &&
        a->args[0]->kind == ExprKind::kVariable && a->args[0]->slot == slot) {
      std::set<int> deps;
      CollectSlots(b, &deps);
      bool ok = true;
      for (int d : deps) ok = ok && !unbound.count(d);
      if (ok) {
        *value = b;
        return true;
      }
    }
  }
  return false;
}

// Is `e` `var.key = value` (either way round) for the variable in `slot`,
// with `value` a literal or a parameter? Sets *key and *value.
static bool PropsKeyEquality(const Expr* e, int slot, std::string* key, const Expr** value) {
  if (e->kind != ExprKind::kBinary || e->op != Op::kEq) return false;
  for (int side = 0; side < 2; ++side) {
    const Expr* a = e->args[side].get();
    const Expr* b = e->args[1 - side].get();
    if (a->kind == ExprKind::kProperty && a->args[0]->kind == ExprKind::kVariable &&
        a->args[0]->slot == slot &&
        (b->kind == ExprKind::kLiteral || b->kind == ExprKind::kParameter)) {
      *key = a->name;
      *value = b;
      return true;
    }
  }
  return false;
}

NodeCheck Planner::CheckFor(MatchState& m, int slot) {
  auto cached = m.checks.find(slot);
  if (cached != m.checks.end()) return cached->second;
  NodeCheck c;
  const PNode& n = m.nodes.at(slot);
  std::string text;
  for (const auto& l : n.labels) {
    text += ":" + l;
    auto k = graph_.schema().Find(SymbolSpace::kKind, l);
    if (!k && written_labels_.count(l)) {
      if (!c.pending_kind.empty() && c.pending_kind != l) c.impossible = true;
      c.pending_kind = l;
    } else if (!k) {
      Warn("label `" + l + "` does not occur in the graph: nothing matches it");
      c.impossible = true;
    } else if (c.kind && *c.kind != *k) {
      c.impossible = true;  // one label per node
    } else {
      c.kind = *k;
    }
  }
  if (c.kind && !c.pending_kind.empty()) c.impossible = true;  // one label per node
  // A sector equal to a constant is tested on the snapshot too; the
  // predicate it came from is then taken as done.
  for (auto& p : m.preds) {
    if (p.placed) continue;
    const Expr* value = nullptr;
    if (!p.expr && p.slot == slot && p.key == "sector") {
      value = p.value;
    } else if (p.expr) {
      if (!PropertyEquality(p.expr, slot, "sector", m.slots, &value)) continue;
    } else {
      continue;
    }
    auto v = ConstantValue(value);
    if (!v) continue;
    if (v->type() != Value::Type::kString) {
      c.impossible = true;
    } else if (auto s = graph_.schema().Find(SymbolSpace::kSector, v->string())) {
      if (c.sector && *c.sector != *s) c.impossible = true;
      c.sector = *s;
      text += " {sector: '" + v->string() + "'}";
    } else {
      Warn("sector '" + v->string() + "' does not occur in the graph: nothing matches it");
      c.impossible = true;
    }
    p.placed = true;
  }
  // So is a props key equal to a constant string ({country: 'MT'}): over a
  // snapshot, by its column's dictionary code, before a row is made.
  for (auto& p : m.preds) {
    if (p.placed || c.impossible) continue;
    std::string key;
    const Expr* value = nullptr;
    if (!p.expr && p.slot == slot) {
      key = p.key;
      value = p.value;
    } else if (!p.expr || !PropsKeyEquality(p.expr, slot, &key, &value)) {
      continue;
    }
    if (key == "key" || key == "name" || key == "sector" || key == "aliases" || key == "sources") {
      continue;
    }
    auto v = ConstantValue(value);
    if (!v || v->type() != Value::Type::kString) continue;
    text += " {" + key + ": '" + v->string() + "'}";
    c.props.push_back({key, v->string()});
    p.placed = true;
  }
  c.text = text;
  m.checks[slot] = c;
  return c;
}

// The predicates on relationship `slot` that an expansion tests as it
// reaches each relationship: a props key equal to a constant string. The
// predicates are then taken as done.
RelCheck Planner::RelCheckFor(MatchState& m, int slot) {
  RelCheck c;
  for (auto& p : m.preds) {
    if (p.placed) continue;
    std::string key;
    const Expr* value = nullptr;
    if (!p.expr && !p.check && p.slot == slot) {
      key = p.key;
      value = p.value;
    } else if (!p.expr || !PropsKeyEquality(p.expr, slot, &key, &value)) {
      continue;
    }
    if (key == "weight" || key == "valid_from" || key == "valid_to" || key == "rank") continue;
    auto v = ConstantValue(value);
    if (!v || v->type() != Value::Type::kString) continue;
    c.props.push_back({key, v->string()});
    p.placed = true;
  }
  return c;
}

double Planner::Estimate(MatchState& m, int slot, int* source, const Expr** value) {
  const double n = static_cast<double>(std::max<uint64_t>(stats_.nodes, 1));
  std::set<int> unbound;
  for (int s : m.slots) {
    if (!m.bound->count(s) && s != slot) unbound.insert(s);
  }
  unbound.insert(slot);
  // Lookups first: key, id, name.
  for (const char* key : {"key", "name"}) {
    for (const auto& p : m.preds) {
      const Expr* v = nullptr;
      if (!p.expr && p.slot == slot && p.key == key) {
        std::set<int> deps;
        CollectSlots(p.value, &deps);
        bool ok = true;
        for (int d : deps) ok = ok && !unbound.count(d);
        if (ok) v = p.value;
      } else if (p.expr) {
        PropertyEquality(p.expr, slot, key, unbound, &v);
      }
      if (!v) continue;
      *value = v;
      if (std::string(key) == "key") {
        *source = static_cast<int>(NodeScanOp::Source::kKey);
        // Its degree tells what expanding from it costs.
        auto c = ConstantValue(v);
        if (c && c->type() == Value::Type::kString) {
          auto id = graph_.view().FindKey(c->string());
          if (id.ok()) m.known[slot] = *id;
        }
        return 1;
      }
      *source = static_cast<int>(NodeScanOp::Source::kName);
      auto c = ConstantValue(v);
      if (c && c->type() == Value::Type::kString) {
        auto found = graph_.view().FindByName(c->string());
        if (found.ok()) return static_cast<double>(found->size());
      }
      return 2;
    }
  }
  for (const auto& p : m.preds) {
    const Expr* v = nullptr;
    if (p.expr && IdEquality(p.expr, slot, unbound, &v)) {
      *value = v;
      *source = static_cast<int>(NodeScanOp::Source::kId);
      return 1;
    }
  }
  NodeCheck c = CheckFor(m, slot);
  *value = nullptr;
  if (c.impossible) {
    *source = static_cast<int>(NodeScanOp::Source::kNone);
    return 0;
  }
  double kinds = c.kind ? static_cast<double>(stats_.count(SymbolSpace::kKind, *c.kind)) : n;
  double sectors = c.sector ? static_cast<double>(stats_.count(SymbolSpace::kSector, *c.sector)) : n;
  if (c.sector) {
    *source = static_cast<int>(NodeScanOp::Source::kSector);
    return c.kind ? std::min(kinds, sectors) * std::max(0.1, kinds / n) + 1 : sectors;
  }
  if (c.kind) {
    *source = static_cast<int>(NodeScanOp::Source::kKind);
    return kinds;
  }
  *source = static_cast<int>(NodeScanOp::Source::kAll);
  return n;
}

// --- MATCH ------------------------------------------------------------------------------

OpPtr Planner::Attach(OpPtr op, MatchState& m, double* rows) {
  std::vector<Predicate> ready;
  for (auto& p : m.preds) {
    if (p.placed) continue;
    bool ok = true;
    for (int d : p.deps) ok = ok && m.bound->count(d) > 0;
    if (!ok) continue;
    p.placed = true;
    ready.push_back(p);
  }
  // A path is built once all of its part is bound.
  for (const PatternPart* part : m.parts) {
    if (part->path_slot < 0 || part->kind != PathKind::kPattern || m.paths_built.count(part)) continue;
    bool all = true;
    for (const auto& n : part->nodes) all = all && m.bound->count(n.slot) > 0;
    for (const auto& r : part->rels) all = all && m.bound->count(r.slot) > 0;
    if (!all) continue;
    std::vector<int> nodes, rels;
    std::vector<bool> lists;
    for (const auto& n : part->nodes) nodes.push_back(n.slot);
    for (const auto& r : part->rels) {
      rels.push_back(r.slot);
      lists.push_back(r.var_length);
    }
    op = std::make_unique<BuildPathOp>(std::move(op), part->path_slot, nodes, rels, lists,
                                       "BuildPath " + (part->path_var.empty() ? std::string("(anonymous)") : part->path_var));
    op->estimated_rows = *rows;
    m.bound->insert(part->path_slot);
    m.paths_built.insert(part);
  }
  if (ready.empty()) return op;
  std::string text;
  for (const auto& p : ready) {
    if (!text.empty()) text += " AND ";
    if (p.check) {
      text += "(" + m.nodes.at(p.slot).var + p.check->text + ")";
    } else if (p.expr) {
      text += ExprText(p.expr);
    } else {
      const PNode* n = m.nodes.count(p.slot) ? &m.nodes.at(p.slot) : nullptr;
      text += (n ? n->var : std::string("r")) + p.Text(text_);
    }
  }
  *rows = std::max(*rows * std::pow(0.3, static_cast<double>(ready.size())), std::min(*rows, 1.0));
  op = std::make_unique<FilterOp>(std::move(op), std::move(ready), "Filter " + text);
  op->estimated_rows = *rows;
  return op;
}

OpPtr Planner::ScanNode(OpPtr op, MatchState& m, int slot, double* rows) {
  int source = 0;
  const Expr* value = nullptr;
  double est = Estimate(m, slot, &source, &value);
  NodeCheck check = CheckFor(m, slot);
  auto src = static_cast<NodeScanOp::Source>(source);
  std::string what;
  switch (src) {
    case NodeScanOp::Source::kAll: what = "AllNodesScan"; break;
    case NodeScanOp::Source::kKind: what = "NodeByKindScan"; break;
    case NodeScanOp::Source::kSector: what = "NodeBySectorScan"; break;
    case NodeScanOp::Source::kKey: what = "NodeByKey"; break;
    case NodeScanOp::Source::kName: what = "NodeByFoldedName"; break;
    case NodeScanOp::Source::kId: what = "NodeById"; break;
    case NodeScanOp::Source::kNone: what = "NoNodes"; break;
  }
  std::string describe = what + " " + NodeText(m, slot) + (check.text.find('{') != std::string::npos ? check.text.substr(check.text.find('{') - 1) : "");
  if (value) describe += std::string(src == NodeScanOp::Source::kId ? " id = " : src == NodeScanOp::Source::kKey ? " key = " : " name ~ ") + ExprText(value);
  const bool constant = value && (value->kind == ExprKind::kLiteral || value->kind == ExprKind::kParameter);
  m.single = m.single && constant &&
             (src == NodeScanOp::Source::kKey || src == NodeScanOp::Source::kId);
  op = std::make_unique<NodeScanOp>(std::move(op), slot, src, check.kind.value_or(0),
                                    check.sector.value_or(0), value, check, describe);
  *rows *= std::max(est, 0.0);
  op->estimated_rows = *rows;
  m.bound->insert(slot);
  m.nodes.at(slot).bound = true;
  return op;
}

OpPtr Planner::ExpandRel(OpPtr op, MatchState& m, size_t index, bool forward, double* rows) {
  PRel& r = m.rels[index];
  const RelPattern& p = *r.pat;
  const int from = forward ? r.left : r.right;
  const int to = forward ? r.right : r.left;
  const Direction dir = forward ? p.dir : Flip(p.dir);
  const bool to_bound = m.bound->count(to) > 0;
  const double n = static_cast<double>(std::max<uint64_t>(stats_.nodes, 1));
  double degree = static_cast<double>(stats_.edges) * (dir == Direction::kBoth ? 2 : 1) / n;
  if (auto known = m.known.find(from); known != m.known.end()) {
    // A node found by its key: its own degree counts.
    auto d = graph_.view().GetDegree(known->second);
    if (d.ok()) {
      degree = static_cast<double>(dir == Direction::kOut ? d->out
                                   : dir == Direction::kIn ? d->in
                                                           : d->total());
    }
  }
  NodeCheck check = to_bound ? NodeCheck{} : CheckFor(m, to);
  double selectivity = 1;
  if (check.impossible) selectivity = 0;
  if (check.kind) selectivity *= static_cast<double>(stats_.count(SymbolSpace::kKind, *check.kind)) / n;
  if (check.sector) selectivity *= static_cast<double>(stats_.count(SymbolSpace::kSector, *check.sector)) / n;
  if (to_bound) selectivity = 1 / n;
  std::string describe = RelText(m, r, forward);
  Uniqueness unique{m.bound_rels, m.bound_lists};
  std::erase(unique.rel_slots, r.slot);
  std::erase(unique.list_slots, r.slot);

  if (r.part->kind != PathKind::kPattern) {
    const bool all = r.part->kind == PathKind::kAllShortest;
    std::vector<std::string> types = p.types;
    op = std::make_unique<ShortestPathOp>(
        std::move(op), from, to, r.part->path_slot, p.var.empty() ? -1 : r.slot, dir, types,
        p.min_hops.value_or(1), p.max_hops.value_or(kUnbounded), all,
        std::string(all ? "AllShortestPaths " : "ShortestPath ") + describe);
    reads_ += *rows * n;
    op->estimated_rows = *rows;
    m.bound->insert(r.slot);
    if (r.part->path_slot >= 0) m.bound->insert(r.part->path_slot);
    m.paths_built.insert(r.part);
  } else if (!p.var_length) {
    reads_ += *rows * degree;
    RelCheck rel_check = RelCheckFor(m, r.slot);
    auto expand = std::make_unique<ExpandOp>(
        std::move(op), from, r.slot, to, dir, TypesOf(p.types), check, to_bound, r.bound_before,
        unique, std::string(to_bound ? "ExpandInto " : "Expand ") + describe + rel_check.Text());
    expand->set_rel_check(std::move(rel_check));
    op = std::move(expand);
    *rows *= degree * selectivity;
    op->estimated_rows = *rows;
    m.bound_rels.push_back(r.slot);
  } else {
    const int64_t min = p.min_hops.value_or(1);
    const int64_t max = p.max_hops.value_or(kUnbounded);
    double reach = 0, frontier = 1;
    for (int64_t k = 1; k <= std::min<int64_t>(max, 8); ++k) {
      frontier *= degree;
      if (k >= min) reach += frontier;
      if (reach > n) break;
    }
    reach = std::min(reach, n * (max == kUnbounded ? 4 : 1));
    // A search reads each relationship at most twice (once from each end).
    reads_ += *rows * std::min(std::max(reach, 1.0) * degree, 2.0 * static_cast<double>(stats_.edges));
    std::vector<std::pair<std::string, const Expr*>> rel_props;
    if (p.props) {
      for (size_t i = 0; i < p.props->keys.size(); ++i) rel_props.emplace_back(p.props->keys[i], p.props->args[i].get());
    }
    // Only which nodes are reached matters when this is the MATCH's one
    // relationship, anonymous and without properties or a path, and what
    // follows keeps distinct rows only: then a breadth-first search, which
    // meets each node once, gives the same answer as enumerating trails.
    // (With min <= 1: a node is reachable by a trail of length 1..max iff
    // by a walk, as a shortest walk is a path; the start is an endpoint iff
    // a cycle of at most max runs through it, which the search detects.)
    const bool reach_only = m.distinct_ok && m.rels.size() == 1 && p.var.empty() &&
                            rel_props.empty() && r.part->path_slot < 0 && min <= 1 && !to_bound;
    if (reach_only) {
      // From one start the search meets each node once: its ends are
      // distinct, and count(DISTINCT end) needs no set.
      if (m.single) unique_slots_.insert(to);
      op = std::make_unique<VarReachOp>(std::move(op), from, to, dir, TypesOf(p.types), min, max,
                                        check, "VarLengthReach " + describe + " (breadth-first, distinct ends)");
      *rows *= std::max(reach * selectivity, 1.0);
    } else {
      const bool build_list = !p.var.empty() || r.part->path_slot >= 0 || m.rels.size() > 1;
      op = std::make_unique<VarExpandOp>(std::move(op), from, r.slot, to, dir, TypesOf(p.types),
                                         min, max, check, to_bound, rel_props, unique, build_list,
                                         !forward, "VarLengthExpand " + describe);
      *rows *= std::max(reach * (to_bound ? 1 / n : selectivity), 1.0);
      if (build_list) m.bound_lists.push_back(r.slot);
    }
    op->estimated_rows = *rows;
  }
  r.done = true;
  m.single = false;
  m.bound->insert(r.slot);
  m.bound->insert(to);
  m.nodes.at(to).bound = true;
  return op;
}

// The pattern graph: the MATCH's node and relationship variables, each node
// with the labels all its mentions give it.
void Planner::GatherPattern(MatchState& m) {
  for (const PatternPart* part : m.parts) {
    for (const auto& n : part->nodes) {
      entity_slots_.insert(n.slot);
      node_slots_.insert(n.slot);
    }
    for (const auto& r : part->rels) {
      if (!r.var_length) entity_slots_.insert(r.slot);
    }
    for (const auto& n : part->nodes) {
      m.slots.insert(n.slot);
      auto [it, added] = m.nodes.emplace(n.slot, PNode{n.slot, n.var, {}, false});
      if (added) m.node_order.push_back(n.slot);
      for (const auto& l : n.labels) {
        if (std::find(it->second.labels.begin(), it->second.labels.end(), l) == it->second.labels.end()) {
          it->second.labels.push_back(l);
        }
      }
    }
    for (size_t i = 0; i < part->rels.size(); ++i) {
      const RelPattern& rp = part->rels[i];
      m.slots.insert(rp.slot);
      PRel r{&rp, part, rp.slot, part->nodes[i].slot, part->nodes[i + 1].slot};
      r.bound_before = m.bound->count(rp.slot) > 0;
      m.rels.push_back(r);
      if (r.bound_before) m.bound_rels.push_back(rp.slot);
    }
    if (part->path_slot >= 0) m.slots.insert(part->path_slot);
  }
}

// Predicates: property maps, then WHERE's conjuncts, then the checks on
// nodes bound before this MATCH.
void Planner::GatherPredicates(MatchState& m, const Expr* where) {
  auto deps_of = [&](const Expr* e, std::vector<int>* deps) {
    std::set<int> s;
    CollectSlots(e, &s);
    for (int d : s) {
      if (m.slots.count(d)) deps->push_back(d);
    }
  };
  auto add_props = [&](int slot, const Expr* props) {
    if (!props) return;
    for (size_t i = 0; i < props->keys.size(); ++i) {
      Predicate p;
      p.slot = slot;
      p.key = props->keys[i];
      p.value = props->args[i].get();
      p.deps.push_back(slot);
      deps_of(p.value, &p.deps);
      m.preds.push_back(std::move(p));
    }
  };
  for (const PatternPart* part : m.parts) {
    for (const auto& n : part->nodes) add_props(n.slot, n.props.get());
    for (const auto& r : part->rels) {
      if (!r.var_length) add_props(r.slot, r.props.get());
    }
  }
  std::vector<const Expr*> conjuncts;
  SplitAnd(where, &conjuncts);
  for (const Expr* c : conjuncts) {
    Predicate p;
    p.expr = c;
    deps_of(c, &p.deps);
    m.preds.push_back(std::move(p));
  }
  // Nodes bound before this MATCH still have to be nodes, with its labels
  // (so the check is kept even when it tests nothing else).
  for (int slot : m.node_order) {
    if (!m.bound->count(slot)) continue;
    m.nodes.at(slot).bound = true;
    m.preds.push_back(CheckPredicate(slot, CheckFor(m, slot)));
  }
}

// Which relationship to take next from what is bound: one that closes a
// cycle, then fixed-length ones, then the most selective; relationships
// bound before this MATCH are followed or bound when nothing reaches them.
// `rel` is -1 when no relationship can be taken.
Planner::Step Planner::ChooseStep(MatchState& m) {
  Step best;
  double best_score = std::numeric_limits<double>::infinity();
  auto take = [&](size_t i, double score, bool forward, bool bind) {
    best = Step{static_cast<int>(i), forward, bind};
    best_score = score;
  };
  for (size_t i = 0; i < m.rels.size(); ++i) {
    const PRel& r = m.rels[i];
    if (r.done) continue;
    const bool lb = m.bound->count(r.left) > 0, rb = m.bound->count(r.right) > 0;
    if (r.part->kind != PathKind::kPattern) {
      if (lb && rb && best_score > 0) take(i, 0, true, false);
      continue;
    }
    if (r.bound_before && r.pat->var_length) {
      // A list of relationships bound before: follow it.
      if (best_score > 0.25) take(i, 0.25, best.forward, true);
      continue;
    }
    if (!lb && !rb) {
      if (r.bound_before && best_score > 1) take(i, 1, best.forward, true);
      continue;
    }
    double score;
    if (lb && rb) {
      score = 0.5;
    } else {
      NodeCheck c = CheckFor(m, lb ? r.right : r.left);
      const double n = static_cast<double>(std::max<uint64_t>(stats_.nodes, 1));
      double sel = 1;
      if (c.impossible) sel = 0;
      if (c.kind) sel *= static_cast<double>(stats_.count(SymbolSpace::kKind, *c.kind)) / n;
      if (c.sector) sel *= static_cast<double>(stats_.count(SymbolSpace::kSector, *c.sector)) / n;
      score = 2 + (r.pat->var_length ? 2 : 0) + sel;
    }
    if (score < best_score) take(i, score, lb, false);
  }
  return best;
}

// A relationship, or a list of them, bound before this MATCH: binds its
// ends from it.
OpPtr Planner::BindRel(OpPtr op, MatchState& m, PRel& r, double* rows) {
  m.single = false;
  if (r.pat->var_length) {
    op = std::make_unique<FollowListOp>(std::move(op), r.left, r.slot, r.right, r.pat->dir,
                                        TypesOf(r.pat->types), r.pat->min_hops.value_or(1),
                                        r.pat->max_hops.value_or(kUnbounded),
                                        "FollowList " + RelText(m, r, true));
    m.bound_lists.push_back(r.slot);
  } else {
    op = std::make_unique<BindRelationshipOp>(std::move(op), r.slot, r.left, r.right, r.pat->dir,
                                              TypesOf(r.pat->types), "BindRelationship " + RelText(m, r, true));
  }
  op->estimated_rows = *rows;
  r.done = true;
  for (int s : {r.left, r.right}) BindEnd(m, s);
  return op;
}

// Binds `slot`, an end of a relationship bound before: a node not bound
// yet has its labels and sector tested by a Filter (once, also when both
// ends are the same node).
void Planner::BindEnd(MatchState& m, int slot) {
  if (!m.bound->count(slot)) {
    NodeCheck c = CheckFor(m, slot);
    if (!c.Trivial()) m.preds.push_back(CheckPredicate(slot, std::move(c)));
  }
  m.bound->insert(slot);
  m.nodes.at(slot).bound = true;
}

// The node to start a new component at: the cheapest one not bound, or -1.
//
// One exception: when the cheapest is scanned (no lookup), filters nothing
// but its label, sector and props checks, is an end of the pattern (one
// relationship), and is the target of a directed
// relationship whose source is scanned too, at most the relationship's
// expected fan-out (edges per node) times as many, the plan starts from the
// source. The expansion makes the same rows from either end, and scanning
// the extra source nodes costs no more than those rows; but from the source
// the relationships come out in position order (a node's out-slots are its
// edges' positions), so the properties read from a snapshot's edge columns
// are read in order, not at scattered in-slot positions (a cache miss a
// row on a large graph): `(a:actor)-[e]->(p:project) RETURN a.country,
// sum(e.contribution)` starts from the actors.
int Planner::CheapestStart(MatchState& m) {
  int start = -1;
  double start_est = std::numeric_limits<double>::infinity();
  int start_source = 0;
  for (int slot : m.node_order) {
    if (m.bound->count(slot)) continue;
    int source;
    const Expr* value;
    double est = Estimate(m, slot, &source, &value);
    if (est < start_est) {
      start = slot;
      start_est = est;
      start_source = source;
    }
  }
  using S = NodeScanOp::Source;
  auto scanned = [](int source) {
    return source == static_cast<int>(S::kAll) || source == static_cast<int>(S::kKind) ||
           source == static_cast<int>(S::kSector);
  };
  if (start < 0 || !scanned(start_source)) return start;
  // Only at an end of the pattern: from the middle of (a)-->(p)<--(b), each
  // side is expanded once per p; from a, p's other side would be expanded
  // again for each of a's rows.
  int incident = 0;
  for (const PRel& r : m.rels) incident += !r.done && (r.left == start || r.right == start);
  if (incident != 1) return start;
  // Filters the start's scan would apply (after Estimate placed its checks).
  for (const Predicate& p : m.preds) {
    if (p.placed) continue;
    bool reads_start = false, ready = true;
    for (int d : p.deps) {
      reads_start = reads_start || d == start;
      ready = ready && (d == start || m.bound->count(d) > 0);
    }
    if (reads_start && ready) return start;
  }
  const double fanout =
      std::max(1.0, static_cast<double>(stats_.edges) /
                        static_cast<double>(std::max<uint64_t>(stats_.nodes, 1)));
  int source_start = -1;
  double source_est = std::numeric_limits<double>::infinity();
  for (const PRel& r : m.rels) {
    if (r.done || r.bound_before || r.part->kind != PathKind::kPattern || r.pat->var_length ||
        r.pat->dir == Direction::kBoth) {
      continue;
    }
    const int from = r.pat->dir == Direction::kOut ? r.left : r.right;
    const int to = r.pat->dir == Direction::kOut ? r.right : r.left;
    if (to != start || from == to || m.bound->count(from)) continue;
    int source;
    const Expr* value;
    const double est = Estimate(m, from, &source, &value);
    if (scanned(source) && est <= start_est * fanout && est < source_est) {
      source_start = from;
      source_est = est;
    }
  }
  return source_start >= 0 ? source_start : start;
}

OpPtr Planner::PlanMatch(OpPtr op, const std::vector<const PatternPart*>& parts, const Expr* where,
                         std::set<int>* bound, bool distinct_ok, double* rows) {
  MatchState m;
  m.parts = parts;
  m.bound = bound;
  m.distinct_ok = distinct_ok;
  m.single = dynamic_cast<const OnceOp*>(op.get()) != nullptr;
  unique_slots_.clear();
  GatherPattern(m);
  GatherPredicates(m, where);
  op = Attach(std::move(op), m, rows);
  for (;;) {
    const Step step = ChooseStep(m);
    if (step.rel >= 0) {
      const auto index = static_cast<size_t>(step.rel);
      op = step.bind ? BindRel(std::move(op), m, m.rels[index], rows)
                     : ExpandRel(std::move(op), m, index, step.forward, rows);
    } else {
      // Nothing to expand: start a new component at its cheapest node.
      const int start = CheapestStart(m);
      if (start < 0) break;
      op = ScanNode(std::move(op), m, start, rows);
    }
    op = Attach(std::move(op), m, rows);
  }
  op = Attach(std::move(op), m, rows);
  return op;
}

// --- projections ---------------------------------------------------------------------------

namespace {

// May the rows into this projection be counted instead of made? It must
// aggregate with count(*) and count(x) alone.
bool CountsOnly(const Clause& c) {
  if ((c.kind != ClauseKind::kWith && c.kind != ClauseKind::kReturn) || !c.has_aggregation ||
      c.distinct || c.star) {
    return false;
  }
  for (const Expr* a : c.aggregates) {
    if (a->kind == ExprKind::kCountStar) continue;
    if (a->name == "count" && !a->distinct && a->args[0]->kind == ExprKind::kVariable) continue;
    return false;
  }
  return true;
}

// The slots a projection reads, but for count(x) of the slots in `counted`.
void ProjectionReads(const Clause& c, const Expr* e, std::set<int>* out) {
  if (e == nullptr) return;
  if (e->agg_index >= 0 && e->kind == ExprKind::kFunction && e->name == "count" &&
      e->args[0]->kind == ExprKind::kVariable) {
    return;  // count(x): decided by the caller
  }
  if (e->kind == ExprKind::kVariable) out->insert(e->slot);
  for (const auto& a : e->args) ProjectionReads(c, a.get(), out);
  ProjectionReads(c, e->else_expr.get(), out);
  if (e->pattern || !e->map_items.empty()) CollectSlots(e, out);
}

// Whether the keys are computed from variables alone (so that grouping by
// those variables first changes nothing), and which.
bool KeysFromVariables(const Expr* e, std::set<int>* slots) {
  switch (e->kind) {
    case ExprKind::kVariable: slots->insert(e->slot); return true;
    case ExprKind::kLiteral:
    case ExprKind::kParameter: return true;
    case ExprKind::kProperty:
    case ExprKind::kIndex:
    case ExprKind::kSlice:
    case ExprKind::kList:
    case ExprKind::kMap:
    case ExprKind::kUnary:
    case ExprKind::kBinary:
    case ExprKind::kIsNull:
    case ExprKind::kIsNotNull:
    case ExprKind::kHasLabels:
    case ExprKind::kCase: break;
    case ExprKind::kFunction:
      if (e->name == "rand" || e->agg_index >= 0) return false;
      break;
    default: return false;
  }
  for (const auto& a : e->args) {
    if (a && !KeysFromVariables(a.get(), slots)) return false;
  }
  return !e->else_expr || KeysFromVariables(e->else_expr.get(), slots);
}

}  // namespace

OpPtr Planner::PlanProjection(OpPtr op, const Clause& c, double* rows,
                              const std::set<int>& counted) {
  const size_t width = static_cast<size_t>(query_.num_slots);
  std::vector<int> out_slots = c.star_slots;
  std::string names;
  for (const auto& item : c.items) {
    out_slots.push_back(item.slot);
    names += (names.empty() ? "" : ", ") + item.alias;
  }
  if (c.has_aggregation) {
    std::vector<ProjectItem> keys, outputs;
    for (int s : c.star_slots) keys.push_back(ProjectItem{nullptr, s});
    for (const auto& item : c.items) {
      (item.expr->aggregate ? outputs : keys).push_back(ProjectItem{item.expr.get(), item.slot});
    }
    std::vector<const Expr*> aggs(c.aggregates.begin(), c.aggregates.end());
    std::string key_text;
    for (const auto& k : keys) key_text += (key_text.empty() ? "" : ", ") + (k.expr ? ExprText(k.expr) : "*");
    AggregateOptions options;
    for (const Expr* a : aggs) {
      options.distinct_free.push_back(a->distinct && a->kind == ExprKind::kFunction &&
                                      a->args[0]->kind == ExprKind::kVariable &&
                                      unique_slots_.count(a->args[0]->slot) > 0);
    }
    if (!counted.empty()) {
      options.weight_slot = query_.weight_slot;
      for (const Expr* a : aggs) {
        options.count_as_star.push_back(a->kind == ExprKind::kFunction &&
                                        counted.count(a->args[0]->slot) > 0);
      }
    }
    // Keys computed from nodes' properties: group by the nodes first.
    std::set<int> key_slots;
    bool from_variables = !keys.empty();
    bool plain = true;
    for (const auto& k : keys) {
      if (!k.expr) {
        key_slots.insert(k.slot);
        continue;
      }
      plain = plain && k.expr->kind == ExprKind::kVariable;
      from_variables = from_variables && KeysFromVariables(k.expr, &key_slots);
    }
    // What the outputs read outside their aggregations (a grouping key's
    // variable, in n.x + count(*)).
    std::set<int> keep;
    std::function<void(const Expr*)> reads = [&](const Expr* e) {
      if (e == nullptr || e->agg_index >= 0 || e->kind == ExprKind::kCountStar) return;
      if (e->kind == ExprKind::kVariable) keep.insert(e->slot);
      for (const auto& a : e->args) reads(a.get());
      reads(e->else_expr.get());
      if (e->pattern || !e->map_items.empty()) CollectSlots(e, &keep);
    };
    for (const auto& o : outputs) reads(o.expr);
    options.keep_slots.assign(keep.begin(), keep.end());
    bool entities = true;
    for (int slot : key_slots) entities = entities && entity_slots_.count(slot) > 0;
    std::string how;
    if (from_variables && !plain && entities && !key_slots.empty()) {
      options.pregroup_slots.assign(key_slots.begin(), key_slots.end());
      how = " (first by the variables the keys read)";
      // RETURN n.key, count(*) AS c ORDER BY c DESC LIMIT 10: one group a
      // node, and only the groups that can be among the first ten need
      // their keys.
      const int node = options.pregroup_slots[0];
      const bool one_node = options.pregroup_slots.size() == 1 && node_slots_.count(node) > 0;
      const bool tells_apart = std::any_of(keys.begin(), keys.end(), [&](const ProjectItem& k) {
        return k.expr && k.expr->kind == ExprKind::kProperty && k.expr->name == "key" &&
               k.expr->args[0]->kind == ExprKind::kVariable && k.expr->args[0]->slot == node;
      });
      if (one_node && tells_apart && c.limit && !c.distinct) {
        for (const auto& s : c.order) {
          const Expr* agg = nullptr;
          if (s.expr->kind == ExprKind::kVariable) {
            for (const auto& o : outputs) {
              if (o.slot == s.expr->slot) agg = o.expr;
            }
          }
          const bool cheap = agg && agg->agg_index >= 0 &&
                             (agg->kind == ExprKind::kCountStar ||
                              (agg->kind == ExprKind::kFunction &&
                               (agg->name == "count" || agg->name == "sum" || agg->name == "avg" ||
                                agg->name == "min" || agg->name == "max")));
          if (!cheap) break;
          options.top_order.emplace_back(static_cast<size_t>(agg->agg_index), s.descending);
        }
        if (!options.top_order.empty()) {
          options.top_skip = c.skip.get();
          options.top_limit = c.limit.get();
          how = " (first by the variables the keys read; keys only for the groups that can make the top)";
        }
      }
    }
    op = std::make_unique<AggregateOp>(std::move(op), std::move(keys), std::move(aggs),
                                       std::move(outputs), width, std::move(options),
                                       "Aggregate " + names + (key_text.empty() ? "" : " grouped by " + key_text) + how);
    *rows = c.items.size() == c.aggregates.size() ? 1 : std::max(1.0, *rows / 4);
    op->estimated_rows = *rows;
  } else if (!c.items.empty()) {
    std::vector<ProjectItem> items;
    for (const auto& item : c.items) items.push_back(ProjectItem{item.expr.get(), item.slot});
    op = std::make_unique<ProjectOp>(std::move(op), std::move(items), "Project " + names);
    op->estimated_rows = *rows;
  }
  if (c.distinct) {
    op = std::make_unique<DistinctOp>(std::move(op), out_slots);
    op->estimated_rows = *rows;
  }
  if (!c.order.empty()) {
    std::vector<SortKey> keys;
    std::string text;
    for (const auto& s : c.order) {
      keys.push_back(SortKey{s.expr.get(), s.descending});
      text += (text.empty() ? "" : ", ") + ExprText(s.expr.get()) + (s.descending ? " DESC" : "");
    }
    op = std::make_unique<SortOp>(std::move(op), std::move(keys), c.skip.get(), c.limit.get(),
                                  std::string(c.limit ? "Top " : "Sort ") + text);
    op->estimated_rows = *rows;
  }
  if (c.skip) {
    op = std::make_unique<SkipLimitOp>(std::move(op), c.skip.get(), false);
    op->estimated_rows = *rows;
  }
  if (c.limit) {
    op = std::make_unique<SkipLimitOp>(std::move(op), c.limit.get(), true, query_.writes);
    if (auto v = ConstantValue(c.limit.get()); v && v->type() == Value::Type::kInt) {
      *rows = std::min(*rows, static_cast<double>(v->integer()));
    }
    op->estimated_rows = *rows;
  }
  if (c.where) {
    Predicate p;
    p.expr = c.where.get();
    op = std::make_unique<FilterOp>(std::move(op), std::vector<Predicate>{p}, "Filter " + ExprText(c.where.get()));
    *rows *= 0.3;
    op->estimated_rows = *rows;
  }
  return op;
}

// --- writes ------------------------------------------------------------------------------------

namespace {

CreatePlan MakeCreatePlan(const PatternPart& part, std::set<int>* bound, bool merge) {
  CreatePlan plan;
  for (const auto& n : part.nodes) {
    if (n.labels.size() > 1) {
      bool same = std::all_of(n.labels.begin(), n.labels.end(), [&](const std::string& l) { return l == n.labels[0]; });
      if (!same) {
        SemanticError("SingleLabel", "a node has one label, its kind: (:" + n.labels[0] + ":" +
                      n.labels[1] + ") gives it two", n.pos);
      }
    }
    bool was = bound->count(n.slot) > 0;
    plan.nodes.push_back(CreatePlan::NodeSpec{n.slot, was, n.labels.empty() ? "" : n.labels[0],
                                              n.props.get(), n.pos});
    bound->insert(n.slot);
    plan.path_nodes.push_back(n.slot);
  }
  for (size_t i = 0; i < part.rels.size(); ++i) {
    const RelPattern& r = part.rels[i];
    Direction d = r.dir;
    if (merge && d == Direction::kBoth) d = Direction::kOut;
    plan.rels.push_back(CreatePlan::RelSpec{r.slot, part.nodes[i].slot, part.nodes[i + 1].slot, d,
                                            r.types.empty() ? "" : r.types[0], r.props.get(), r.pos});
    bound->insert(r.slot);
  }
  plan.path_slot = part.path_slot;
  if (part.path_slot >= 0) bound->insert(part.path_slot);
  return plan;
}

}  // namespace

OpPtr Planner::PlanCreate(OpPtr op, const Clause& c, std::set<int>* bound) {
  std::vector<CreatePlan> plans;
  for (const auto& part : c.patterns) plans.push_back(MakeCreatePlan(part, bound, false));
  double rows = op->estimated_rows;
  op = std::make_unique<CreateOp>(std::move(op), std::move(plans), "Create " + text_.substr(c.pos, std::min<size_t>(60, text_.size() - c.pos)));
  op->estimated_rows = rows;
  return op;
}

OpPtr Planner::PlanMerge(OpPtr op, const Clause& c, std::set<int>* bound) {
  auto sub = std::make_unique<SubPlan>();
  std::set<int> inner = *bound;
  double rows = 1;
  OpPtr arg = std::make_unique<ArgumentOp>(sub.get());
  sub->root = PlanMatch(std::move(arg), {&c.patterns[0]}, nullptr, &inner, false, &rows);
  CreatePlan create = MakeCreatePlan(c.patterns[0], bound, true);
  std::vector<const SetItem*> on_create, on_match;
  for (const auto& s : c.on_create) on_create.push_back(&s);
  for (const auto& s : c.on_match) on_match.push_back(&s);
  double est = op->estimated_rows;
  op = std::make_unique<MergeOp>(std::move(op), std::move(sub), std::move(create), on_create,
                                 on_match, "Merge");
  op->estimated_rows = est;
  return op;
}

// --- the whole query ----------------------------------------------------------------------------

OpPtr Planner::PlanSingle(const SingleQuery& q, std::vector<int>* columns) {
  OpPtr op = std::make_unique<OnceOp>();
  op->estimated_rows = 1;
  return PlanClauses(std::move(op), {}, q, columns, query_.writes);
}

OpPtr Planner::PlanClauses(OpPtr op, std::set<int> bound, const SingleQuery& q,
                           std::vector<int>* columns, bool eager) {
  double rows = std::max(1.0, op->estimated_rows);
  std::set<int> counted;  // slots an ExpandCountOp counts, for the next projection
  const auto& clauses = q.clauses;
  for (size_t i = 0; i < clauses.size(); ++i) {
    const Clause& c = clauses[i];
    switch (c.kind) {
      case ClauseKind::kMatch: {
        // Does what follows keep distinct rows only? (See ExpandRel.)
        bool distinct_ok = false;
        if (i + 1 < clauses.size()) {
          const Clause& next = clauses[i + 1];
          if (next.kind == ClauseKind::kWith || next.kind == ClauseKind::kReturn) {
            bool insensitive = next.has_aggregation;
            for (const Expr* a : next.aggregates) {
              insensitive = insensitive && (a->distinct || a->name == "min" || a->name == "max");
            }
            distinct_ok = next.distinct || insensitive;
          }
        }
        std::vector<const PatternPart*> parts;
        for (const auto& p : c.patterns) parts.push_back(&p);
        if (c.optional) {
          auto sub = std::make_unique<SubPlan>();
          std::set<int> inner = bound;
          double sub_rows = rows;
          OpPtr arg = std::make_unique<ArgumentOp>(sub.get());
          arg->estimated_rows = rows;
          sub->root = PlanMatch(std::move(arg), parts, c.where.get(), &inner, distinct_ok, &sub_rows);
          std::vector<int> fresh;
          for (int s : inner) {
            if (!bound.count(s)) fresh.push_back(s);
          }
          bound = inner;
          op = std::make_unique<OptionalOp>(std::move(op), std::move(sub), fresh);
          rows = std::max(rows, sub_rows);
          op->estimated_rows = rows;
        } else {
          op = PlanMatch(std::move(op), parts, c.where.get(), &bound, distinct_ok, &rows);
          // The last expansion only adds rows to count: count them instead.
          auto* last = dynamic_cast<ExpandOp*>(op.get());
          if (last && last->binds_new() && i + 1 < clauses.size() && CountsOnly(clauses[i + 1])) {
            const Clause& next = clauses[i + 1];
            std::set<int> reads;
            for (const auto& item : next.items) ProjectionReads(next, item.expr.get(), &reads);
            for (const Expr* a : next.aggregates) {
              if (a->kind == ExprKind::kFunction) {
                int s = a->args[0]->slot;
                if (s != last->to_slot() && s != last->rel_slot()) reads.insert(s);
              }
            }
            if (!reads.count(last->rel_slot()) && !reads.count(last->to_slot())) {
              counted = {last->rel_slot(), last->to_slot()};
              double est = op->estimated_rows;
              op = last->MakeCounting(query_.weight_slot);
              op->estimated_rows = est;
            }
          }
        }
        break;
      }
      case ClauseKind::kUnwind:
        op = std::make_unique<UnwindOp>(std::move(op), c.list.get(), c.slot,
                                        "Unwind " + ExprText(c.list.get()) + " AS " + c.var);
        rows *= 10;
        op->estimated_rows = rows;
        bound.insert(c.slot);
        break;
      case ClauseKind::kWith:
      case ClauseKind::kReturn:
        op = PlanProjection(std::move(op), c, &rows, counted);
        counted.clear();
        for (const auto& item : c.items) bound.insert(item.slot);
        if (c.kind == ClauseKind::kReturn) {
          *columns = c.star_slots;
          for (const auto& item : c.items) columns->push_back(item.slot);
        }
        break;
      case ClauseKind::kCreate: op = PlanCreate(std::move(op), c, &bound); break;
      case ClauseKind::kMerge: op = PlanMerge(std::move(op), c, &bound); break;
      case ClauseKind::kSet:
      case ClauseKind::kRemove: {
        std::vector<const SetItem*> items;
        for (const auto& s : c.set_items) items.push_back(&s);
        op = std::make_unique<SetOp>(std::move(op), items, c.kind == ClauseKind::kRemove,
                                     c.kind == ClauseKind::kRemove ? "Remove" : "SetProperties");
        op->estimated_rows = rows;
        break;
      }
      case ClauseKind::kDelete: {
        std::vector<const Expr*> exprs;
        for (const auto& e : c.exprs) exprs.push_back(e.get());
        op = std::make_unique<DeleteOp>(std::move(op), exprs, c.detach, c.detach ? "DetachDelete" : "Delete");
        op->estimated_rows = rows;
        break;
      }
      case ClauseKind::kCallSubquery: {
        auto sub = std::make_unique<SubPlan>();
        OpPtr arg = std::make_unique<ArgumentOp>(sub.get());
        arg->estimated_rows = 1;
        std::vector<int> body_columns;
        double in_rows = rows;
        sub->root = PlanClauses(std::move(arg), std::set<int>(c.imports.begin(), c.imports.end()),
                                *c.body, &body_columns, eager);
        rows = in_rows * std::max(1.0, sub->root->estimated_rows);
        op = std::make_unique<CallSubqueryOp>(std::move(op), std::move(sub), c.returned);
        op->estimated_rows = rows;
        for (int s : c.returned) bound.insert(s);
        break;
      }
      case ClauseKind::kCall: {
        std::vector<const Expr*> args;
        for (const auto& e : c.exprs) args.push_back(e.get());
        op = std::make_unique<ProcedureCallOp>(std::move(op), *c.callable, std::move(args),
                                               c.yields, c.where.get(), c.pos,
                                               clauses.size() == 1);
        rows *= c.callable->analytics ? std::max<double>(1, static_cast<double>(stats_.nodes)) : 10;
        op->estimated_rows = rows;
        for (const auto& y : c.yields) bound.insert(y.slot);
        if (clauses.size() == 1) {
          for (const auto& y : c.yields) columns->push_back(y.slot);
        }
        break;
      }
    }
    // In a query that writes, each clause runs to the end before the next
    // starts: reads never see a later clause's writes half done.
    if (eager) {
      double est = op->estimated_rows;
      op = std::make_unique<EagerOp>(std::move(op));
      op->estimated_rows = est;
    }
  }
  return op;
}

std::unique_ptr<SubPlan> Planner::PlanPatternExpression(const Expr& e) {
  auto sub = std::make_unique<SubPlan>();
  if (e.subquery) {
    // A subquery only reads (the analyzer saw to it): no Eager between its
    // clauses, whatever the outer query does.
    OpPtr arg = std::make_unique<ArgumentOp>(sub.get());
    arg->estimated_rows = 1;
    std::vector<int> columns;
    sub->root = PlanClauses(std::move(arg), std::set<int>(e.imports.begin(), e.imports.end()),
                            *e.subquery, &columns, false);
    return sub;
  }
  std::set<int> bound;
  const PatternPart& part = *e.pattern;
  for (const auto& n : part.nodes) {
    if (n.was_bound && !bound.count(n.slot)) {
      // Only its first occurrence tells whether it was bound outside.
      bool first = true;
      for (const auto& m : part.nodes) {
        if (&m == &n) break;
        if (m.slot == n.slot) first = false;
      }
      if (first) bound.insert(n.slot);
    }
  }
  for (const auto& r : part.rels) {
    if (r.was_bound) bound.insert(r.slot);
  }
  double rows = 1;
  OpPtr arg = std::make_unique<ArgumentOp>(sub.get());
  sub->root = PlanMatch(std::move(arg), {&part}, nullptr, &bound, false, &rows);
  return sub;
}

}  // namespace samverkan::cypher
