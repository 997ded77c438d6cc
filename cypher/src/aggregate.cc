// aggregate.cc: AggregateOp, grouping and the aggregation functions.
#include <algorithm>
#include <cmath>

#include "samverkan/hash_table.h"

#include "column_aggregate.h"
#include "error.h"
#include "eval.h"
#include "operators.h"

namespace samverkan::cypher {
namespace {

using T = Value::Type;

using ValueSet = HashSet<Value, ValueHash, ValueEquivalent>;

constexpr uint64_t kSetEntryBytes = MemoryBudget::kSetEntryBytes;

// The running state of one aggregation call in one group.
struct Accumulator {
  int64_t count = 0;
  bool floating = false;  // sum/avg: a FLOAT was seen
  int64_t isum = 0;
  double fsum = 0;
  Value best;             // min, max
  List items;             // collect; percentiles and stDev keep their numbers here
  std::unique_ptr<ValueSet> seen;  // DISTINCT
  std::unique_ptr<HashSet<NodeId>> seen_nodes;  // DISTINCT, for nodes: cheaper

  // Whether `v` is new to a DISTINCT aggregation.
  bool FirstTime(const Value& v) {
    if (v.type() == T::kNode) {
      if (!seen_nodes) seen_nodes = std::make_unique<HashSet<NodeId>>();
      return seen_nodes->insert(v.node()).second;
    }
    if (!seen) seen = std::make_unique<ValueSet>();
    return seen->insert(v).second;
  }
};

void AddNumber(Accumulator* a, const Value& v, const Expr& call) {
  if (!v.is_number()) {
    TypeError("InvalidArgumentType", call.name + "() takes numbers, not " +
              std::string(TypeName(v.type())), call.pos);
  }
  if (v.type() == T::kFloat || a->floating) {
    if (!a->floating) {
      a->floating = true;
      a->fsum = static_cast<double>(a->isum);
    }
    a->fsum += v.number();
  } else if (__builtin_add_overflow(a->isum, v.integer(), &a->isum)) {
    ArgumentError("NumberOutOfRange", call.name + "(): integer overflow", call.pos);
  }
}

void Take(Accumulator* a, const std::string& f, const Value& v, const Expr& call) {
  ++a->count;
  if (f == "count") return;
  if (f == "sum" || f == "avg") {
    AddNumber(a, v, call);
  } else if (f == "min" || f == "max") {
    if (a->best.is_null()) {
      a->best = v;
    } else {
      int c = OrderCompare(v, a->best);
      if ((f == "min" && c < 0) || (f == "max" && c > 0)) a->best = v;
    }
  } else if (f == "collect") {
    a->items.push_back(v);
  } else {  // stDev, stDevP, percentileDisc, percentileCont
    if (!v.is_number()) {
      TypeError("InvalidArgumentType", f + "() takes numbers, not " +
                std::string(TypeName(v.type())), call.pos);
    }
    a->items.push_back(v);
  }
}

// Whether an aggregation keeps the values it is given (collect, the
// percentiles and standard deviations), which then count as working memory.
bool KeepsValues(const Expr& call) {
  if (call.kind == ExprKind::kCountStar) return false;
  const std::string& f = call.name;
  return f != "count" && f != "sum" && f != "avg" && f != "min" && f != "max";
}

// Adds one row (of multiplicity `weight`) to an accumulator. What it keeps
// (DISTINCT's set, collected values) is charged to `charge`.
void Accumulate(Accumulator* a, const Expr& call, bool as_star, bool keeps, int64_t weight,
                Row& row, ExecContext& ctx, MemoryCharge& charge) {
  if (call.kind == ExprKind::kCountStar || as_star) {
    a->count += weight;
    return;
  }
  const Expr& arg = *call.args[0];
  Value computed;
  const Value& v = arg.kind == ExprKind::kVariable ? row[static_cast<size_t>(arg.slot)]
                                                  : (computed = Eval(arg, row, ctx));
  if (v.is_null()) return;
  if (call.distinct) {
    if (!a->FirstTime(v)) return;
    charge.Add(ctx.memory, ctx.memory.SizeOf(v) + kSetEntryBytes);
  }
  if (call.name == "count") {
    a->count += weight;  // weights arise only under count()
    return;
  }
  if (keeps) charge.AddValue(ctx.memory, v);
  Take(a, call.name, v, call);
}

// Folds `from` into `into` (both for one call): for pre-grouped rows.
void Merge(Accumulator* into, Accumulator& from, const Expr& call) {
  const std::string& f = call.kind == ExprKind::kCountStar ? std::string("count") : call.name;
  if (call.distinct) {
    // DISTINCT: take the other side's values one by one.
    if (from.seen) {
      for (const Value& v : *from.seen) {
        if (into->FirstTime(v)) Take(into, f, v, call);
      }
    }
    if (from.seen_nodes) {
      for (NodeId id : *from.seen_nodes) {
        Value v = Value::Node(id);
        if (into->FirstTime(v)) Take(into, f, v, call);
      }
    }
    return;
  }
  into->count += from.count;
  if (f == "sum" || f == "avg") {
    if (from.floating || into->floating) {
      double a = into->floating ? into->fsum : static_cast<double>(into->isum);
      double b = from.floating ? from.fsum : static_cast<double>(from.isum);
      into->floating = true;
      into->fsum = a + b;
    } else if (__builtin_add_overflow(into->isum, from.isum, &into->isum)) {
      ArgumentError("NumberOutOfRange", f + "(): integer overflow", call.pos);
    }
  } else if (f == "min" || f == "max") {
    if (!from.best.is_null()) {
      int c = into->best.is_null() ? 0 : OrderCompare(from.best, into->best);
      if (into->best.is_null() || (f == "min" && c < 0) || (f == "max" && c > 0)) {
        into->best = std::move(from.best);
      }
    }
  } else if (f != "count") {
    for (auto& v : from.items) into->items.push_back(std::move(v));
  }
}

Value Finish(Accumulator& a, const Expr& call, Row& row, ExecContext& ctx) {
  if (call.kind == ExprKind::kCountStar) return Value::Int(a.count);
  const std::string& f = call.name;
  if (f == "count") return Value::Int(a.count);
  if (f == "sum") return a.floating ? Value::Float(a.fsum) : Value::Int(a.isum);
  if (f == "avg") {
    if (a.count == 0) return Value();
    double total = a.floating ? a.fsum : static_cast<double>(a.isum);
    return Value::Float(total / static_cast<double>(a.count));
  }
  if (f == "min" || f == "max") return a.best;
  if (f == "collect") return Value::MakeList(std::move(a.items));
  if (f == "stDev" || f == "stDevP") {
    const size_t n = a.items.size();
    if (n == 0 || (f == "stDev" && n == 1)) return Value::Float(0);
    double mean = 0;
    for (const Value& v : a.items) mean += v.number();
    mean /= static_cast<double>(n);
    double sq = 0;
    for (const Value& v : a.items) sq += (v.number() - mean) * (v.number() - mean);
    return Value::Float(std::sqrt(sq / static_cast<double>(f == "stDev" ? n - 1 : n)));
  }
  // percentileDisc, percentileCont: the second argument is the percentile.
  Value p = Eval(*call.args[1], row, ctx);
  if (!p.is_number() || p.number() < 0 || p.number() > 1) {
    ArgumentError("NumberOutOfRange", f + "(): the percentile must be a number from 0 to 1",
                  call.pos);
  }
  if (a.items.empty()) return Value();
  std::vector<double> xs;
  for (const Value& v : a.items) xs.push_back(v.number());
  std::sort(xs.begin(), xs.end());
  const double q = p.number();
  const size_t n = xs.size();
  if (f == "percentileDisc") {
    size_t idx = q == 0 ? 0 : static_cast<size_t>(std::ceil(q * static_cast<double>(n))) - 1;
    idx = std::min(idx, n - 1);
    // Keep the type of the input: an integer percentile of integers.
    for (const Value& v : a.items) {
      if (v.number() == xs[idx]) return v;
    }
    return Value::Float(xs[idx]);
  }
  double pos = q * static_cast<double>(n - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = static_cast<size_t>(std::ceil(pos));
  return Value::Float(xs[lo] + (xs[hi] - xs[lo]) * (pos - static_cast<double>(lo)));
}

}  // namespace

struct AggregateOp::State {
  // Groups in the order they were first seen, stored flat (a group is an
  // index): their key values, the kept values of their first row, and
  // their aggregations' state (as plain counts when every aggregation is a
  // count: eight bytes a group keep big groupings in the cache). An index
  // finds a group by key: by a node's id, by one value, or by a vector.
  size_t n_groups = 0;
  size_t n_keys = 0, n_kept = 0;
  std::vector<Value> keys;
  std::vector<Value> kept;
  std::vector<Accumulator> accs;
  std::vector<int64_t> counts;
  // Groups keyed by one node: with a CSR snapshot, by the node's id in an
  // array over the snapshot's ids (one memory access a row); else hashed.
  std::vector<int32_t> by_id;
  NodeId max_id = 0;
  HashMap<NodeId, size_t> by_node;
  HashMap<Value, size_t, ValueHash, ValueEquivalent> single;
  HashMap<std::vector<Value>, size_t, ValuesHash, ValuesEquivalent> multi;
  bool consumed = false;
  size_t pos = 0;
  std::vector<Value> values;  // the current group's aggregates, for the outputs
  MemoryCharge charge;        // all of the above

