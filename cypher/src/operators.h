// The operators plans are made of (see exec.h for the model).
//
// Reading:   Once, Argument, NodeScan, Expand, VarExpand, VarReach,
//            ShortestPath, BindRelationship, BuildPath, Filter, Optional
// Shaping:   Project, Aggregate, Distinct, Sort, Skip, Limit, Unwind, Eager
// Writing:   Create, Merge, SetProperties, Remove, Delete (writes.cc)
//
// Operators that bind a variable take its slot; those that follow
// relationships take a TypeFilter and a NodeCheck for the far node, so that
// labels and sectors are tested on the CSR snapshot before a row is made.
#pragma once

#include <functional>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "exec.h"

namespace samverkan::cypher {

// A condition on a row: an expression (WHERE), a property of a variable
// equal to an expression ({name: 'x'} in a pattern), or a node check.
struct Predicate {
  const Expr* expr = nullptr;       // a WHERE conjunct, or:
  int slot = -1;                    // the variable whose property...
  std::string key;                  // ...named key...
  const Expr* value = nullptr;      // ...must equal this, or:
  std::optional<NodeCheck> check;   // the node in `slot` must pass this
  std::vector<int> deps;            // slots of the current MATCH it reads
  bool placed = false;              // planner bookkeeping

  bool Holds(Row& row, ExecContext& ctx) const;
  std::string Text(const std::string& query) const;
};

// The relationships a new one must differ from (relationship uniqueness
// within one MATCH): single relationships and var-length lists.
struct Uniqueness {
  std::vector<int> rel_slots;
  std::vector<int> list_slots;

  bool Clashes(const Row& row, const Relationship& r) const;
};

class OnceOp final : public Operator {
 public:
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override { done_ = false; }
  std::string Describe() const override { return "Start"; }

 private:
  bool done_ = false;
};

// The row a subplan runs for (SubPlan::argument).
class ArgumentOp final : public Operator {
 public:
  explicit ArgumentOp(const SubPlan* plan) : plan_(plan) {}
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override { done_ = false; }
  std::string Describe() const override { return "Argument"; }

 private:
  const SubPlan* plan_;
  bool done_ = false;
};

// Binds `slot` to each candidate node, for each input row.
class NodeScanOp final : public Operator {
 public:
  enum class Source { kAll, kKind, kSector, kKey, kName, kId, kNone };
  NodeScanOp(OpPtr child, int slot, Source source, SymbolId kind, SymbolId sector,
             const Expr* value, NodeCheck check, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }

  // What it scans, for AggregateOverColumns (column_aggregate.h).
  int slot() const { return slot_; }
  Source source() const { return source_; }
  const NodeCheck& check() const { return check_; }

 private:
  void Candidates(ExecContext& ctx, Row& row);

  int slot_;
  Source source_;
  SymbolId kind_, sector_;
  const Expr* value_;  // kKey, kName, kId
  bool constant_;      // candidates do not depend on the row
  NodeCheck check_;
  std::string describe_;
  std::vector<NodeId> ids_;
  bool have_ids_ = false;
  uint64_t ids_node_writes_ = 0;  // QueryGraph::node_writes() when ids_ was listed
  size_t pos_ = 0;
  bool active_ = false;
};

// (from)-[rel]->(to) when what follows only counts rows (count(*)): writes
// the number of matching relationships into `weight` instead of making a
// row per relationship, and no row when there are none. The count of a
// node is computed once per query; relationships bound earlier in the
// MATCH that it would include are taken off (relationship uniqueness).
class ExpandCountOp final : public Operator {
 public:
  ExpandCountOp(OpPtr child, int from, int weight, Direction dir, TypeFilter types,
                NodeCheck to_check, Uniqueness unique, std::string describe,
                RelCheck rel_check = {});
  bool Next(ExecContext& ctx, Row* row) override;
  std::string Describe() const override { return describe_; }

