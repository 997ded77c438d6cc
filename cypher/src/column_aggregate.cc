// column_aggregate.cc: see column_aggregate.h. The rows come from a
// ColumnSource (column_source.h), their groups from a ColumnGroupTable
// (column_groups.h); this file compiles the aggregation calls and runs the
// loop that accumulates them.
#include "column_aggregate.h"


#include "column_groups.h"
#include "column_source.h"
#include "samverkan/hash_table.h"

namespace samverkan::cypher {
namespace {

// What one aggregation call reads.
struct AggPlan {
  enum Kind : uint8_t { kRows, kCount, kCountDistinct, kDistinctNodes, kSum, kMin, kMax } kind;
  ColumnRef* col = nullptr;   // kCount, kCountDistinct, kSum, kMin, kMax
  Where node = Where::kNear;  // kDistinctNodes (or relationships: their positions)
};

// The running state of one aggregation in one group.
struct Acc {
  int64_t count = 0;
  bool floating = false;
  int64_t isum = 0;
  double fsum = 0;
  int64_t best = -1;  // min/max: the row holding the best value so far
};

class ColumnAggregate {
 public:
  ColumnAggregate(ExecContext& ctx, const CsrGraph& csr) : source_(ctx, csr) {}

  // Whether the aggregation of `input` is one this computes; reads nothing.
  bool Compile(const Operator& input, const std::vector<ProjectItem>& keys,
               const std::vector<const Expr*>& aggregates, const AggregateOptions& options) {
    // An ExpandCount's rows carry a count (weight_slot): count(*) alone,
    // added up by weight.
    const bool counted = options.weight_slot >= 0;
    // The outputs may read the keys' slots (which the groups fill), no others.
    for (int s : options.keep_slots) {
      bool is_key = false;
      for (const ProjectItem& k : keys) is_key = is_key || k.slot == s;
      if (!is_key) return false;
    }
    if (!source_.Recognise(input, counted) || counted != source_.counts()) return false;
    if (!CompileKeys(keys) || !CompileAggregates(aggregates, options)) return false;
    bool rows_only = true;
    for (const AggPlan& a : aggs_) {
      if (counted && a.kind != AggPlan::kRows) return false;
      rows_only = rows_only && a.kind == AggPlan::kRows;
    }
    // Rows counted, grouped by nothing of a second expansion: that
    // expansion is counted, not walked row by row.
    if (rows_only && source_.expands()) {
      bool keys_first = true;
      for (const GroupKey& k : keys_) {
        keys_first = keys_first && k.col->where != Where::kFar2 && k.col->where != Where::kEdge2;
      }
      if (keys_first) source_.CountSecond();
    }
    return true;
  }

  std::optional<ColumnGroups> Run();
  void Release() { source_.Release(); }

 private:
  bool CompileKeys(const std::vector<ProjectItem>& keys);
  bool CompileAggregates(const std::vector<const Expr*>& aggregates,
                         const AggregateOptions& options);

