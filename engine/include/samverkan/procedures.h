// The analytics procedures: one table that both front ends build on. The
// SQLite extension makes a table-valued function of each (kg_pagerank,
// ...), Cypher a procedure (CALL samverkan.pagerank({...}) YIELD node, rank).
// A procedure here is its name, its arguments (kind, bounds, choices), its
// result columns and a compute function over a CSR snapshot of the subgraph
// its arguments choose; nothing here knows how a front end spells a value.
//
//   const Procedure* pr = FindProcedure("pagerank");
//   std::vector<ProcValue> args(pr->args.size());   // all absent: defaults
//   args[*pr->ArgIndex("damping")] = 0.9;
//   SV_ASSIGN_OR_RETURN(ProcResult r, RunProcedure(*pr, args, view, db, interrupt));
//   // r.columns[0] holds dense node indexes (r.csr->node_id(v)), r.columns[1] ranks
//
// Arguments come in this order: the procedure's own, then the shared ones it
// takes (direction, weight, kinds), then types, valid_on and year (every
// procedure takes them), then the "late" ones (added after the others, so
// positional SQL calls written before keep working). The subgraph arguments
// (kinds, types, valid_on, year) decide which CSR snapshot is read; kinds and
// types the graph has never seen are errors naming the ones it has.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "samverkan/csr.h"
#include "samverkan/db.h"
#include "samverkan/graph_view.h"
#include "samverkan/interrupt.h"
#include "samverkan/result.h"

namespace samverkan {

// What an argument takes.
enum class ProcArgType : uint8_t {
  kNumber,  // a number in [min, max]
  kCount,   // a non-negative integer (at most 2^32 - 1)
  kBool,    // true/false; also 1/0 and the words true/false, yes/no, on/off
  kText,    // a string; one of `choices` when there are any
  kNames,   // a list of names (node kinds, edge types)
  kShares,  // node keys, each with a non-negative share (equal when not given)
  kDate,    // an ISO date, as text
  kYear,    // an integer year, 1 to 9999
  kKind,    // a node kind the graph has
};

// "number", "non-negative integer", "list of names", ...: for messages and
// reference tables.
const char* ProcArgTypeName(ProcArgType type);

using ProcNames = std::vector<std::string>;
using ProcShares = std::vector<std::pair<std::string, double>>;
// One argument as a front end hands it over; absent (monostate) means the
// default. A front end converts its own values to the nearest alternative
// (SQL text to a string, a Cypher list of strings to ProcNames, a map of
// numbers to ProcShares); RunProcedure checks them against the argument's
// type and says what is wrong.
using ProcValue =
    std::variant<std::monostate, bool, int64_t, double, std::string, ProcNames, ProcShares>;

// The value as it shows in a message: 'x', 2, 0.5, true, [a, b].
std::string ProcValueText(const ProcValue& value);

struct ProcArg {
  const char* name;
  ProcArgType type;
  const char* fallback;     // the default, as shown in references: "0.85", "NULL"
  const char* description;  // one line
  double min = 0, max = 0;  // kNumber
  std::vector<const char*> choices = {};  // kText
};

// What a result column holds.
enum class ProcColumnType : uint8_t {
  kNode,     // a node: dense indexes into ProcResult::csr
  kInteger,  // int64
  kNumber,   // double; NaN is an undefined measure (NULL/null)
  kText,     // string, or null
};
const char* ProcColumnTypeName(ProcColumnType type);

struct ProcColumn {
  const char* name;
  ProcColumnType type;
};

using ProcColumnValues = std::variant<std::vector<uint32_t>, std::vector<int64_t>,
                                      std::vector<double>, std::vector<std::optional<std::string>>>;

// The rows of one run, by column (in Procedure::columns' order).
struct ProcResult {
  std::shared_ptr<const CsrGraph> csr;  // what node columns index
  size_t rows = 0;
  std::vector<ProcColumnValues> columns;
};

class ProcCall;

struct Procedure {
  const char* name;         // "pagerank": kg_pagerank in SQL, samverkan.pagerank in Cypher
  const char* summary;      // one line
  std::vector<ProcColumn> columns;
  std::vector<ProcArg> args;  // in calling order (see above); use ArgIndex
  Result<ProcResult> (*compute)(const ProcCall& call);

  // The position of argument `name` in `args`, or nullopt.
  std::optional<size_t> ArgIndex(std::string_view name) const;
};

// Every analytics procedure, in the order of the references.
std::span<const Procedure* const> Procedures();
// The one named `name` ("pagerank"), or null.
const Procedure* FindProcedure(std::string_view name);

// Runs `proc` with `args` (one per Procedure::args, absent ones
// monostate) over `view`. `latest`: the Db whose latest committed state
// `view` shows, whose cached snapshots then serve the call; null when
// `view` has uncommitted writes or is an older state (a snapshot is then
// built from the view, so the result shows exactly what the view does).
// InvalidArgument names the argument: "damping must be a number between 0
// and 1, not 'x'", "kinds: unknown kind 'x' (the graph has: ...)".
// `interrupt` is polled in long loops.
Result<ProcResult> RunProcedure(const Procedure& proc, std::span<const ProcValue> args,
                                const GraphView& view, const Db* latest,
                                const Interrupt& interrupt);

// What a compute function is given: the checked arguments, the view and the
// snapshot of the subgraph.
class ProcCall {
 public:
  ProcCall(const Procedure& proc, std::span<const ProcValue> args, const GraphView& view,
           std::shared_ptr<const CsrGraph> csr, Direction direction, bool weighted,
           const Interrupt& interrupt)
      : proc_(proc),
        args_(args),
        view_(view),
        csr_(std::move(csr)),
        direction_(direction),
        weighted_(weighted),
        interrupt_(interrupt) {}

  const GraphView& view() const { return view_; }
  const CsrGraph& csr() const { return *csr_; }
  const std::shared_ptr<const CsrGraph>& csr_ptr() const { return csr_; }
  Direction direction() const { return direction_; }  // as given, default both
  bool weighted() const { return weighted_; }         // weight = 'weight'
  const Interrupt& interrupt() const { return interrupt_; }

  // Whether argument `name` was given.
  bool Has(std::string_view name) const;
  // The argument's value, or `fallback` when absent (already checked
  // against its type by RunProcedure).
  double Number(std::string_view name, double fallback) const;
  uint32_t Count(std::string_view name, uint32_t fallback) const;
  bool Bool(std::string_view name, bool fallback) const;
  std::string Text(std::string_view name, std::string_view fallback) const;
  ProcShares Shares(std::string_view name) const;

  // Result builders. One row per node of the snapshot, in dense-index
  // order: the node, then `columns`.
  ProcResult PerNode(std::vector<ProcColumnValues> columns) const;
  // One row per entry of `nodes` (node columns first, `nodes_per_row` of
  // them, flattened row by row), then `columns`.
  ProcResult Keyed(std::vector<uint32_t> nodes, int nodes_per_row,
                   std::vector<ProcColumnValues> columns) const;
  // Rows without node columns.
  ProcResult Plain(size_t rows, std::vector<ProcColumnValues> columns) const;

 private:
  const ProcValue& Arg(std::string_view name) const;

  const Procedure& proc_;
  std::span<const ProcValue> args_;
  const GraphView& view_;
  std::shared_ptr<const CsrGraph> csr_;
  Direction direction_;
  bool weighted_;
  const Interrupt& interrupt_;
};

// Widens counts and ids to result integers.
std::vector<int64_t> ProcInts(const std::vector<uint32_t>& values);
std::vector<int64_t> ProcInts(const std::vector<uint64_t>& values);

}  // namespace samverkan
