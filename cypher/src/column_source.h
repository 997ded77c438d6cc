// The rows an operator chain would make, found on a CSR snapshot's columns.
//
// A chain such as
//
//   MATCH (a:actor)-[e:participates_in]->(p:project)
//   WHERE e.role = 'coordinator' AND e.contribution >= 50000
//
// plans as NodeScan → Expand → Filter, which makes a Row per relationship
// and reads each property through QueryGraph. ColumnSource recognises such
// a chain (one node scan of all nodes, a kind or a sector; at most two
// directed expansions that bind new nodes, the second from the first's far
// node, as in (r)<-[:located_in]-(a)-[e]->(p), or from the scanned node, as
// (a)-->(p)<--(b) is planned from p; filters that compare a
// property of a pattern variable with a constant or with another such
// property of the same number or date type, or the node checks the
// planner pushed into them) and visits the same rows, in the same order,
// as five numbers (At), testing the filters on column values. Two
// relationships of one MATCH are never the same edge, as Expand's
// uniqueness check has it. What reads
// the rows (an aggregation, a top-k) asks it for the columns of the
// properties it needs.
//
// Anything it does not handle (other shapes, a filter on something else, a
// comparison the row path raises an error for) makes Recognise() false
// before anything is read, and the caller pulls rows as usual.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "column_condition.h"
#include "column_rows.h"
#include "operators.h"

namespace samverkan::cypher {

class ColumnSource {
 public:
  ColumnSource(ExecContext& ctx, const CsrGraph& csr) : ctx_(ctx), csr_(csr), reader_(csr) {}

  // Reads the chain `input` and compiles its filters; false when it is not
  // one this handles. With `counted`, the chain may end in an ExpandCount
  // from the scanned node (and then has no other expansion): each scanned
  // node is visited once, with the number of relationships it counts as
  // weight(), and none with none, as ExpandCountOp makes its rows.
  bool Recognise(const Operator& input, bool counted = false);

  // With two expansions: counts the second instead of visiting its rows.
  // Each row of the first expansion that has any is visited once, with
  // weight() the number of second-hop rows that pass, as a count(*) would
  // add them up (so the caller reads nothing of the second hop). When the
  // conditions on the second hop read nothing of the first but for at most
  // one comparison of two properties (`e2.valid_from >= e1.valid_from`),
  // the second hop from each node is gathered once: its passing rows'
  // values of that property, sorted, so a row of the first expansion is
  // counted by a binary search, not a walk over the node's relationships
  // (Σ coordinators × degree becomes Σ degree · log degree). False, and
  // nothing changes, when there is no second expansion.
  bool CountSecond();

  // Where the pattern variable in `slot` is read, if it is one of the chain's.
  std::optional<Where> WhereOf(int slot) const;
  // The column of `var.key` for a pattern variable; null when not one (or
  // a property columns do not hold: aliases, sources, an edge's rank, key
  // and name when the graph has blank nodes).
  ColumnRef* Column(int slot, const std::string& key);
  // The column of the property expression `e` (var.key); null when not one.
  ColumnRef* Property(const Expr& e);
  // Whether `e` reads nothing but constants and at most one property of a
  // pattern variable (*read), through deterministic functions.
  bool OfOneProperty(const Expr& e, std::optional<std::pair<int, std::string>>* read) const;
  // The value the row path's Expand binds to the pattern variable read at
  // `w`, at the row `at`: a node, or the relationship as it comes from the
  // snapshot (its ordinal among parallel edges, its position).
  Value Variable(Where w, const At& at) const;
  // Binds the chain's pattern variables in `row` as the row path would at `at`.
  void Bind(const At& at, Row* row) const;

  // Calls visit(At) for each row that passes the filters, in the row
  // path's order: the scan's nodes in index order, each one's
  // relationships in slot order. Checks for interruption as it goes.
  template <typename Visit>
  void Scan(Visit&& visit);

  // Adds `bytes` the scan keeps to the query's working memory (throws past
  // its limit, as the row path's operators do).
  void Charge(uint64_t bytes) { charge_.Add(ctx_.memory, bytes); }
  // Gives back all the scan charged: what it kept is gone.
  void Release() { charge_.Clear(); }

  const Reader& reader() const { return reader_; }
  const CsrGraph& csr() const { return csr_; }
  ExecContext& ctx() const { return ctx_; }
  bool expands() const { return expand_ != nullptr; }
  bool counts() const { return count_ != nullptr; }
  // With an ExpandCount: the count of the row being visited.
  int64_t weight() const { return weight_; }
  // The pattern variable that never repeats across rows, if one does: the
  // scanned node without expansions, the relationship of one expansion.
  // With two, each may (a project's e2 comes back for each of its e1).
  std::optional<Where> unrepeated() const {
    if (expand2_) return std::nullopt;
    if (expand_) return Where::kEdge;
    return Where::kNear;
  }