  const Value* key_of(size_t g) const { return keys.data() + g * n_keys; }
  const Value* kept_of(size_t g) const { return kept.data() + g * n_kept; }

  size_t Find(std::vector<Value>& key, const Row& row, const std::vector<int>& keep,
              size_t n_aggs, bool count_only, MemoryBudget& budget) {
    size_t g;
    if (key.size() == 1 && key[0].type() == T::kNode && key[0].node() <= max_id &&
        n_groups < INT32_MAX) {
      if (by_id.empty()) by_id.assign(max_id + 1, -1);
      int32_t& slot = by_id[key[0].node()];
      if (slot >= 0) return static_cast<size_t>(slot);
      g = n_groups;
      slot = static_cast<int32_t>(g);
    } else if (key.size() == 1 && key[0].type() == T::kNode) {
      auto [it, added] = by_node.try_emplace(key[0].node(), n_groups);
      if (!added) return it->second;
      g = it->second;
    } else if (key.size() == 1) {
      auto [it, added] = single.try_emplace(key[0], n_groups);
      if (!added) return it->second;
      g = it->second;
    } else {
      auto [it, added] = multi.try_emplace(key, n_groups);
      if (!added) return it->second;
      g = it->second;
    }
    n_keys = key.size();
    n_kept = keep.size();
    uint64_t bytes = kSetEntryBytes + n_aggs * (count_only ? sizeof(int64_t) : sizeof(Accumulator));
    for (Value& v : key) {
      bytes += budget.SizeOf(v);
      keys.push_back(v);
    }
    for (int s : keep) {
      bytes += budget.SizeOf(row[static_cast<size_t>(s)]);
      kept.push_back(row[static_cast<size_t>(s)]);
    }
    charge.Add(budget, bytes);
    ++n_groups;
    if (count_only) {
      counts.resize(n_groups * n_aggs, 0);
    } else {
      accs.resize(n_groups * n_aggs);
    }
    return g;
  }

