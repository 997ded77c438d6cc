// Cypher: pattern queries over a Samverkan graph.
//
// A query is prepared once (parsed and checked against openCypher's rules)
// and run any number of times, with parameters, over a GraphView: the
// committed graph, or a transaction, which also takes the query's writes.
//
//   SV_ASSIGN_OR_RETURN(auto q, cypher::PreparedQuery::Prepare(
//       "MATCH (a:actor {sector: $s})-[:participates_in]->(p:project) "
//       "RETURN a.name AS actor, count(p) AS projects ORDER BY projects DESC LIMIT 5"));
//   SV_ASSIGN_OR_RETURN(auto params, cypher::ParseParameters(R"({"s": "academia"})"));
//   SV_ASSIGN_OR_RETURN(auto rows, cypher::Execute(q, {.view = db.get(), .db = db.get()}, params));
//   while (true) {
//     SV_ASSIGN_OR_RETURN(bool more, rows->Next());
//     if (!more) break;
//     use(rows->row()[0].string(), rows->row()[1].integer());
//   }
//
// How the data model reads in Cypher (labels are kinds, properties are key,
// name, sector, ... and the fields of props) is described in docs/cypher.md
// and in the comment of cypher/src/graph.h.
//
// Errors are Status values whose message names openCypher's error class and
// code, and for a place in the query, the line and column with the line and
// a caret under it:
//
//   SyntaxError (UndefinedVariable) at line 2, column 8: variable `m` is not defined
//     RETURN m
//            ^
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/cypher_value.h"
#include "samverkan/db.h"
#include "samverkan/interrupt.h"
#include "samverkan/result.h"

namespace samverkan::cypher {

struct Query;  // the syntax tree (cypher/src/ast.h)

// How deeply a query's expressions may nest: each parenthesis, list, map,
// function call, CASE, NOT, sign, subscript, property access and each
// operator of a chain (`a + b + c`, `x AND y AND z`: left-deep trees) is a
// level. Deeper text is refused with a SyntaxError (NestingTooDeep) that
// says where. It bounds the stack every later stage needs; parameters'
// JSON has the same limit (kMaxJsonDepth). See docs/cypher.md.
inline constexpr int kMaxNesting = 1000;

// Parameter values by name ($name in the query, without the '$').
using Parameters = std::map<std::string, Value, std::less<>>;

// Parameters from a JSON object: {"s": "academia", "n": 3}. An empty text
// or "null" is no parameters. InvalidArgument for anything else, including
// JSON nested deeper than kMaxJsonDepth.
Result<Parameters> ParseParameters(std::string_view json);

// A procedure whose rows are given as a table, as the openCypher TCK declares
// its test procedures: CALL name(args) returns the rows whose inputs equal
// the arguments (outputs only). Besides the built-in procedures (docs/cypher.md).
struct TableProcedure {
  struct Param {
    std::string name;
    std::string type;  // INTEGER, FLOAT, NUMBER, STRING, BOOLEAN, ANY, ... (nullable)
  };
  std::string name;  // "test.my.proc"
  std::vector<Param> inputs, outputs;
  std::vector<std::vector<Value>> rows;  // each: the inputs' values, then the outputs'
};
using TableProcedures = std::vector<std::shared_ptr<const TableProcedure>>;

// A table procedure from its signature, "test.my.proc(name :: STRING?, in ::
// INTEGER?) :: (out :: INTEGER?)" (`:: ()` for one without outputs), and its
// rows as a JSON array of arrays, inputs then outputs. InvalidArgument says
// what is wrong.
Result<std::shared_ptr<const TableProcedure>> MakeTableProcedure(std::string_view signature,
                                                                 std::string_view rows_json);

class PreparedQuery {
 public:
  // InvalidArgument with the error described above for a query that is
  // not valid Cypher, nests deeper than kMaxNesting, or uses what this
  // implementation lacks. Takes time linear in the text; `interrupt` stops
  // it (Interrupt::Stopped()).
  // `procedures` adds table procedures to the built-in ones (a built-in
  // wins over one of the same name).
  static Result<std::shared_ptr<const PreparedQuery>> Prepare(
      std::string_view text, const Interrupt& interrupt = Interrupt::Never(),
      const TableProcedures& procedures = {});
  ~PreparedQuery();

