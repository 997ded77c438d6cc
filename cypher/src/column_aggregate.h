// Aggregations computed over a CSR snapshot's property columns.
//
// A query such as
//
//   MATCH (a:actor)-[e:participates_in]->(p:project)
//   WHERE e.role = 'coordinator' AND e.contribution >= 50000
//   RETURN a.country AS country, sum(e.contribution) AS total
//
// plans as NodeScan → Expand → Filter → Aggregate, which makes a row per
// relationship and reads each property through QueryGraph. When the input of
// an aggregation is a chain a ColumnSource handles (column_source.h: one
// node scan, at most one directed expansion, filters on properties), its
// keys are groupable properties of the pattern's variables or expressions
// of one such property (column_groups.h), and its aggregations are count,
// sum, avg, min and max of such properties (or count of a variable), and
// the query runs over a CSR snapshot, the aggregation is computed here
// instead: one loop over the snapshot's nodes or edge positions, groups
// found by dictionary codes, not strings, and the sums read from the
// column arrays.
//
// The answer is the row path's: the same rows in the same order (so sums of
// floats add in the same order), the same nulls, the same types. Anything
// it does not handle (other shapes, JSON columns under a comparison, a sum
// over strings, an integer overflow, blank nodes under key/name) returns
// nullopt, and the caller pulls rows as usual. A query with writes of its
// own never has a snapshot, so it never comes here.
#pragma once

#include <optional>
#include <vector>

#include "operators.h"

namespace samverkan::cypher {

// The groups of an aggregation, as AggregateOp keeps them: by group, the
// values of its keys and the state of each aggregation.
struct ColumnGroups {
  struct Accumulated {
    int64_t count = 0;       // rows (or non-null values, or distinct values) taken
    bool floating = false;   // sum/avg: the sum is fsum, else isum
    int64_t isum = 0;
    double fsum = 0;
    Value best;              // min/max
  };
  size_t n_groups = 0;
  std::vector<Value> keys;          // n_groups × keys
  std::vector<Accumulated> accs;    // n_groups × aggregations
};

// The aggregation of `input`'s rows by `keys`, or nullopt (see above).
std::optional<ColumnGroups> AggregateOverColumns(const Operator& input,
                                                 const std::vector<ProjectItem>& keys,
                                                 const std::vector<const Expr*>& aggregates,
                                                 const AggregateOptions& options,
                                                 ExecContext& ctx);

}  // namespace samverkan::cypher