  // Empties the groups but keeps the charge: the caller still holds what
  // it moved out of them.
  void Clear() {
    n_groups = 0;
    keys.clear();
    kept.clear();
    accs.clear();
    counts.clear();
    by_id.clear();
    by_node.clear();
    single.clear();
    multi.clear();
  }
};

AggregateOp::AggregateOp(OpPtr child, std::vector<ProjectItem> keys,
                         std::vector<const Expr*> aggregates, std::vector<ProjectItem> outputs,
                         size_t width, AggregateOptions options, std::string describe)
    : Operator(std::move(child)),
      keys_(std::move(keys)),
      aggregates_(std::move(aggregates)),
      outputs_(std::move(outputs)),
      width_(width),
      options_(std::move(options)),
      describe_(std::move(describe)),
      state_(std::make_unique<State>()) {
  options_.count_as_star.resize(aggregates_.size(), false);
  options_.distinct_free.resize(aggregates_.size(), false);
  for (const auto& k : keys_) key_slots_.push_back(k.slot);
  count_only_ = true;
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    const Expr* a = aggregates_[i];
    keeps_values_.push_back(KeepsValues(*a));
    count_only_ = count_only_ && (a->kind == ExprKind::kCountStar ||
                                  (a->name == "count" && (!a->distinct || options_.distinct_free[i])));
  }
}

AggregateOp::~AggregateOp() = default;

void AggregateOp::Reset() {
  Operator::Reset();
  state_->charge.Clear();
  state_ = std::make_unique<State>();
}

void AggregateOp::Consume(ExecContext& ctx) {
  Row row(width_);
  std::vector<Value> key;
  const bool pregroup = !options_.pregroup_slots.empty();
  const size_t n_aggs = aggregates_.size();
  State& st = *state_;
  if (const CsrGraph* csr = ctx.graph.csr(); csr && csr->num_nodes() > 0) {
    st.max_id = csr->node_id(csr->num_nodes() - 1);
  }
  if (auto groups = AggregateOverColumns(*child_, keys_, aggregates_, options_, ctx)) {
    Adopt(*groups, ctx);
    return;
  }
  // Without keys there is one group, which exists even without rows.
  const bool one_group = keys_.empty();
  if (one_group) st.Find(key, row, options_.keep_slots, n_aggs, count_only_, ctx.memory);
  size_t n = 0;
  while (child_->Next(ctx, &row)) {
    if ((++n & 1023) == 0) ctx.graph.CheckInterrupt();
    size_t g = 0;
    if (!one_group) {
      key.clear();
      if (pregroup) {
        for (int s : options_.pregroup_slots) key.push_back(row[static_cast<size_t>(s)]);
      } else {
        for (const auto& k : keys_) {
          key.push_back(k.expr ? Eval(*k.expr, row, ctx) : row[static_cast<size_t>(k.slot)]);
        }
      }
      g = st.Find(key, row, options_.keep_slots, n_aggs, count_only_, ctx.memory);
    }
    int64_t weight = 1;
    if (options_.weight_slot >= 0) {
      const Value& w = row[static_cast<size_t>(options_.weight_slot)];
      if (w.type() == T::kInt) weight = w.integer();
    }
    if (count_only_) {
      int64_t* counts = &st.counts[g * n_aggs];
      for (size_t i = 0; i < n_aggs; ++i) {
        const Expr& call = *aggregates_[i];
        if (call.kind == ExprKind::kCountStar || options_.count_as_star[i]) {
          counts[i] += weight;
        } else {
          const Expr& arg = *call.args[0];
          const bool present = arg.kind == ExprKind::kVariable
                                   ? !row[static_cast<size_t>(arg.slot)].is_null()
                                   : !Eval(arg, row, ctx).is_null();
          if (present) counts[i] += weight;
        }
      }
      continue;
    }
    Accumulator* accs = &st.accs[g * n_aggs];
    for (size_t i = 0; i < n_aggs; ++i) {
      Accumulate(&accs[i], *aggregates_[i], options_.count_as_star[i], keeps_values_[i], weight,
                 row, ctx, st.charge);
    }
  }
  if (pregroup && !one_group) {
    // The keys once per pre-group; pre-groups with equal keys merge.
    const size_t pre_groups = st.n_groups, pre_nkeys = st.n_keys, pre_nkept = st.n_kept;
    std::vector<Value> pre_keys = std::move(st.keys);
    std::vector<Value> pre_kept = std::move(st.kept);
    std::vector<Accumulator> pre_accs = std::move(st.accs);
    std::vector<int64_t> pre_counts = std::move(st.counts);
    st.Clear();
    auto merge = [&](size_t p) {
      Fill(pre_kept.data() + p * pre_nkept, pre_keys.data() + p * pre_nkeys,
           options_.pregroup_slots, &row);
      key.clear();
      for (const auto& k : keys_) {
        key.push_back(k.expr ? Eval(*k.expr, row, ctx) : row[static_cast<size_t>(k.slot)]);
      }
      size_t g = st.Find(key, row, options_.keep_slots, n_aggs, count_only_, ctx.memory);
      for (size_t i = 0; i < n_aggs; ++i) {
        if (count_only_) {
          st.counts[g * n_aggs + i] += pre_counts[p * n_aggs + i];
        } else {
          Merge(&st.accs[g * n_aggs + i], pre_accs[p * n_aggs + i], *aggregates_[i]);
        }
      }
    };
    if (options_.pregroup_slots.size() == 1) {
      // One node per pre-group: visit them in id order, so that their
      // properties come from one scan when they are many.
      // count, sum, avg, min and max only: finishing leaves them as they are.
      std::vector<size_t> order = TopCandidates(ctx, pre_groups, [&](size_t p, size_t a) {
        return count_only_ ? Value::Int(pre_counts[p * n_aggs + a])
                           : Finish(pre_accs[p * n_aggs + a], *aggregates_[a], row, ctx);
      });
      auto id = [&](size_t p) {
        const Value& v = pre_keys[p];
        return v.type() == T::kNode ? v.node() : kNoNode;
      };
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return id(a) < id(b); });
      std::vector<NodeId> ids;
      std::vector<size_t> others;
      for (size_t p : order) {
        if (id(p) == kNoNode) {
          others.push_back(p);
        } else {
          ids.push_back(id(p));
        }
      }
      size_t at = others.size();
      for (size_t p : others) merge(p);
      ctx.graph.VisitNodes(ids, [&](NodeId) { merge(order[at++]); });
    } else {
      for (size_t p = 0; p < pre_groups; ++p) {
        if ((p & 1023) == 0) ctx.graph.CheckInterrupt();
        merge(p);
      }
    }
  }
  st.consumed = true;
}