  ColumnSource source_;
  std::vector<GroupKey> keys_;
  std::vector<AggPlan> aggs_;
};

bool ColumnAggregate::CompileKeys(const std::vector<ProjectItem>& keys) {
  if (keys.size() > kMaxGroupKeys) return false;
  for (const ProjectItem& k : keys) {
    if (!k.expr) return false;
    GroupKey key;
    key.col = source_.Property(*k.expr);
    if (!key.col) {
      // An expression of one property (toString(e.valid_from.year)).
      std::optional<std::pair<int, std::string>> read;
      if (!source_.OfOneProperty(*k.expr, &read) || !read) return false;
      key.col = source_.Column(read->first, read->second);
      if (!key.col) return false;
      key.derived.expr = k.expr;
      key.derived.slot = read->first;
    }
    const ColumnType t = key.col->type();
    if (!key.col->coded && t != ColumnType::kInt && t != ColumnType::kDate &&
        t != ColumnType::kNull) {
      return false;
    }
    keys_.push_back(std::move(key));
  }
  return true;
}

bool ColumnAggregate::CompileAggregates(const std::vector<const Expr*>& aggregates,
                                        const AggregateOptions& options) {
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
      auto w = source_.WhereOf(arg.slot);
      if (!w || f != "count") return false;
      // Bound by the pattern: never null; DISTINCT needs a set unless the
      // variable never repeats.
      if (!call.distinct || source_.unrepeated() == *w) {
        aggs_.push_back({AggPlan::kRows});
      } else {
        aggs_.push_back({AggPlan::kDistinctNodes, nullptr, *w});
      }
      continue;
    }
    ColumnRef* c = source_.Property(arg);
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

std::optional<ColumnGroups> ColumnAggregate::Run() {
  const Reader& reader = source_.reader();
  const size_t n_keys = keys_.size();
  ColumnGroupTable groups(source_, std::move(keys_));
  // The groups' accumulators and DISTINCT sets, flat by group.
  const size_t n_aggs = aggs_.size();
  std::vector<Acc> accs(groups.size() * n_aggs);
  std::vector<HashSet<int64_t>> sets;  // by group × aggregation, when DISTINCT
  bool any_distinct = false;
  for (const AggPlan& a : aggs_) {
    any_distinct = any_distinct || a.kind == AggPlan::kCountDistinct ||
                   a.kind == AggPlan::kDistinctNodes;
  }
  if (any_distinct) sets.resize(groups.size() * n_aggs);
  bool overflow = false;

  // A group's accumulators and sets; a DISTINCT value's entry in its set
  // (as the row path's AggregateOp charges them).
  const uint64_t group_bytes =
      n_aggs * (sizeof(Acc) + (any_distinct ? sizeof(HashSet<int64_t>) : 0));
  constexpr uint64_t kDistinctBytes = sizeof(int64_t) + MemoryBudget::kSetEntryBytes;
  source_.Charge(groups.size() * group_bytes);

  source_.Scan([&](const At& at) {
    bool added = false;
    const uint32_t g = groups.Find(at, &added);
    if (added) {
      source_.Charge(group_bytes);
      accs.resize(accs.size() + n_aggs);
      if (any_distinct) sets.resize(sets.size() + n_aggs);
    }
    Acc* acc = &accs[g * n_aggs];
    for (size_t i = 0; i < n_aggs; ++i) {
      const AggPlan& p = aggs_[i];
      Acc& a = acc[i];
      if (p.kind == AggPlan::kRows) {
        a.count += source_.weight();
        continue;
      }
      if (p.kind == AggPlan::kDistinctNodes) {
        if (sets[g * n_aggs + i].insert(at.of(p.node)).second) {
          source_.Charge(kDistinctBytes);
          ++a.count;
        }
        continue;
      }
      const ColumnRef& c = *p.col;
      const uint32_t r = at.of(c.where);
      if (reader.IsNull(c, r)) continue;
      switch (p.kind) {
        case AggPlan::kCount: ++a.count; break;
        case AggPlan::kCountDistinct:
          if (sets[g * n_aggs + i].insert(reader.Token(c, r)).second) {
            source_.Charge(kDistinctBytes);
            ++a.count;
          }
          break;
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
            const int cmp = reader.Order(c, r, static_cast<uint32_t>(a.best));
            if (p.kind == AggPlan::kMin ? cmp < 0 : cmp > 0) a.best = r;
          }
          break;
        default: break;
      }
    }
  });
  if (overflow) return std::nullopt;

  ColumnGroups out;
  out.n_groups = groups.size();
  out.keys.reserve(out.n_groups * n_keys);
  out.accs.resize(out.n_groups * n_aggs);
  for (size_t g = 0; g < out.n_groups; ++g) {
    for (size_t i = 0; i < n_keys; ++i) out.keys.push_back(groups.KeyValue(g, i));
    for (size_t i = 0; i < n_aggs; ++i) {
      const Acc& a = accs[g * n_aggs + i];
      ColumnGroups::Accumulated& o = out.accs[g * n_aggs + i];
      o.count = a.count;
      o.floating = a.floating;
      o.isum = a.isum;
      o.fsum = a.fsum;
      if (a.best >= 0) o.best = reader.ValueAt(*aggs_[i].col, static_cast<uint32_t>(a.best));
    }
  }
  return out;
}

}  // namespace

std::optional<ColumnGroups> AggregateOverColumns(const Operator& input,
                                                 const std::vector<ProjectItem>& keys,
                                                 const std::vector<const Expr*>& aggregates,
                                                 const AggregateOptions& options,
                                                 ExecContext& ctx) {
  const CsrGraph* csr = ctx.graph.csr();
  if (!csr || csr->spec() != CsrSpec{}) return std::nullopt;
  ColumnAggregate aggregate(ctx, *csr);
  std::optional<ColumnGroups> groups;
  if (aggregate.Compile(input, keys, aggregates, options)) groups = aggregate.Run();
  // What the loop kept goes with it; AggregateOp charges the groups it adopts.
  aggregate.Release();
  return groups;
}

}  // namespace samverkan::cypher