  // For an aggregation that counts over a snapshot's columns.
  int from_slot() const { return from_; }
  Direction direction() const { return dir_; }
  const TypeFilter& types() const { return types_; }
  const NodeCheck& to_check() const { return to_check_; }
  const Uniqueness& unique() const { return unique_; }
  const RelCheck& rel_check() const { return rel_check_; }

 private:
  uint64_t CountFrom(ExecContext& ctx, NodeId from);

  int from_, weight_;
  Direction dir_;
  TypeFilter types_;
  NodeCheck to_check_;
  Uniqueness unique_;
  std::string describe_;
  RelCheck rel_check_;
  std::unordered_map<NodeId, uint64_t> counts_;
  std::vector<Hop> hops_;
};

// (from)-[rel]->(to) for each input row: rel and to bound here, or `to`
// already bound (an expand-into), or `rel` already bound (a check).
class ExpandOp final : public Operator {
 public:
  ExpandOp(OpPtr child, int from, int rel, int to, Direction dir, TypeFilter types,
           NodeCheck to_check, bool to_bound, bool rel_bound, Uniqueness unique,
           std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }

  // For the planner, which may turn it into an ExpandCountOp.
  bool binds_new() const { return !to_bound_ && !rel_bound_; }
  int rel_slot() const { return rel_; }
  int to_slot() const { return to_; }
  int from_slot() const { return from_; }
  Direction direction() const { return dir_; }
  const TypeFilter& types() const { return types_; }
  const NodeCheck& to_check() const { return to_check_; }
  const Uniqueness& unique() const { return unique_; }
  OpPtr MakeCounting(int weight_slot) {
    return std::make_unique<ExpandCountOp>(std::move(child_), from_, weight_slot, dir_, types_,
                                           to_check_, unique_, "ExpandCount " + describe_.substr(7),
                                           rel_check_);
  }
  // Properties the relationship must hold, tested before a row is made
  // (the planner's, with the predicates they replace).
  void set_rel_check(RelCheck check) { rel_check_ = std::move(check); }
  const RelCheck& rel_check() const { return rel_check_; }

 private:
  int from_, rel_, to_;
  Direction dir_;
  TypeFilter types_;
  NodeCheck to_check_;
  bool to_bound_, rel_bound_;
  Uniqueness unique_;
  std::string describe_;
  RelCheck rel_check_;
  std::vector<Hop> hops_;
  size_t pos_ = 0;
  bool active_ = false;
};

// (from)-[rels*min..max]->(to): every trail (no relationship twice) with
// min to max relationships. `rel_props` must hold on each of them.
class VarExpandOp final : public Operator {
 public:
  VarExpandOp(OpPtr child, int from, int list, int to, Direction dir, TypeFilter types,
              int64_t min, int64_t max, NodeCheck to_check, bool to_bound,
              std::vector<std::pair<std::string, const Expr*>> rel_props, Uniqueness unique,
              bool build_list, bool reverse_list, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }

 private:
  struct Frame {
    NodeId node;
    std::vector<Hop> hops;
    size_t next = 0;
  };
  bool RelAllowed(ExecContext& ctx, const Row& row, const Relationship& r);

  int from_, list_, to_;
  Direction dir_;
  TypeFilter types_;
  int64_t min_, max_;
  NodeCheck to_check_;
  bool to_bound_;
  std::vector<std::pair<std::string, const Expr*>> rel_props_;
  std::vector<std::pair<std::string, Value>> rel_values_;
  Uniqueness unique_;
  bool build_list_;
  bool reverse_list_;  // expanding right to left: the list is kept in the pattern's order
  std::string describe_;
  std::vector<Frame> stack_;
  std::vector<Relationship> path_;
  MemoryCharge charge_;  // the frames' hops
  bool active_ = false;
  bool emitted_start_ = false;
};

// (from)-[*min..max]-(to) when only which nodes are reached matters: a
// breadth-first search that meets each node once (see planner.cc for when
// this gives the same answer as VarExpand under DISTINCT).
class VarReachOp final : public Operator {
 public:
  VarReachOp(OpPtr child, int from, int to, Direction dir, TypeFilter types, int64_t min,
             int64_t max, NodeCheck to_check, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }

 private:
  void Search(ExecContext& ctx, NodeId start);

  int from_, to_;
  Direction dir_;
  TypeFilter types_;
  int64_t min_, max_;
  NodeCheck to_check_;
  std::string describe_;
  std::vector<NodeId> found_;
  size_t pos_ = 0;
  bool active_ = false;
  // Over a CSR: per node, the search (epoch) that last saw it, and its
  // depth and branch; kept between searches so each costs only what it visits.
  std::vector<uint32_t> stamp_, info_;
  uint32_t epoch_ = 0;
};

// p = shortestPath((a)-[*..max]->(b)) and allShortestPaths(...).
class ShortestPathOp final : public Operator {
 public:
  ShortestPathOp(OpPtr child, int from, int to, int path, int list, Direction dir,
                 std::vector<std::string> types, int64_t min, int64_t max, bool all,
                 std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }

 private:
  int from_, to_, path_, list_;
  Direction dir_;
  std::vector<std::string> types_;
  int64_t min_, max_;
  bool all_;
  std::string describe_;
  std::vector<Value> paths_;
  MemoryCharge charge_;  // paths_
  size_t pos_ = 0;
  bool active_ = false;
};

// A relationship bound before this MATCH, with neither end bound: binds
// its ends (both ways round for an undirected pattern).
class BindRelationshipOp final : public Operator {
 public:
  BindRelationshipOp(OpPtr child, int rel, int left, int right, Direction dir,
                     TypeFilter types, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }

 private:
  int rel_, left_, right_;
  Direction dir_;
  TypeFilter types_;
  std::string describe_;
  int pending_ = 0;  // orientations left for the current input row
};

// (left)-[rels*min..max]->(right) with `rels` bound before to a list of
// relationships: the list must lead from left to right, one relationship
// after the other. Binds whichever end is not bound.
class FollowListOp final : public Operator {
 public:
  FollowListOp(OpPtr child, int left, int list, int right, Direction dir, TypeFilter types,
               int64_t min, int64_t max, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }

 private:
  int left_, list_, right_;
  Direction dir_;
  TypeFilter types_;
  int64_t min_, max_;
  std::string describe_;
  std::vector<std::pair<NodeId, NodeId>> ends_;  // (left, right) for the current row
  size_t pos_ = 0;
  bool left_bound_ = false, right_bound_ = false;
};

// Builds a path value from the slots of a pattern part.
class BuildPathOp final : public Operator {
 public:
  // rels[i] joins nodes[i] and nodes[i+1]; is_list[i] for var-length ones.
  BuildPathOp(OpPtr child, int path, std::vector<int> nodes, std::vector<int> rels,
              std::vector<bool> is_list, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  std::string Describe() const override { return describe_; }

 private:
  int path_;
  std::vector<int> nodes_, rels_;
  std::vector<bool> is_list_;
  std::string describe_;
};

class FilterOp final : public Operator {
 public:
  FilterOp(OpPtr child, std::vector<Predicate> predicates, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  std::string Describe() const override { return describe_; }
  const std::vector<Predicate>& predicates() const { return predicates_; }

 private:
  std::vector<Predicate> predicates_;
  std::string describe_;
};

// Runs `plan` once per input row, with that row as its argument: the
// machinery OPTIONAL MATCH and CALL subqueries share. `slots`: the slots
// the plan binds that the output row takes from it.
class ApplyOp : public Operator {
 public:
  ApplyOp(OpPtr child, std::unique_ptr<SubPlan> plan, std::vector<int> slots);
  void Reset() override;
  std::vector<const Operator*> Nested() const override { return {plan_->root.get()}; }