void AggregateOp::ReadOnlyTop(const std::vector<SortKey>& keys, size_t keep) {
  top_.clear();
  top_keep_ = SIZE_MAX;
  for (const SortKey& k : keys) {
    if (k.expr->kind != ExprKind::kVariable) return top_.clear();
    const int slot = k.expr->slot;
    bool found = false;
    for (size_t i = 0; i < keys_.size() && !found; ++i) {
      if (keys_[i].slot == slot) {
        top_.push_back({false, i, k.descending});
        found = true;
      }
    }
    for (const ProjectItem& out : outputs_) {
      const Expr& e = *out.expr;
      if (found || out.slot != slot) continue;
      if (e.agg_index < 0 || (e.kind != ExprKind::kFunction && e.kind != ExprKind::kCountStar)) {
        break;
      }
      top_.push_back({true, static_cast<size_t>(e.agg_index), k.descending});
      found = true;
    }
    if (!found) return top_.clear();
  }
  top_keep_ = keep;
}

// The groups AggregateOverColumns computed, as Consume() would have made them
// (only those that can be among the first top_keep_, when told so).
void AggregateOp::Adopt(ColumnGroups& groups, ExecContext& ctx) {
  State& st = *state_;
  const size_t n_aggs = aggregates_.size();
  const size_t n_keys = keys_.size();
  Row row(width_);
  std::vector<Value> key;
  std::vector<size_t> chosen(groups.n_groups);
  for (size_t g = 0; g < groups.n_groups; ++g) chosen[g] = g;
  if (!top_.empty() && top_keep_ < groups.n_groups) {
    // Each group's ORDER BY values, as Next() would make them.
    const size_t m = top_.size();
    std::vector<Value> values(groups.n_groups * m);
    for (size_t g = 0; g < groups.n_groups; ++g) {
      if ((g & 1023) == 0) ctx.graph.CheckInterrupt();
      for (size_t j = 0; j < m; ++j) {
        const TopItem& t = top_[j];
        if (!t.aggregate) {
          values[g * m + j] = groups.keys[g * n_keys + t.index];
          continue;
        }
        const ColumnGroups::Accumulated& from = groups.accs[g * n_aggs + t.index];
        Accumulator a;
        a.count = from.count;
        a.floating = from.floating;
        a.isum = from.isum;
        a.fsum = from.fsum;
        a.best = from.best;
        values[g * m + j] = Finish(a, *aggregates_[t.index], row, ctx);
      }
    }
    // The Sort's order; its ties by input order, which is the groups'.
    auto before = [&](size_t x, size_t y) {
      for (size_t j = 0; j < m; ++j) {
        const int c = OrderCompare(values[x * m + j], values[y * m + j]);
        if (c != 0) return top_[j].descending ? c > 0 : c < 0;
      }
      return x < y;
    };
    const auto cut = chosen.begin() + static_cast<std::ptrdiff_t>(top_keep_);
    std::nth_element(chosen.begin(), cut, chosen.end(), before);
    chosen.erase(cut, chosen.end());
    std::sort(chosen.begin(), chosen.end());
  }
  for (size_t g : chosen) {
    if ((g & 1023) == 0) ctx.graph.CheckInterrupt();
    key.assign(std::make_move_iterator(groups.keys.begin() + g * n_keys),
               std::make_move_iterator(groups.keys.begin() + (g + 1) * n_keys));
    const size_t at = st.Find(key, row, options_.keep_slots, n_aggs, count_only_, ctx.memory);
    for (size_t i = 0; i < n_aggs; ++i) {
      ColumnGroups::Accumulated& from = groups.accs[g * n_aggs + i];
      if (count_only_) {
        st.counts[at * n_aggs + i] = from.count;
        continue;
      }
      Accumulator& a = st.accs[at * n_aggs + i];
      a.count = from.count;
      a.floating = from.floating;
      a.isum = from.isum;
      a.fsum = from.fsum;
      a.best = std::move(from.best);
    }
  }
  st.consumed = true;
}