 private:
  // The column of `key` read at `where` (Column's, for a place no slot names).
  ColumnRef* ColumnAt(Where where, const std::string& key);
  bool CompilePredicate(const Predicate& p);
  bool Add(ColumnCondition c);
  Value Constant(const Expr& e);
  // Whether `at` passes the checks and conditions that read nothing past
  // `level` (0: the scanned node; 1: the first expansion; 2: the second),
  // so that a row is dropped as soon as what it fails is known, as the row
  // path's checks on each expansion drop it.
  bool Passes(const At& at, int level) const;
  static int Level(Where w) {
    return w == Where::kNear ? 0 : (w == Where::kFar || w == Where::kEdge) ? 1 : 2;
  }
  // CountSecond's counting: the second hop's rows that pass for the first
  // hop's row `at1`; `hops` is Scan's walk over a node's relationships.
  template <typename Hops>
  int64_t SecondCount(const At& at1, Hops&& hops);
  // The memo of CountSecond: whether the second hop from `from` is
  // gathered; adds a second-hop row to it (when it passes all but the
  // pair); ends (sorts) the node's values; counts the values that pass
  // the pair with `at1`.
  bool PassesSecondLocal(const At& at) const;
  void MemoAdd(uint32_t from, const At& at);
  void MemoEnd(uint32_t from);
  int64_t MemoCount(uint32_t from, const At& at1) const;
  // With distinct relationships: whether the first hop's relationship at
  // `at1` is itself one of the second hop's rows that pass (and so was
  // counted by the memo, which the row path's uniqueness check leaves out).
  bool SelfCounted(const At& at1) const;

  ExecContext& ctx_;
  const CsrGraph& csr_;
  Reader reader_;
  static constexpr size_t kAhead = 8;  // far nodes prefetched ahead (Scan)
  const NodeScanOp* scan_ = nullptr;
  const ExpandOp* expand_ = nullptr;
  const ExpandOp* expand2_ = nullptr;  // from expand_'s far node, or the scanned one
  const ExpandCountOp* count_ = nullptr;  // counted from the scanned node
  int64_t weight_ = 1;
  bool second_from_near_ = false;      // expand2_ starts from the scanned node
  bool distinct_edges_ = false;        // expand2_'s relationship is never expand_'s
  std::vector<std::pair<Where, const NodeCheck*>> checks_;
  std::map<std::pair<Where, std::string>, std::unique_ptr<ColumnRef>> columns_;
  std::vector<ColumnCondition> conditions_;
  std::vector<int> check_level_, condition_level_;  // Level() of each, as Recognise found them
  MemoryCharge charge_;  // the columns' code values, the conditions' and the reader's tables

  // Builds, for each expansion whose far node has a check (a label, a
  // sector, a property), a bitmap of the snapshot's nodes that pass it. A
  // relationship's far node is anywhere in the graph, so testing its label
  // in the snapshot's kind array is a cache miss a relationship on a large
  // graph (half the time of a scan through a region's actors to their
  // projects); one bit a node fits in the processor's cache (125 kB for a
  // million nodes) and costs one pass over the nodes.
  void BuildFarPasses();
  // The bitmap of the expansion `op` (expand_, expand2_ or count_), or
  // null when its far node has no check.
  const uint64_t* FarPass(const void* op) const {
    for (const auto& [o, bits] : far_pass_) {
      if (o == op) return bits.data();
    }
    return nullptr;
  }
  std::vector<std::pair<const void*, std::vector<uint64_t>>> far_pass_;

