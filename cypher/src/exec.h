// The executor's core: rows, operators and what they share while a query
// runs.
//
// A plan is a tree of Operators pulled from the root, one row at a time
// (the Volcano model). A row is a vector with one Value per slot of the
// query (ast.h); operators that only add to a row (scans, expansions,
// filters, projections) work in place on the row their parent passes down,
// so a pipeline copies nothing; operators that must see all of their input
// first (aggregation, sorting, DISTINCT, Eager) keep rows of their own.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ast.h"
#include "graph.h"
#include "memory.h"
#include "samverkan/db.h"

namespace samverkan::cypher {

using Row = std::vector<Value>;
using Params = std::map<std::string, Value, std::less<>>;

class Operator;
using OpPtr = std::unique_ptr<Operator>;
class Planner;

// A plan for a pattern inside an expression (a pattern predicate, a pattern
// comprehension, EXISTS { }), run once per row with that row as argument.
struct SubPlan {
  const Row* argument = nullptr;  // read by the plan's ArgumentOp
  OpPtr root;
};

struct ExecContext {
  ExecContext(QueryGraph& g, const Params& p, Planner* planner, MemoryBudget budget)
      : graph(g), params(p), planner(planner), memory(std::move(budget)) {}

  QueryGraph& graph;
  const Params& params;
  Planner* planner;
  // The Db whose committed state the run reads (Target::db), or null: CALL
  // then reads its cached snapshots.
  const Db* db = nullptr;
  // What the run's operators hold (memory.h).
  MemoryBudget memory;
  // While an aggregation computes its output: the aggregates' values, by
  // Expr::agg_index.
  const std::vector<Value>* agg_values = nullptr;
  // Plans of pattern expressions, made on first use.
  std::unordered_map<const Expr*, std::unique_ptr<SubPlan>> subplans;
  // Compiled regular expressions (re2::RE2), by pattern text (regex.cc).
  std::unordered_map<std::string, std::shared_ptr<void>> regexes;
};

class Operator {
 public:
  explicit Operator(OpPtr child = nullptr) : child_(std::move(child)) {}
  virtual ~Operator() = default;
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  // The next row into *row: false when there are no more. In-place
  // operators leave the slots they do not own as their child set them.
  virtual bool Next(ExecContext& ctx, Row* row) = 0;
  // Starts again from the beginning (a new argument row for a subplan).
  virtual void Reset() {
    if (child_) child_->Reset();
  }
  // One line for EXPLAIN, e.g. "Expand (a)-[:funds]->(b)".
  virtual std::string Describe() const = 0;
  // Plans nested in this one (OPTIONAL MATCH, MERGE), for EXPLAIN.
  virtual std::vector<const Operator*> Nested() const { return {}; }

  const Operator* child() const { return child_.get(); }
  double estimated_rows = -1;  // the planner's estimate, for EXPLAIN

 protected:
  OpPtr child_;
};

}  // namespace samverkan::cypher