// The pre-groups whose leading ORDER BY values (aggregations) are no worse
// than the LIMIT-th best, ties included: the only ones that can make the
// cut once the keys are known, since the keys tell the pre-groups apart
// (no two nodes share a key; blank nodes, whose key is null, would). All
// of them without options_.top_order.
std::vector<size_t> AggregateOp::TopCandidates(
    ExecContext& ctx, size_t pre_groups, const std::function<Value(size_t, size_t)>& aggregate) {
  std::vector<size_t> all(pre_groups);
  for (size_t p = 0; p < pre_groups; ++p) all[p] = p;
  if (options_.top_order.empty() || pre_groups < 64) return all;
  int64_t k = CountArgument(*options_.top_limit, ctx, "LIMIT");
  if (options_.top_skip) k += CountArgument(*options_.top_skip, ctx, "SKIP");
  if (static_cast<uint64_t>(k) >= pre_groups / 2 || ctx.graph.HasBlankNodes()) return all;
  const size_t m = options_.top_order.size();
  std::vector<Value> values(pre_groups * m);
  for (size_t p = 0; p < pre_groups; ++p) {
    for (size_t j = 0; j < m; ++j) values[p * m + j] = aggregate(p, options_.top_order[j].first);
  }
  auto better = [&](size_t x, size_t y) {
    for (size_t j = 0; j < m; ++j) {
      int c = OrderCompare(values[x * m + j], values[y * m + j]);
      if (c != 0) return options_.top_order[j].second ? c > 0 : c < 0;
    }
    return false;
  };
  std::vector<size_t> chosen;
  if (k <= 0) return chosen;
  std::vector<size_t> ranked = all;
  std::nth_element(ranked.begin(), ranked.begin() + (k - 1), ranked.end(), better);
  const size_t cut = ranked[static_cast<size_t>(k - 1)];
  for (size_t p = 0; p < pre_groups; ++p) {
    if (!better(cut, p)) chosen.push_back(p);
  }
  return chosen;
}

