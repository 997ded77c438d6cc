// CALL: the procedures a query can call, and the operator that calls one.
//
//   samverkan.<name>    each analytics procedure of the engine's table
//                       (samverkan/procedures.h), the twin of SQL's kg_<name>:
//                       CALL samverkan.pagerank({damping: 0.85, kinds: ['actor']})
//                       YIELD node, rank. One argument, a map of options
//                       (the SQL function's arguments by name), or none.
//   db.labels()         label: every kind that has nodes (docs/cypher.md)
//   db.relationshipTypes()  relationshipType: every type the graph knows
//   db.propertyKeys()   propertyKey: every property key in use
//   dbms.procedures()   name, signature, description, options: this list
//
// A procedure runs once per input row, with the arguments evaluated on that
// row, over the graph the query sees (a query's own writes included: the
// clauses before a CALL have run to the end). Its result is held in memory
// and counted against the run's memory limit; long computations poll the
// run's interrupt.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exec.h"
#include "samverkan/cypher.h"
#include "samverkan/procedures.h"

namespace samverkan::cypher {

struct CallableProcedure {
  std::string name;                  // "samverkan.pagerank"
  std::vector<std::string> columns;  // "node", "rank"
  const Procedure* analytics = nullptr;  // the engine's, for samverkan.*
  // The others: the rows, by column.
  std::vector<std::vector<Value>> (*rows)(ExecContext& ctx) = nullptr;
  std::string signature;    // "samverkan.pagerank(options :: MAP?) :: (node :: NODE, rank :: FLOAT)"
  std::string description;  // one line
  std::string options;      // samverkan.*: "damping (number, 0.85), ..."
  std::shared_ptr<const TableProcedure> table;  // a table procedure (cypher.h)
};

// The callable form of table procedures.
std::vector<CallableProcedure> TableCallables(const TableProcedures& procedures);
// Whether a value of static type `type` (TableProcedure::Param::type) may be
// passed: null always; INTEGER an integer; FLOAT and NUMBER a number; ...
bool Assignable(const std::string& type, const Value& v);

// Every procedure, sorted by name.
const std::vector<CallableProcedure>& CallableProcedures();
// The procedure named `name` (case-sensitive, as in Neo4j), or null.
// Then among `extra`.
const CallableProcedure* FindCallable(std::string_view name,
                                      const std::vector<CallableProcedure>* extra = nullptr);

// Calls `proc` for each input row, with `args` evaluated on it, and gives
// one row per result row that passes `where`, with yields[i].slot set to
// the value of column yields[i].column_index. A procedure without outputs
// passes each input row on once, unless the query is the CALL alone (then
// it returns nothing).
class ProcedureCallOp final : public Operator {
 public:
  ProcedureCallOp(OpPtr child, const CallableProcedure& proc, std::vector<const Expr*> args,
                  std::vector<YieldItem> yields, const Expr* where, size_t pos, bool standalone);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override;

 private:
  void Call(ExecContext& ctx, Row& row);
  Value Cell(size_t column, size_t row) const;

  const CallableProcedure& proc_;
  std::vector<const Expr*> args_;
  std::vector<YieldItem> yields_;
  const Expr* where_;
  size_t pos_;
  bool standalone_;  // the query is this CALL alone
  // The current call's rows.
  ProcResult result_;                        // analytics
  std::vector<std::vector<Value>> values_;  // the others
  size_t rows_ = 0;
  size_t next_ = 0;
  bool active_ = false;
  MemoryCharge charge_;
};

}  // namespace samverkan::cypher
