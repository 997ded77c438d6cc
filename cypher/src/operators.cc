// operators.cc: the reading and shaping operators. See operators.h.
#include "operators.h"

#include <algorithm>
#include <span>

#include "column_top.h"
#include "error.h"
#include "eval.h"
#include "samverkan/traversal.h"

namespace samverkan::cypher {
namespace {

using T = Value::Type;

bool IsConstant(const Expr* e) {
  if (e == nullptr) return true;
  if (e->kind == ExprKind::kVariable || e->kind == ExprKind::kPattern ||
      e->kind == ExprKind::kPatternComprehension || e->kind == ExprKind::kExists ||
      e->kind == ExprKind::kCountSubquery ||
      e->kind == ExprKind::kMapProjection) {
    return false;
  }
  if (e->kind == ExprKind::kFunction && e->name == "rand") return false;
  for (const auto& a : e->args) {
    if (!IsConstant(a.get())) return false;
  }
  return IsConstant(e->else_expr.get());
}

// How often long loops ask whether to stop.
constexpr size_t kPollMask = 1023;

}  // namespace

// --- predicates -------------------------------------------------------------------

bool Predicate::Holds(Row& row, ExecContext& ctx) const {
  if (expr) return EvalPredicate(*expr, row, ctx).value_or(false);
  if (check) {
    const Value& v = row[static_cast<size_t>(slot)];
    return v.type() == T::kNode && check->Passes(ctx.graph, v.node());
  }
  Value have = PropertyOf(row[static_cast<size_t>(slot)], key, ctx, value->pos);
  Value want = Eval(*value, row, ctx);
  CheckNotDateAgainstString(have, want, value->pos);
  return Equal(have, want).value_or(false);
}

std::string Predicate::Text(const std::string& query) const {
  if (check) return check->text;
  const Expr* e = expr ? expr : value;
  std::string text = e->end > e->pos ? query.substr(e->pos, e->end - e->pos) : "?";
  return expr ? text : "." + key + " = " + text;
}

bool Uniqueness::Clashes(const Row& row, const Relationship& r) const {
  for (int s : rel_slots) {
    const Value& v = row[static_cast<size_t>(s)];
    if (v.type() == T::kRelationship && v.rel().SameAs(r)) return true;
  }
  for (int s : list_slots) {
    const Value& v = row[static_cast<size_t>(s)];
    if (v.type() != T::kList) continue;
    for (const Value& x : v.list()) {
      if (x.type() == T::kRelationship && x.rel().SameAs(r)) return true;
    }
  }
  return false;
}

int64_t CountArgument(const Expr& e, ExecContext& ctx, const char* what) {
  Row none;
  Value v = Eval(e, none, ctx);
  if (v.type() != T::kInt) {
    SyntaxError("InvalidArgumentType", std::string(what) + " takes an integer, not " +
                std::string(TypeName(v.type())), e.pos);
  }
  if (v.integer() < 0) {
    SyntaxError("NegativeIntegerArgument", std::string(what) + " cannot be negative", e.pos);
  }
  return v.integer();
}

// --- Once, Argument ------------------------------------------------------------------

bool OnceOp::Next(ExecContext&, Row*) {
  if (done_) return false;
  done_ = true;
  return true;
}

bool ArgumentOp::Next(ExecContext&, Row* row) {
  if (done_) return false;
  done_ = true;
  *row = *plan_->argument;
  return true;
}

// --- NodeScan -------------------------------------------------------------------------

NodeScanOp::NodeScanOp(OpPtr child, int slot, Source source, SymbolId kind, SymbolId sector,
                       const Expr* value, NodeCheck check, std::string describe)
    : Operator(std::move(child)),
      slot_(slot),
      source_(source),
      kind_(kind),
      sector_(sector),
      value_(value),
      constant_(IsConstant(value)),
      check_(std::move(check)),
      describe_(std::move(describe)) {}

void NodeScanOp::Reset() {
  Operator::Reset();
  active_ = false;
  if (!constant_) have_ids_ = false;
}

void NodeScanOp::Candidates(ExecContext& ctx, Row& row) {
  // A scan run again (a MERGE's match, per row) must see the nodes the
  // query created or changed since it listed them.
  if (constant_ && have_ids_ && ids_node_writes_ == ctx.graph.node_writes()) return;
  ids_node_writes_ = ctx.graph.node_writes();
  QueryGraph& g = ctx.graph;
  ids_.clear();
  switch (source_) {
    case Source::kAll: ids_ = g.AllNodes(); break;
    case Source::kKind: ids_ = g.NodesOfKind(kind_); break;
    case Source::kSector: ids_ = g.NodesOfSector(sector_, kind_); break;
    case Source::kKey: {
      Value v = Eval(*value_, row, ctx);
      if (v.type() != T::kString) break;
      auto id = g.view().FindKey(v.string());
      if (id.ok()) {
        if (!g.IsDeleted(*id)) ids_.push_back(*id);
      } else if (!id.status().IsNotFound()) {
        Check(id.status());
      }
      break;
    }
    case Source::kName: {
      Value v = Eval(*value_, row, ctx);
      if (v.type() != T::kString) break;
      auto found = g.view().FindByName(v.string());
      if (found.ok()) {
        for (NodeId id : *found) {
          if (!g.IsDeleted(id)) ids_.push_back(id);
        }
      } else if (!found.status().IsInvalidArgument()) {
        Check(found.status());
      }
      break;
    }
    case Source::kId: {
      Value v = Eval(*value_, row, ctx);
      if (v.type() == T::kInt && v.integer() > 0 && g.Exists(static_cast<NodeId>(v.integer()))) {
        ids_.push_back(static_cast<NodeId>(v.integer()));
      }
      break;
    }
    case Source::kNone: break;
  }
  have_ids_ = true;
}

bool NodeScanOp::Next(ExecContext& ctx, Row* row) {
  for (;;) {
    if (active_) {
      while (pos_ < ids_.size()) {
        NodeId id = ids_[pos_++];
        if ((pos_ & kPollMask) == 0) ctx.graph.CheckInterrupt();
        if (ctx.graph.IsDeleted(id) || !check_.Passes(ctx.graph, id)) continue;
        (*row)[static_cast<size_t>(slot_)] = Value::Node(id);
        return true;
      }
      active_ = false;
    }
    if (!child_->Next(ctx, row)) return false;
    Candidates(ctx, *row);
    pos_ = 0;
    active_ = true;
  }
}

// --- Expand ---------------------------------------------------------------------------

ExpandOp::ExpandOp(OpPtr child, int from, int rel, int to, Direction dir, TypeFilter types,
                   NodeCheck to_check, bool to_bound, bool rel_bound, Uniqueness unique,
                   std::string describe)
    : Operator(std::move(child)),
      from_(from),
      rel_(rel),
      to_(to),
      dir_(dir),
      types_(std::move(types)),
      to_check_(std::move(to_check)),
      to_bound_(to_bound),
      rel_bound_(rel_bound),
      unique_(std::move(unique)),
      describe_(std::move(describe)) {}

void ExpandOp::Reset() {
  Operator::Reset();
  active_ = false;
}

bool ExpandOp::Next(ExecContext& ctx, Row* row) {
  QueryGraph& g = ctx.graph;
  for (;;) {
    if (active_) {
      while (pos_ < hops_.size()) {
        const Hop& h = hops_[pos_++];
        if (to_bound_) {
          const Value& t = (*row)[static_cast<size_t>(to_)];
          if (t.type() != T::kNode || t.node() != h.other) continue;
        } else if (rel_bound_ && !to_check_.Trivial() && !to_check_.Passes(g, h.other)) {
          continue;  // (Expand checked the others)
        }
        if (!rel_check_.empty() && !rel_check_.Passes(g, h.rel)) continue;
        if (unique_.Clashes(*row, h.rel)) continue;
        (*row)[static_cast<size_t>(rel_)] = Value::Rel(h.rel);
        if (!to_bound_) (*row)[static_cast<size_t>(to_)] = Value::Node(h.other);
        return true;
      }
      active_ = false;
    }
    if (!child_->Next(ctx, row)) return false;
    hops_.clear();
    pos_ = 0;
    const Value& from = (*row)[static_cast<size_t>(from_)];
    if (from.type() != T::kNode) continue;  // null, from an OPTIONAL MATCH
    const NodeId f = from.node();
    if (rel_bound_) {
      const Value& r = (*row)[static_cast<size_t>(rel_)];
      if (r.type() != T::kRelationship) continue;
      const Relationship& rel = r.rel();
      if (!types_.Allows(rel.type)) continue;
      if (dir_ != Direction::kIn && rel.src == f) hops_.push_back(Hop{rel, rel.dst});
      if (dir_ != Direction::kOut && rel.dst == f && !(dir_ == Direction::kBoth && rel.src == f)) {
        hops_.push_back(Hop{rel, rel.src});
      }
    } else {
      g.CheckInterrupt();
      g.Expand(f, dir_, types_, &hops_, to_bound_ ? nullptr : &to_check_);
    }
    active_ = true;
  }
}

// --- ExpandCount ------------------------------------------------------------------------

ExpandCountOp::ExpandCountOp(OpPtr child, int from, int weight, Direction dir, TypeFilter types,
                             NodeCheck to_check, Uniqueness unique, std::string describe,
                             RelCheck rel_check)
    : Operator(std::move(child)),
      from_(from),
      weight_(weight),
      dir_(dir),
      types_(std::move(types)),
      to_check_(std::move(to_check)),
      unique_(std::move(unique)),
      describe_(std::move(describe)),
      rel_check_(std::move(rel_check)) {}

uint64_t ExpandCountOp::CountFrom(ExecContext& ctx, NodeId from) {
  auto it = counts_.find(from);
  if (it != counts_.end()) return it->second;
  QueryGraph& g = ctx.graph;
  uint64_t n = 0;
  const CsrGraph* csr = g.csr();
  auto v = csr ? csr->index_of(from) : std::nullopt;
  if (v && !to_check_.impossible && rel_check_.empty()) {
    // Straight from the snapshot's arrays: no Hop per relationship.
    to_check_.Bind(g);
    auto count = [&](std::span<const uint32_t> ends, std::span<const uint16_t> tys, bool skip_self) {
      for (size_t i = 0; i < ends.size(); ++i) {
        if (!types_.Allows(tys[i]) || (skip_self && ends[i] == *v)) continue;
        if (!to_check_.PassesDense(*csr, ends[i])) continue;
        ++n;
      }
    };
    if (dir_ != Direction::kIn) count(csr->out_neighbors(*v), csr->out_types(*v), false);
    if (dir_ != Direction::kOut) {
      count(csr->in_neighbors(*v), csr->in_types(*v), dir_ == Direction::kBoth);
    }
  } else if (!csr || !rel_check_.empty()) {
    hops_.clear();
    g.Expand(from, dir_, types_, &hops_, csr ? &to_check_ : nullptr);
    for (const Hop& h : hops_) {
      n += (csr || to_check_.Passes(g, h.other)) && rel_check_.Passes(g, h.rel);
    }
  }
  counts_.emplace(from, n);
  return n;
}

bool ExpandCountOp::Next(ExecContext& ctx, Row* row) {
  QueryGraph& g = ctx.graph;
  size_t polled = 0;
  while (child_->Next(ctx, row)) {
    if ((++polled & kPollMask) == 0) g.CheckInterrupt();
    const Value& fv = (*row)[static_cast<size_t>(from_)];
    if (fv.type() != T::kNode) continue;
    const NodeId from = fv.node();
    int64_t n = static_cast<int64_t>(CountFrom(ctx, from));
    // Relationships bound earlier in the MATCH that the count includes.
    auto counted = [&](const Relationship& r) {
      if (!types_.Allows(r.type)) return false;
      NodeId other;
      if (dir_ != Direction::kIn && r.src == from) {
        other = r.dst;
      } else if (dir_ != Direction::kOut && r.dst == from) {
        other = r.src;
      } else {
        return false;
      }
      return to_check_.Passes(g, other) && rel_check_.Passes(g, r);
    };
    for (int s : unique_.rel_slots) {
      const Value& v = (*row)[static_cast<size_t>(s)];
      if (v.type() == T::kRelationship && counted(v.rel())) --n;
    }
    for (int s : unique_.list_slots) {
      const Value& v = (*row)[static_cast<size_t>(s)];
      if (v.type() != T::kList) continue;
      for (const Value& r : v.list()) {
        if (r.type() == T::kRelationship && counted(r.rel())) --n;
      }
    }
    if (n <= 0) continue;
    (*row)[static_cast<size_t>(weight_)] = Value::Int(n);
    return true;
  }
  return false;
}

// --- VarExpand ------------------------------------------------------------------------

VarExpandOp::VarExpandOp(OpPtr child, int from, int list, int to, Direction dir, TypeFilter types,
                         int64_t min, int64_t max, NodeCheck to_check, bool to_bound,
                         std::vector<std::pair<std::string, const Expr*>> rel_props,
                         Uniqueness unique, bool build_list, bool reverse_list,
                         std::string describe)
    : Operator(std::move(child)),
      from_(from),
      list_(list),
      to_(to),
      dir_(dir),
      types_(std::move(types)),
      min_(min),
      max_(max),
      to_check_(std::move(to_check)),
      to_bound_(to_bound),
      rel_props_(std::move(rel_props)),
      unique_(std::move(unique)),
      build_list_(build_list),
      reverse_list_(reverse_list),
      describe_(std::move(describe)) {}

void VarExpandOp::Reset() {
  Operator::Reset();
  active_ = false;
  stack_.clear();
  path_.clear();
  charge_.Clear();
}

bool VarExpandOp::RelAllowed(ExecContext& ctx, const Row& row, const Relationship& r) {
  for (const Relationship& p : path_) {
    if (p.SameAs(r)) return false;
  }
  if (unique_.Clashes(row, r)) return false;
  for (const auto& [key, value] : rel_values_) {
    Value have = ctx.graph.RelProperty(r, key);
    CheckNotDateAgainstString(have, value, kNoPosition);
    if (!Equal(have, value).value_or(false)) return false;
  }
  return true;
}

bool VarExpandOp::Next(ExecContext& ctx, Row* row) {
  QueryGraph& g = ctx.graph;
  auto accept = [&](NodeId node) {
    if (to_bound_) {
      const Value& t = (*row)[static_cast<size_t>(to_)];
      return t.type() == T::kNode && t.node() == node;
    }
    return to_check_.Passes(g, node);
  };
  auto emit = [&](NodeId node) {
    if (!to_bound_) (*row)[static_cast<size_t>(to_)] = Value::Node(node);
    if (build_list_) {
      List rels;
      rels.reserve(path_.size());
      for (const Relationship& r : path_) rels.push_back(Value::Rel(r));
      if (reverse_list_) std::reverse(rels.begin(), rels.end());
      (*row)[static_cast<size_t>(list_)] = Value::MakeList(std::move(rels));
    }
  };
  for (;;) {
    if (active_) {
      if (!emitted_start_) {
        emitted_start_ = true;
        NodeId start = stack_.front().node;
        if (min_ == 0 && accept(start)) {
          emit(start);
          return true;
        }
      }
      while (!stack_.empty()) {
        Frame& f = stack_.back();
        if (f.next >= f.hops.size()) {
          charge_.Remove(f.hops.capacity() * sizeof(Hop));
          stack_.pop_back();
          if (!path_.empty()) path_.pop_back();
          continue;
        }
        const Hop h = f.hops[f.next++];
        if (!RelAllowed(ctx, *row, h.rel)) continue;
        path_.push_back(h.rel);
        const int64_t depth = static_cast<int64_t>(path_.size());
        const bool take = depth >= min_ && accept(h.other);
        if (take) emit(h.other);
        if (depth < max_) {
          g.CheckInterrupt();
          Frame next{h.other, {}, 0};
          g.Expand(h.other, dir_, types_, &next.hops);
          charge_.Add(ctx.memory, next.hops.capacity() * sizeof(Hop));
          stack_.push_back(std::move(next));
        } else {
          path_.pop_back();
        }
        if (take) return true;
      }
      active_ = false;
    }
    if (!child_->Next(ctx, row)) return false;
    const Value& from = (*row)[static_cast<size_t>(from_)];
    if (from.type() != T::kNode) continue;
    rel_values_.clear();
    for (const auto& [key, expr] : rel_props_) rel_values_.emplace_back(key, Eval(*expr, *row, ctx));
    stack_.clear();
    path_.clear();
    charge_.Clear();
    Frame root{from.node(), {}, 0};
    if (max_ > 0) g.Expand(from.node(), dir_, types_, &root.hops);
    charge_.Add(ctx.memory, root.hops.capacity() * sizeof(Hop));
    stack_.push_back(std::move(root));
    emitted_start_ = false;
    active_ = true;
  }
}

// --- VarReach -----------------------------------------------------------------------------

VarReachOp::VarReachOp(OpPtr child, int from, int to, Direction dir, TypeFilter types,
                       int64_t min, int64_t max, NodeCheck to_check, std::string describe)
    : Operator(std::move(child)),
      from_(from),
      to_(to),
      dir_(dir),
      types_(std::move(types)),
      min_(min),
      max_(max),
      to_check_(std::move(to_check)),
      describe_(std::move(describe)) {}

void VarReachOp::Reset() {
  Operator::Reset();
  active_ = false;
}

namespace {

// Breadth-first search from `start` over a CSR, up to `max` hops. Calls
// found(v) for every node other than the start, once, and returns whether
// the start itself lies on a closed trail of at most `max` relationships
// (a cycle through it: the start is then an endpoint of [*1..max] too).
template <typename Found>
bool CsrReach(const CsrGraph& csr, uint32_t start, Direction dir, const TypeFilter& types,
              int64_t max, const Interrupt& interrupt, std::vector<uint32_t>* stamp,
              std::vector<uint32_t>* info, uint32_t epoch, Found found) {
  // info holds two words per node: its depth and its branch (the node one
  // hop from the start that it was reached through).
  auto depth = [&](uint32_t v) -> uint32_t& { return (*info)[2 * static_cast<size_t>(v)]; };
  auto branch = [&](uint32_t v) -> uint32_t& { return (*info)[2 * static_cast<size_t>(v) + 1]; };
  (*stamp)[start] = epoch;
  depth(start) = 0;
  branch(start) = UINT32_MAX;
  bool cycle = false;
  std::vector<uint32_t> frontier{start}, next;
  const bool out = dir != Direction::kIn, in = dir != Direction::kOut;
  for (int64_t d = 0; d < max && !frontier.empty(); ++d) {
    next.clear();
    for (size_t i = 0; i < frontier.size(); ++i) {
      if ((i & kPollMask) == 0 && interrupt.Requested()) throw EngineError(Interrupt::Stopped());
      const uint32_t u = frontier[i];
      uint32_t to_start = 0;  // edges between u and the start, seen from u
      auto visit = [&](uint32_t w) {
        if (w == start) {
          // Back at the start: a cycle of d + 1 when directed, or for a
          // self-loop, or from two or more hops out; one hop out, only
          // when a second edge joins u and the start (counted below).
          ++to_start;
          if (dir != Direction::kBoth || u == start || d >= 2) cycle = true;
          return;
        }
        if ((*stamp)[w] == epoch) {
          // Undirected: a tie between two branches closes a cycle through
          // the start of depth(u) + depth(w) + 1.
          if (dir == Direction::kBoth && u != start && branch(w) != branch(u) &&
              static_cast<int64_t>(depth(u) + depth(w) + 1) <= max) {
            cycle = true;
          }
          return;
        }
        (*stamp)[w] = epoch;
        depth(w) = static_cast<uint32_t>(d + 1);
        branch(w) = u == start ? w : branch(u);
        next.push_back(w);
        found(w);
      };
      if (out) {
        auto ts = csr.out_neighbors(u);
        auto ty = csr.out_types(u);
        for (size_t k = 0; k < ts.size(); ++k) {
          if (types.Allows(ty[k])) visit(ts[k]);
        }
      }
      if (in) {
        auto ss = csr.in_neighbors(u);
        auto ty = csr.in_types(u);
        for (size_t k = 0; k < ss.size(); ++k) {
          if (!types.Allows(ty[k])) continue;
          if (dir == Direction::kBoth && ss[k] == u) continue;  // a self-loop, seen as out
          visit(ss[k]);
        }
      }
      // Undirected, one hop out: two edges between u and the start make a
      // cycle of two.
      if (dir == Direction::kBoth && d == 1 && to_start >= 2 && max >= 2) cycle = true;
    }
    frontier.swap(next);
  }
  return cycle;
}

}  // namespace

void VarReachOp::Search(ExecContext& ctx, NodeId start) {
  QueryGraph& g = ctx.graph;
  found_.clear();
  bool cycle = false;
  if (const CsrGraph* csr = g.csr()) {
    auto s = csr->index_of(start);
    if (!s) return;
    to_check_.Bind(g);
    if (stamp_.size() != csr->num_nodes()) epoch_ = 0;
    if (++epoch_ == 1) {
      stamp_.assign(csr->num_nodes(), 0);
      info_.assign(static_cast<size_t>(csr->num_nodes()) * 2, 0);
    }
    cycle = CsrReach(*csr, *s, dir_, types_, max_, g.interrupt(), &stamp_, &info_, epoch_,
                     [&](uint32_t v) {
                       if (to_check_.PassesDense(*csr, v)) found_.push_back(csr->node_id(v));
                     });
  } else {
    // Over the stored adjacency: the same search with hash maps.
    struct Seen {
      int64_t depth;
      NodeId branch;
    };
    std::unordered_map<NodeId, Seen> seen;
    seen[start] = Seen{0, kNoNode};
    std::vector<NodeId> frontier{start}, next;
    std::vector<Hop> hops;
    for (int64_t d = 0; d < max_ && !frontier.empty(); ++d) {
      next.clear();
      for (NodeId u : frontier) {
        g.CheckInterrupt();
        hops.clear();
        g.Expand(u, dir_, types_, &hops);
        int to_start = 0;
        for (const Hop& h : hops) {
          NodeId w = h.other;
          if (w == start) {
            ++to_start;
            if (dir_ != Direction::kBoth || u == start || d >= 2) cycle = true;
            continue;
          }
          auto it = seen.find(w);
          if (it != seen.end()) {
            if (dir_ == Direction::kBoth && u != start && it->second.branch != seen[u].branch &&
                seen[u].depth + it->second.depth + 1 <= max_) {
              cycle = true;
            }
            continue;
          }
          seen[w] = Seen{d + 1, u == start ? w : seen[u].branch};
          next.push_back(w);
          if (to_check_.Passes(g, w)) found_.push_back(w);
        }
        if (dir_ == Direction::kBoth && d == 1 && to_start >= 2 && max_ >= 2) cycle = true;
      }
      frontier.swap(next);
    }
  }
  const bool start_counts = min_ == 0 || cycle;
  if (start_counts && to_check_.Passes(g, start)) found_.insert(found_.begin(), start);
}

bool VarReachOp::Next(ExecContext& ctx, Row* row) {
  for (;;) {
    if (active_) {
      if (pos_ < found_.size()) {
        (*row)[static_cast<size_t>(to_)] = Value::Node(found_[pos_++]);
        return true;
      }
      active_ = false;
    }
    if (!child_->Next(ctx, row)) return false;
    const Value& from = (*row)[static_cast<size_t>(from_)];
    if (from.type() != T::kNode) continue;
    Search(ctx, from.node());
    pos_ = 0;
    active_ = true;
  }
}

// --- ShortestPath -----------------------------------------------------------------------------

ShortestPathOp::ShortestPathOp(OpPtr child, int from, int to, int path, int list, Direction dir,
                               std::vector<std::string> types, int64_t min, int64_t max, bool all,
                               std::string describe)
    : Operator(std::move(child)),
      from_(from),
      to_(to),
      path_(path),
      list_(list),
      dir_(dir),
      types_(std::move(types)),
      min_(min),
      max_(max),
      all_(all),
      describe_(std::move(describe)) {}

void ShortestPathOp::Reset() {
  Operator::Reset();
  active_ = false;
  paths_.clear();
  charge_.Clear();
}

bool ShortestPathOp::Next(ExecContext& ctx, Row* row) {
  QueryGraph& g = ctx.graph;
  for (;;) {
    if (active_) {
      if (pos_ < paths_.size()) {
        const Value& p = paths_[pos_++];
        if (path_ >= 0) (*row)[static_cast<size_t>(path_)] = p;
        if (list_ >= 0) {
          List rels;
          for (const auto& r : p.path().relationships) rels.push_back(Value::Rel(r));
          (*row)[static_cast<size_t>(list_)] = Value::MakeList(std::move(rels));
        }
        return true;
      }
      active_ = false;
    }
    if (!child_->Next(ctx, row)) return false;
    const Value& a = (*row)[static_cast<size_t>(from_)];
    const Value& b = (*row)[static_cast<size_t>(to_)];
    paths_.clear();
    charge_.Clear();
    pos_ = 0;
    active_ = true;
    if (a.type() != T::kNode || b.type() != T::kNode) continue;
    if (a.node() == b.node()) {
      if (min_ == 0) paths_.push_back(Value::MakePath(Path{{a.node()}, {}}));
      continue;
    }
    PathSpec spec;
    spec.edges.direction = dir_;
    spec.edges.types = types_;
    spec.max_depth = static_cast<uint32_t>(std::min<int64_t>(max_, UINT32_MAX));
    std::vector<samverkan::Path> found;
    if (const CsrGraph* csr = g.csr()) {
      if (all_) {
        found = Unwrap(AllShortestPaths(*csr, g.schema(), a.node(), b.node(), spec));
      } else if (auto p = Unwrap(ShortestPath(*csr, g.schema(), a.node(), b.node(), spec))) {
        found.push_back(std::move(*p));
      }
    } else {
      if (all_) {
        found = Unwrap(AllShortestPaths(g.view(), a.node(), b.node(), spec));
      } else if (auto p = Unwrap(ShortestPath(g.view(), a.node(), b.node(), spec))) {
        found.push_back(std::move(*p));
      }
    }
    // The engine's paths (up to PathSpec::max_paths) count while they are
    // turned into values, which count in turn.
    uint64_t found_bytes = MemoryBudget::kVectorBytes;
    for (const auto& p : found) {
      found_bytes += 2 * MemoryBudget::kVectorBytes + p.nodes.size() * sizeof(NodeId) +
                     p.edges.size() * sizeof(EdgeRef);
    }
    charge_.Add(ctx.memory, found_bytes);
    for (const auto& p : found) {
      if (static_cast<int64_t>(p.edges.size()) < min_) continue;
      Path out;
      out.nodes = p.nodes;
      for (const EdgeRef& e : p.edges) {
        bool csr_edge = e.id == 0;
        out.relationships.push_back(
            Relationship{e.src, e.dst, e.type, csr_edge ? 0 : e.rank, csr_edge, e.id,
                         kNoEdgePosition});
      }
      paths_.push_back(Value::MakePath(std::move(out)));
      charge_.AddValue(ctx.memory, paths_.back());
    }
    charge_.Remove(found_bytes);
  }
}

// --- BindRelationship, BuildPath -------------------------------------------------------------

BindRelationshipOp::BindRelationshipOp(OpPtr child, int rel, int left, int right, Direction dir,
                                       TypeFilter types, std::string describe)
    : Operator(std::move(child)),
      rel_(rel),
      left_(left),
      right_(right),
      dir_(dir),
      types_(std::move(types)),
      describe_(std::move(describe)) {}

void BindRelationshipOp::Reset() {
  Operator::Reset();
  pending_ = 0;
}

bool BindRelationshipOp::Next(ExecContext& ctx, Row* row) {
  for (;;) {
    if (pending_ > 0) {
      const Relationship& r = (*row)[static_cast<size_t>(rel_)].rel();
      // pending_ == 2: left = src; 1: the other way round (undirected only).
      bool forward = dir_ == Direction::kOut || (dir_ == Direction::kBoth && pending_ == 2);
      --pending_;
      (*row)[static_cast<size_t>(left_)] = Value::Node(forward ? r.src : r.dst);
      (*row)[static_cast<size_t>(right_)] = Value::Node(forward ? r.dst : r.src);
      return true;
    }
    if (!child_->Next(ctx, row)) return false;
    const Value& r = (*row)[static_cast<size_t>(rel_)];
    if (r.type() != T::kRelationship || !types_.Allows(r.rel().type)) continue;
    pending_ = dir_ == Direction::kBoth && r.rel().src != r.rel().dst ? 2 : 1;
  }
}

FollowListOp::FollowListOp(OpPtr child, int left, int list, int right, Direction dir,
                           TypeFilter types, int64_t min, int64_t max, std::string describe)
    : Operator(std::move(child)),
      left_(left),
      list_(list),
      right_(right),
      dir_(dir),
      types_(std::move(types)),
      min_(min),
      max_(max),
      describe_(std::move(describe)) {}

void FollowListOp::Reset() {
  Operator::Reset();
  ends_.clear();
  pos_ = 0;
}

bool FollowListOp::Next(ExecContext& ctx, Row* row) {
  for (;;) {
    if (pos_ < ends_.size()) {
      auto [l, r] = ends_[pos_++];
      (*row)[static_cast<size_t>(left_)] = Value::Node(l);
      (*row)[static_cast<size_t>(right_)] = Value::Node(r);
      return true;
    }
    if (!child_->Next(ctx, row)) return false;
    ends_.clear();
    pos_ = 0;
    const Value& list = (*row)[static_cast<size_t>(list_)];
    if (list.type() != T::kList) continue;
    const List& rels = list.list();
    const auto n = static_cast<int64_t>(rels.size());
    if (n < min_ || n > max_ || rels.empty()) continue;
    bool ok = true;
    for (const Value& v : rels) ok = ok && v.type() == T::kRelationship && types_.Allows(v.rel().type);
    if (!ok) continue;
    const Value& lv = (*row)[static_cast<size_t>(left_)];
    const Value& rv = (*row)[static_cast<size_t>(right_)];
    std::vector<NodeId> starts;
    if (lv.type() == T::kNode) {
      starts.push_back(lv.node());
    } else {
      const Relationship& first = rels.front().rel();
      if (dir_ != Direction::kIn) starts.push_back(first.src);
      if (dir_ != Direction::kOut && first.dst != first.src) starts.push_back(first.dst);
    }
    for (NodeId start : starts) {
      NodeId at = start;
      bool walk = true;
      for (const Value& v : rels) {
        const Relationship& r = v.rel();
        if (dir_ != Direction::kIn && r.src == at) {
          at = r.dst;
        } else if (dir_ != Direction::kOut && r.dst == at) {
          at = r.src;
        } else {
          walk = false;
          break;
        }
      }
      if (!walk) continue;
      if (rv.type() == T::kNode && rv.node() != at) continue;
      if (!rv.is_null() && rv.type() != T::kNode) continue;
      ends_.emplace_back(start, at);
    }
  }
}

BuildPathOp::BuildPathOp(OpPtr child, int path, std::vector<int> nodes, std::vector<int> rels,
                         std::vector<bool> is_list, std::string describe)
    : Operator(std::move(child)),
      path_(path),
      nodes_(std::move(nodes)),
      rels_(std::move(rels)),
      is_list_(std::move(is_list)),
      describe_(std::move(describe)) {}

bool BuildPathOp::Next(ExecContext& ctx, Row* row) {
  if (!child_->Next(ctx, row)) return false;
  Path p;
  const Value& first = (*row)[static_cast<size_t>(nodes_[0])];
  if (first.type() != T::kNode) {
    (*row)[static_cast<size_t>(path_)] = Value();
    return true;
  }
  NodeId at = first.node();
  p.nodes.push_back(at);
  for (size_t i = 0; i < rels_.size(); ++i) {
    const Value& v = (*row)[static_cast<size_t>(rels_[i])];
    auto step = [&](const Relationship& r) {
      at = r.src == at ? r.dst : r.src;
      p.relationships.push_back(r);
      p.nodes.push_back(at);
    };
    if (is_list_[i]) {
      if (v.type() == T::kList) {
        for (const Value& r : v.list()) step(r.rel());
      }
    } else if (v.type() == T::kRelationship) {
      step(v.rel());
    }
  }
  (*row)[static_cast<size_t>(path_)] = Value::MakePath(std::move(p));
  return true;
}

// --- Filter, Apply, Optional ---------------------------------------------------------------------

FilterOp::FilterOp(OpPtr child, std::vector<Predicate> predicates, std::string describe)
    : Operator(std::move(child)), predicates_(std::move(predicates)), describe_(std::move(describe)) {}

bool FilterOp::Next(ExecContext& ctx, Row* row) {
  while (child_->Next(ctx, row)) {
    bool ok = true;
    for (const auto& p : predicates_) {
      if (!p.Holds(*row, ctx)) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

ApplyOp::ApplyOp(OpPtr child, std::unique_ptr<SubPlan> plan, std::vector<int> slots)
    : Operator(std::move(child)), plan_(std::move(plan)), slots_(std::move(slots)) {}

void ApplyOp::Reset() {
  Operator::Reset();
  active_ = false;
}

bool ApplyOp::StartNextRow(ExecContext& ctx, const Row& row) {
  input_.resize(row.size());
  if (!child_->Next(ctx, &input_)) return false;
  plan_->argument = &input_;
  plan_->root->Reset();
  active_ = true;
  return true;
}

bool OptionalOp::Next(ExecContext& ctx, Row* row) {
  for (;;) {
    if (active_) {
      if (plan_->root->Next(ctx, row)) {
        matched_ = true;
        return true;
      }
      active_ = false;
      if (!matched_) {
        *row = input_;
        for (int s : slots_) (*row)[static_cast<size_t>(s)] = Value();
        return true;
      }
    }
    if (!StartNextRow(ctx, *row)) return false;
    matched_ = false;
  }
}

// --- CallSubquery -------------------------------------------------------------------------

bool CallSubqueryOp::Next(ExecContext& ctx, Row* row) {
  for (;;) {
    if (active_) {
      if (slots_.empty()) {
        while (plan_->root->Next(ctx, &output_)) {
        }
        active_ = false;
        *row = input_;
        return true;
      }
      if (plan_->root->Next(ctx, &output_)) {
        *row = input_;
        for (int s : slots_) (*row)[static_cast<size_t>(s)] = output_[static_cast<size_t>(s)];
        return true;
      }
      active_ = false;
    }
    if (!StartNextRow(ctx, *row)) return false;
    output_.resize(input_.size());
  }
}

// --- Project, Distinct, Sort, Skip/Limit, Unwind, Eager --------------------------------------------

ProjectOp::ProjectOp(OpPtr child, std::vector<ProjectItem> items, std::string describe)
    : Operator(std::move(child)), items_(std::move(items)), describe_(std::move(describe)) {}

bool ProjectOp::Next(ExecContext& ctx, Row* row) {
  if (!child_->Next(ctx, row)) return false;
  for (const auto& item : items_) (*row)[static_cast<size_t>(item.slot)] = Eval(*item.expr, *row, ctx);
  return true;
}

struct DistinctOp::Seen {
  std::unordered_set<std::vector<Value>, ValuesHash, ValuesEquivalent> keys;
};

DistinctOp::DistinctOp(OpPtr child, std::vector<int> slots)
    : Operator(std::move(child)), slots_(std::move(slots)), seen_(std::make_unique<Seen>()) {}
DistinctOp::~DistinctOp() = default;

void DistinctOp::Reset() {
  Operator::Reset();
  seen_->keys.clear();
  charge_.Clear();
}

std::string DistinctOp::Describe() const { return "Distinct"; }

bool DistinctOp::Next(ExecContext& ctx, Row* row) {
  while (child_->Next(ctx, row)) {
    std::vector<Value> key;
    key.reserve(slots_.size());
    for (int s : slots_) key.push_back((*row)[static_cast<size_t>(s)]);
    auto [it, added] = seen_->keys.insert(std::move(key));
    if (added) {
      // The set's node and bucket besides the key itself.
      charge_.Add(ctx.memory, ctx.memory.SizeOf(*it) + 32);
      return true;
    }
  }
  return false;
}

SortOp::SortOp(OpPtr child, std::vector<SortKey> keys, const Expr* skip, const Expr* limit,
               std::string describe)
    : Operator(std::move(child)),
      keys_(std::move(keys)),
      skip_(skip),
      limit_(limit),
      describe_(std::move(describe)) {}

void SortOp::Reset() {
  Operator::Reset();
  rows_.clear();
  charge_.Clear();
  filled_ = false;
  pos_ = 0;
}

void SortOp::Fill(ExecContext& ctx) {
  size_t keep = SIZE_MAX;
  if (limit_) {
    int64_t n = CountArgument(*limit_, ctx, "LIMIT");
    if (skip_) n += CountArgument(*skip_, ctx, "SKIP");
    keep = static_cast<size_t>(n);
  }
  auto less = [&](const std::pair<std::vector<Value>, Row>& a,
                  const std::pair<std::vector<Value>, Row>& b) {
    for (size_t i = 0; i < keys_.size(); ++i) {
      int c = OrderCompare(a.first[i], b.first[i]);
      if (c != 0) return keys_[i].descending ? c > 0 : c < 0;
    }
    // Ties keep the input order: the index is the last key.
    return a.first.back().integer() < b.first.back().integer();
  };
  if (keep != SIZE_MAX) {
    if (auto* aggregate = dynamic_cast<AggregateOp*>(child_.get())) {
      aggregate->ReadOnlyTop(keys_, keep);
    }
    if (auto top = TopOverColumns(*child_, keys_, keep, width_, ctx)) {
      for (Row& r : *top) {
        charge_.Add(ctx.memory, ctx.memory.SizeOf(r));
        rows_.emplace_back(std::vector<Value>(), std::move(r));
      }
      filled_ = true;
      return;
    }
  }
  int64_t index = 0;
  Row r(width_);
  // With a limit: after the first trim, the worst row kept; a row that
  // sorts after it cannot make the cut and is not copied.
  std::optional<std::pair<std::vector<Value>, Row>> worst;
  std::vector<Value> k;
  while (child_->Next(ctx, &r)) {
    if ((index & 1023) == 0) ctx.graph.CheckInterrupt();
    k.clear();
    for (const auto& key : keys_) k.push_back(Eval(*key.expr, r, ctx));
    k.push_back(Value::Int(index++));
    if (worst) {
      std::pair<std::vector<Value>, Row> probe(std::move(k), Row());
      const bool better = less(probe, *worst);
      k = std::move(probe.first);
      if (!better) continue;
    }
    rows_.emplace_back(k, r);
    charge_.Add(ctx.memory, ctx.memory.SizeOf(k) + ctx.memory.SizeOf(r));
    // Keep at most `keep` rows: trim back now and then.
    if (keep != SIZE_MAX && rows_.size() >= 2 * keep + 1024) {
      std::nth_element(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(keep), rows_.end(), less);
      rows_.resize(keep);
      charge_.Clear();
      for (const auto& [kept_key, kept_row] : rows_) {
        charge_.Add(ctx.memory, ctx.memory.SizeOf(kept_key) + ctx.memory.SizeOf(kept_row));
      }
      auto w = std::max_element(rows_.begin(), rows_.end(), less);
      if (w != rows_.end()) worst = std::make_pair(w->first, Row());
    }
  }
  if (keep < rows_.size()) {
    std::partial_sort(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(keep), rows_.end(), less);
    rows_.resize(keep);
  } else {
    std::sort(rows_.begin(), rows_.end(), less);
  }
  filled_ = true;
}

bool SortOp::Next(ExecContext& ctx, Row* row) {
  if (!filled_) {
    width_ = row->size();
    Fill(ctx);
  }
  if (pos_ >= rows_.size()) return false;
  *row = std::move(rows_[pos_++].second);
  return true;
}

SkipLimitOp::SkipLimitOp(OpPtr child, const Expr* count, bool is_limit, bool drain)
    : Operator(std::move(child)), count_(count), is_limit_(is_limit), drain_(drain) {}

void SkipLimitOp::Reset() {
  Operator::Reset();
  n_.reset();
  seen_ = 0;
}

std::string SkipLimitOp::Describe() const { return is_limit_ ? "Limit" : "Skip"; }

bool SkipLimitOp::Next(ExecContext& ctx, Row* row) {
  if (!n_) n_ = CountArgument(*count_, ctx, is_limit_ ? "LIMIT" : "SKIP");
  if (is_limit_) {
    if (seen_ >= *n_) {
      // Otherwise never asks its input for more.
      if (drain_) {
        while (child_->Next(ctx, row)) {
        }
      }
      return false;
    }
    if (!child_->Next(ctx, row)) return false;
    ++seen_;
    return true;
  }
  while (seen_ < *n_) {
    if (!child_->Next(ctx, row)) return false;
    ++seen_;
  }
  return child_->Next(ctx, row);
}

UnwindOp::UnwindOp(OpPtr child, const Expr* list, int slot, std::string describe)
    : Operator(std::move(child)), list_(list), slot_(slot), describe_(std::move(describe)) {}

void UnwindOp::Reset() {
  Operator::Reset();
  active_ = false;
}

bool UnwindOp::Next(ExecContext& ctx, Row* row) {
  for (;;) {
    if (active_) {
      if (items_.type() == T::kList) {
        if (pos_ < items_.list().size()) {
          (*row)[static_cast<size_t>(slot_)] = items_.list()[pos_++];
          return true;
        }
      } else if (pos_++ == 0) {
        (*row)[static_cast<size_t>(slot_)] = items_;
        return true;
      }
      active_ = false;
    }
    if (!child_->Next(ctx, row)) return false;
    items_ = Eval(*list_, *row, ctx);
    pos_ = 0;
    active_ = !items_.is_null();
  }
}

void EagerOp::Reset() {
  Operator::Reset();
  rows_.clear();
  charge_.Clear();
  filled_ = false;
  pos_ = 0;
}

bool EagerOp::Next(ExecContext& ctx, Row* row) {
  if (!filled_) {
    Row r(row->size());
    while (child_->Next(ctx, &r)) {
      charge_.AddValues(ctx.memory, r);
      rows_.push_back(r);
    }
    filled_ = true;
  }
  if (pos_ >= rows_.size()) return false;
  *row = std::move(rows_[pos_++]);
  return true;
}

}  // namespace samverkan::cypher