// Only the slots the outputs (or the keys' expressions) read are written:
// what else the row holds is never read.
void AggregateOp::Fill(const Value* kept, const Value* key, const std::vector<int>& key_slots,
                       Row* row) const {
  row->resize(width_);
  for (size_t i = 0; i < options_.keep_slots.size(); ++i) {
    (*row)[static_cast<size_t>(options_.keep_slots[i])] = kept[i];
  }
  for (size_t i = 0; i < key_slots.size(); ++i) (*row)[static_cast<size_t>(key_slots[i])] = key[i];
}

bool AggregateOp::Next(ExecContext& ctx, Row* row) {
  if (!state_->consumed) Consume(ctx);
  if (state_->pos >= state_->n_groups) return false;
  const size_t group = state_->pos++;
  Fill(state_->kept_of(group), state_->key_of(group), key_slots_, row);
  std::vector<Value>& values = state_->values;
  values.clear();
  const size_t g = state_->pos - 1, n = aggregates_.size();
  for (size_t i = 0; i < n; ++i) {
    values.push_back(count_only_ ? Value::Int(state_->counts[g * n + i])
                                 : Finish(state_->accs[g * n + i], *aggregates_[i], *row, ctx));
  }
  ctx.agg_values = &values;
  for (const auto& out : outputs_) {
    (*row)[static_cast<size_t>(out.slot)] = Eval(*out.expr, *row, ctx);
  }
  ctx.agg_values = nullptr;
  return true;
}

}  // namespace samverkan::cypher
