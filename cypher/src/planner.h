// The planner: an analyzed query to a tree of operators.
//
// Each MATCH is planned as a whole: its patterns become one graph of node
// and relationship variables, its WHERE a list of conjuncts. The planner
// starts from the most selective node it can find (one bound by an earlier
// clause; a key, id or folded-name lookup; the kind + sector index; the
// kind index; all nodes, in that order of preference, weighed by the
// graph's counts), expands along relationships from what is bound, tests
// labels and sectors on the far node before making a row, and places each
// predicate right after the last variable it reads is bound.
//
// It also estimates how many relationships the query will read, which
// decides whether it runs over a CSR snapshot or the stored adjacency, and
// notes names the graph has never seen, for EXPLAIN.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "exec.h"
#include "operators.h"

namespace samverkan::cypher {

// What the planner knows of the graph's size.
struct GraphStats {
  uint64_t nodes = 0;
  uint64_t edges = 0;
  // Nodes of a kind / of a sector (estimates).
  std::function<uint64_t(SymbolSpace, SymbolId)> count;
};

class Planner {
 public:
  Planner(const Query& query, const std::string& text, QueryGraph& graph, const Params& params,
          GraphStats stats);

  // The plan of one part of the query (one side of a UNION). `columns`
  // receives the slots of its RETURN columns, in order.
  OpPtr PlanSingle(const SingleQuery& q, std::vector<int>* columns);
  // The plan of a pattern or subquery used in an expression, for
  // ExecContext::subplans.
  std::unique_ptr<SubPlan> PlanPatternExpression(const Expr& e);

  // Relationships the plan is expected to read (for choosing a CSR).
  double estimated_reads() const { return reads_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct PNode;
  struct PRel;
  struct MatchState;
  struct Step;

  // The clauses of `q` on top of `op`, which binds the slots `bound`;
  // `eager`: an Eager after each clause (a query that writes).
  OpPtr PlanClauses(OpPtr op, std::set<int> bound, const SingleQuery& q,
                    std::vector<int>* columns, bool eager);
  OpPtr PlanMatch(OpPtr input, const std::vector<const PatternPart*>& parts, const Expr* where,
                  std::set<int>* bound, bool distinct_ok, double* rows);
  // `counted`: slots an ExpandCountOp left unbound, whose count(x) is count(*).
  OpPtr PlanProjection(OpPtr input, const Clause& c, double* rows,
                       const std::set<int>& counted = {});
  OpPtr PlanCreate(OpPtr input, const Clause& c, std::set<int>* bound);
  OpPtr PlanMerge(OpPtr input, const Clause& c, std::set<int>* bound);

  // Helpers of PlanMatch, in the order it uses them.
  void GatherPattern(MatchState& m);
  void GatherPredicates(MatchState& m, const Expr* where);
  Step ChooseStep(MatchState& m);
  OpPtr BindRel(OpPtr op, MatchState& m, PRel& r, double* rows);
  void BindEnd(MatchState& m, int slot);
  int CheapestStart(MatchState& m);
  OpPtr Attach(OpPtr op, MatchState& m, double* rows);
  OpPtr ScanNode(OpPtr op, MatchState& m, int slot, double* rows);
  OpPtr ExpandRel(OpPtr op, MatchState& m, size_t rel, bool forward, double* rows);
  NodeCheck CheckFor(MatchState& m, int slot);
  RelCheck RelCheckFor(MatchState& m, int slot);
  double Estimate(MatchState& m, int slot, int* source, const Expr** value);
  TypeFilter TypesOf(const std::vector<std::string>& names);
  std::string NodeText(MatchState& m, int slot) const;
  std::string RelText(MatchState& m, const PRel& r, bool forward) const;
  std::string ExprText(const Expr* e) const;
  std::optional<Value> ConstantValue(const Expr* e);
  void Warn(const std::string& w);

  const Query& query_;
  const std::string& text_;
  QueryGraph& graph_;
  const Params& params_;
  GraphStats stats_;
  double reads_ = 0;
  std::vector<std::string> warnings_;
  std::set<int> entity_slots_;  // slots patterns bind to a node or a relationship
  std::set<int> node_slots_;    // slots patterns bind to a node
  std::set<int> unique_slots_;  // slots whose values the last MATCH's rows never repeat
  // Labels and relationship types the query's CREATE, MERGE and SET write.
  std::set<std::string> written_labels_, written_types_;
};

}  // namespace samverkan::cypher