 protected:
  // Reads the next input row (as wide as `row`) into input_ and starts the
  // plan on it; false when the input has no more rows.
  bool StartNextRow(ExecContext& ctx, const Row& row);

  std::unique_ptr<SubPlan> plan_;
  std::vector<int> slots_;
  Row input_;
  bool active_ = false;  // the plan runs on input_
};

// OPTIONAL MATCH: each input row with the matches of `plan`, or, when there
// are none, once with `slots` set to null.
class OptionalOp final : public ApplyOp {
 public:
  using ApplyOp::ApplyOp;
  bool Next(ExecContext& ctx, Row* row) override;
  std::string Describe() const override { return "Optional"; }

 private:
  bool matched_ = false;
};

// CALL { body }: runs the body's plan once per input row, with that row as
// its argument; each row it returns extends the input with `slots` (its
// RETURN columns). With no slots (a unit subquery) the body runs to its end
// and the input row passes on once.
class CallSubqueryOp final : public ApplyOp {
 public:
  using ApplyOp::ApplyOp;
  bool Next(ExecContext& ctx, Row* row) override;
  std::string Describe() const override {
    return slots_.empty() ? "CallSubquery (unit)" : "CallSubquery";
  }

 private:
  Row output_;
};

struct ProjectItem {
  const Expr* expr;
  int slot;
};

class ProjectOp final : public Operator {
 public:
  ProjectOp(OpPtr child, std::vector<ProjectItem> items, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  std::string Describe() const override { return describe_; }
  const std::vector<ProjectItem>& items() const { return items_; }

 private:
  std::vector<ProjectItem> items_;
  std::string describe_;
};

struct ColumnGroups;  // column_aggregate.h
struct SortKey;

// How an AggregateOp may take short cuts the planner found safe.
struct AggregateOptions {
  // Slot with a row's multiplicity (an ExpandCountOp's count); -1: each row
  // counts once. Only count() aggregations run under a weight.
  int weight_slot = -1;
  // Aggregations count(x) to compute as count(*) (x is what an
  // ExpandCountOp counted, and does not bind).
  std::vector<bool> count_as_star;
  // DISTINCT aggregations whose argument never repeats (no set needed).
  std::vector<bool> distinct_free;
  // Group first by the values of these slots (the nodes the keys are
  // properties of), then compute the keys once per such group and merge:
  // RETURN b.name, count(*) reads each b's name once, not once per row.
  std::vector<int> pregroup_slots;
  // With one pre-group node whose key is among the keys (n.key tells nodes
  // apart, unless blank), ORDER BY led by aggregations, and a LIMIT: those
  // leading items (aggregation index, descending) and SKIP/LIMIT. Only the
  // pre-groups that can make the cut then get their keys computed; the
  // SortOp above picks among them.
  std::vector<std::pair<size_t, bool>> top_order;
  const Expr* top_skip = nullptr;
  const Expr* top_limit = nullptr;
  // The slots the outputs read besides keys and aggregations: the only
  // part of its first row a group keeps.
  std::vector<int> keep_slots;
};

// Grouping by the values of `keys`, computing `aggregates` (the aggregation
// calls, by Expr::agg_index), then `outputs` from them.
class AggregateOp final : public Operator {
 public:
  AggregateOp(OpPtr child, std::vector<ProjectItem> keys, std::vector<const Expr*> aggregates,
              std::vector<ProjectItem> outputs, size_t width, AggregateOptions options,
              std::string describe);
  ~AggregateOp() override;
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }
  // Told by a SortOp with a LIMIT above it: only the first `keep` rows in
  // the order of `keys` will be read. When each key is one of the grouping
  // keys or an aggregation's value, the groups computed over columns that
  // cannot be among those rows are left out before their rows are made
  // (the others keep their order, which breaks the Sort's ties).
  void ReadOnlyTop(const std::vector<SortKey>& keys, size_t keep);