  // CountSecond's state.
  bool count_second_ = false;
  bool memo_ = false;        // the second hop's counts are gathered once per node
  int pair_ = -1;            // the condition comparing the two hops (index in conditions_)
  bool pair_int_ = false;    // its values are integers or dates (else doubles)
  Op pair_op_ = Op::kEq;     // as `second-hop value op first-hop value`
  ColumnRef* pair_second_ = nullptr;  // its two columns
  ColumnRef* pair_first_ = nullptr;
  std::vector<int64_t> memo_start_;  // by node: where its values begin (-1: not gathered)
  std::vector<uint32_t> memo_size_;  // by node: how many (without a pair: the count)
  std::vector<int64_t> memo_ints_;
  std::vector<double> memo_doubles_;
};

template <typename Visit>
void ColumnSource::Scan(Visit&& visit) {
  const NodeCheck& near_check = scan_->check();
  near_check.Bind(ctx_.graph);
  if (expand_) expand_->to_check().Bind(ctx_.graph);
  if (expand2_) expand2_->to_check().Bind(ctx_.graph);
  if (count_) count_->to_check().Bind(ctx_.graph);
  for (const auto& [w, check] : checks_) check->Bind(ctx_.graph);
  BuildFarPasses();
  const uint32_t n = csr_.num_nodes();
  uint64_t rows = 0;
  // Calls f(other, position) for v's relationships that `e` follows, in
  // slot order (as QueryGraph::Expand lists them).
  auto hops = [&](const auto& e, uint32_t v, auto&& f) {
    const TypeFilter& types = e.types();
    const uint64_t* far_pass = FarPass(&e);
    const bool out = e.direction() == Direction::kOut;
    auto others = out ? csr_.out_neighbors(v) : csr_.in_neighbors(v);
    auto tys = out ? csr_.out_types(v) : csr_.in_types(v);
    // The second expansion from the far node reads each far node's lists:
    // ask for those of the node a few slots ahead while this one is
    // handled (the far nodes are scattered, each a cache miss).
    const bool ahead = expand2_ && !second_from_near_ &&
                       static_cast<const void*>(&e) == static_cast<const void*>(expand_);
    const bool ahead_out = ahead && expand2_->direction() == Direction::kOut;
    for (size_t i = 0; i < others.size(); ++i) {
      if (ahead && i + kAhead < others.size()) {
        const uint32_t next = others[i + kAhead];
        __builtin_prefetch(ahead_out ? csr_.out_types(next).data() : csr_.in_types(next).data());
        __builtin_prefetch(ahead_out ? csr_.out_neighbors(next).data()
                                     : csr_.in_neighbors(next).data());
      }
      if (!types.Allows(tys[i])) continue;
      if (far_pass && !((far_pass[others[i] >> 6] >> (others[i] & 63)) & 1)) continue;
      if ((++rows & 65535) == 0) ctx_.graph.CheckInterrupt();
      f(others[i], out ? csr_.out_edge(v, i) : csr_.in_edge(v, i));
    }
  };
  for (uint32_t v = 0; v < n; ++v) {
    if ((v & 4095) == 0) ctx_.graph.CheckInterrupt();
    if (!near_check.PassesDense(csr_, v)) continue;
    const At at0{v, 0, 0, 0, 0};
    if (!Passes(at0, 0)) continue;
    if (count_) {
      int64_t n = 0;
      hops(*count_, v, [&](uint32_t far, uint32_t pos) { n += Passes(At{v, far, pos, 0, 0}, 1); });
      if (n == 0) continue;
      weight_ = n;
      visit(at0);
      continue;
    }
    if (!expand_) {
      visit(at0);
      continue;
    }
    hops(*expand_, v, [&](uint32_t far, uint32_t pos) {
      const At at1{v, far, pos, 0, 0};
      if (!Passes(at1, 1)) return;
      if (count_second_) {
        weight_ = SecondCount(at1, hops);
        if (weight_ > 0) visit(at1);
        return;
      }
      if (!expand2_) {
        visit(at1);
        return;
      }
      hops(*expand2_, second_from_near_ ? v : far, [&](uint32_t far2, uint32_t pos2) {
        if (distinct_edges_ && pos2 == pos) return;
        const At at{v, far, pos, far2, pos2};
        if (Passes(at, 2)) visit(at);
      });
    });
  }
}

template <typename Hops>
int64_t ColumnSource::SecondCount(const At& at1, Hops&& hops) {
  const uint32_t from = second_from_near_ ? at1.near : at1.far;
  if (!memo_) {
    int64_t n = 0;
    hops(*expand2_, from, [&](uint32_t far2, uint32_t pos2) {
      if (distinct_edges_ && pos2 == at1.pos) return;
      n += Passes(At{at1.near, at1.far, at1.pos, far2, pos2}, 2);
    });
    return n;
  }
  if (memo_start_[from] < 0) {
    memo_start_[from] = pair_int_ ? static_cast<int64_t>(memo_ints_.size())
                                  : static_cast<int64_t>(memo_doubles_.size());
    hops(*expand2_, from, [&](uint32_t far2, uint32_t pos2) {
      const At at{0, 0, 0, far2, pos2};
      if (PassesSecondLocal(at)) MemoAdd(from, at);
    });
    MemoEnd(from);
  }
  int64_t n = MemoCount(from, at1);
  if (distinct_edges_ && n > 0 && SelfCounted(at1)) --n;
  return n;
}

inline bool ColumnSource::Passes(const At& at, int level) const {
  for (size_t i = 0; i < checks_.size(); ++i) {
    if (check_level_[i] != level) continue;
    const auto& [w, check] = checks_[i];
    if (!check->PassesDense(csr_, at.of(w))) return false;
  }
  for (size_t i = 0; i < conditions_.size(); ++i) {
    if (condition_level_[i] != level) continue;
    const ColumnCondition& c = conditions_[i];
    if (c.other ? !c.PassesPair(at.of(c.col->where), at.of(c.other->where))
                : !c.Passes(reader_, at.of(c.col->where))) {
      return false;
    }
  }
  return true;
}

}  // namespace samverkan::cypher