  const std::string& text() const { return text_; }
  // The names of the columns a run returns, in order (none for a query
  // that ends with a write and no RETURN).
  const std::vector<std::string>& columns() const;
  // The parameters it uses, sorted.
  const std::vector<std::string>& parameters() const { return parameters_; }
  // Whether it has CREATE, MERGE, SET, REMOVE or DELETE.
  bool writes() const;
  // Whether the text starts with EXPLAIN: running it then returns the plan.
  bool explain() const;

  const Query& ast() const { return *ast_; }

 private:
  PreparedQuery() = default;
  std::string text_;
  std::unique_ptr<Query> ast_;
  std::vector<std::string> parameters_;
  // The table procedures the query may call (the syntax tree points into it).
  std::shared_ptr<const void> procedures_;
};

// Where a query runs.
struct Target {
  // What the query reads. For a query that writes, the transaction itself.
  const GraphView* view = nullptr;
  // Where writes go. A query that writes fails without one.
  Transaction* txn = nullptr;
  // The graph `view` reads, when it reads the committed state: lets the
  // planner traverse a CSR snapshot (Db::Csr) instead of the stored
  // adjacency. Leave it null when `view` has uncommitted writes.
  const Db* db = nullptr;
};

// The default of RunOptions::memory_limit: 2 GiB.
inline constexpr uint64_t kDefaultMemoryLimit = uint64_t{2} << 30;

struct RunOptions {
  // kAuto: a CSR snapshot when one is cached or the plan reads many
  // relationships, else the stored adjacency. The others force a choice
  // (kCsr needs Target::db), for tests and benchmarks.
  enum class Adjacency { kAuto, kCsr, kStored };
  Adjacency adjacency = Adjacency::kAuto;
  // Stops a long query: Next() then fails with kInterrupted.
  const Interrupt* interrupt = nullptr;
  // The most working memory, in bytes, the run may hold: the rows a sort
  // or a write keeps, groups and collect() lists, what DISTINCT remembers,
  // the trails a variable-length pattern follows, and the lists and
  // strings its expressions build. Counted approximately (cypher/src/
  // memory.h); memory-mapped snapshots do not count. Past it the run fails
  // (Execute for a query that writes, else Next) with InvalidArgument:
  //   the Cypher statement used more than 2 GiB of working memory
  //   (memory_limit: ...); <memory_limit_hint>
  uint64_t memory_limit = kDefaultMemoryLimit;
  // How the caller's users raise the limit, the end of that message.
  std::string memory_limit_hint = "raise RunOptions::memory_limit";
};

// The rows of one run. A query that writes has run to the end (and made
// all its writes) when Execute returns; a read query computes its rows as
// Next() asks for them, so a caller that stops early saves the rest.
class Cursor {
 public:
  virtual ~Cursor() = default;
  // Moves to the next row: false when there is none.
  virtual Result<bool> Next() = 0;
  // The current row, one value per column. REQUIRES: Next() gave true.
  virtual const std::vector<Value>& row() const = 0;
  virtual const std::vector<std::string>& columns() const = 0;
  // A value as JSON text. Nodes are {"id":..,"key":..,"labels":[..],
  // "properties":{..}}, relationships {"id":..,"type":..,"start":<key>,
  // "end":<key>,"properties":{..}}, paths {"nodes":[..],"relationships":[..]}.
  // NaN is written as null, the infinities as 1e999 and -1e999.
  virtual Result<std::string> Json(const Value& v) = 0;
  // The current row as a JSON object, {"column": value, ...}, in column order.
  virtual Result<std::string> RowJson() = 0;
};

Result<std::unique_ptr<Cursor>> Execute(std::shared_ptr<const PreparedQuery> query,
                                        const Target& target, const Parameters& params,
                                        const RunOptions& options = {});

// The plan Execute would run, as text lines (one operator per line, the
// root first, inputs indented below), with the planner's row estimates,
// whether it reads a CSR snapshot, and warnings about labels, types and
// sectors the graph has never seen.
Result<std::vector<std::string>> Explain(std::shared_ptr<const PreparedQuery> query,
                                         const Target& target, const Parameters& params,
                                         const RunOptions& options = {});

}  // namespace samverkan::cypher