 private:
  struct State;
  void Consume(ExecContext& ctx);
  void Adopt(ColumnGroups& groups, ExecContext& ctx);
  // `aggregate(p, a)`: pre-group p's value of aggregation a.
  std::vector<size_t> TopCandidates(ExecContext& ctx, size_t pre_groups,
                                    const std::function<Value(size_t, size_t)>& aggregate);
  // A row holding a group's kept values, and `key` in `key_slots`.
  void Fill(const Value* kept, const Value* key, const std::vector<int>& key_slots,
            Row* row) const;

  std::vector<ProjectItem> keys_;
  std::vector<int> key_slots_;
  bool count_only_ = false;  // every aggregation is count(*) or count(x)
  std::vector<bool> keeps_values_;  // by aggregation: collect() and others that keep values
  std::vector<const Expr*> aggregates_;
  std::vector<ProjectItem> outputs_;
  size_t width_;
  AggregateOptions options_;
  std::string describe_;
  std::unique_ptr<State> state_;
  // ReadOnlyTop(): by ORDER BY item, a grouping key's or an aggregation's index.
  struct TopItem {
    bool aggregate;
    size_t index;
    bool descending;
  };
  std::vector<TopItem> top_;
  size_t top_keep_ = SIZE_MAX;
};

class DistinctOp final : public Operator {
 public:
  DistinctOp(OpPtr child, std::vector<int> slots);
  ~DistinctOp() override;
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override;

 private:
  struct Seen;
  std::vector<int> slots_;
  std::unique_ptr<Seen> seen_;
  MemoryCharge charge_;  // seen_
};

struct SortKey {
  const Expr* expr;
  bool descending;
};

// ORDER BY; with `limit` (SKIP + LIMIT, when constant) keeps only the first
// rows, in a heap.
class SortOp final : public Operator {
 public:
  SortOp(OpPtr child, std::vector<SortKey> keys, const Expr* skip, const Expr* limit,
         std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }

 private:
  void Fill(ExecContext& ctx);

  std::vector<SortKey> keys_;
  const Expr* skip_;
  const Expr* limit_;
  std::string describe_;
  std::vector<std::pair<std::vector<Value>, Row>> rows_;
  MemoryCharge charge_;  // rows_
  size_t width_ = 0;
  size_t pos_ = 0;
  bool filled_ = false;
};

// SKIP n and LIMIT n: the count is evaluated once, with the first row.
class SkipLimitOp final : public Operator {
 public:
  // `drain`: after the limit, still read the input to its end, for the
  // writes below (a query that writes makes all its writes whatever its
  // LIMIT).
  SkipLimitOp(OpPtr child, const Expr* count, bool is_limit, bool drain = false);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override;

 private:
  const Expr* count_;
  bool is_limit_;
  bool drain_;
  std::optional<int64_t> n_;
  int64_t seen_ = 0;
};

class UnwindOp final : public Operator {
 public:
  UnwindOp(OpPtr child, const Expr* list, int slot, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }

 private:
  const Expr* list_;
  int slot_;
  std::string describe_;
  Value items_;
  size_t pos_ = 0;
  bool active_ = false;
};

// Reads all of its input before giving the first row: a clause that writes
// must not see its own writes through an earlier clause still running.
class EagerOp final : public Operator {
 public:
  explicit EagerOp(OpPtr child) : Operator(std::move(child)) {}
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return "Eager"; }

 private:
  std::vector<Row> rows_;
  MemoryCharge charge_;  // rows_
  size_t pos_ = 0;
  bool filled_ = false;
};

// Evaluates a constant expression once per query run (for SKIP and LIMIT):
// a non-negative integer, or ArgumentError/SyntaxError as the TCK expects.
int64_t CountArgument(const Expr& e, ExecContext& ctx, const char* what);

}  // namespace samverkan::cypher
