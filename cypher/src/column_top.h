// ORDER BY … LIMIT over a CSR snapshot's property columns.
//
// A query such as
//
//   MATCH (a:actor)-[e:participates_in]->(p:project)
//   RETURN a.name AS actor, p.name AS project, e.contribution AS c
//   ORDER BY c DESC, actor, project LIMIT 10
//
// plans as NodeScan → Expand → Project → Sort (Top), which projects every
// relationship's row — three property reads and two strings — before the
// ten are chosen. When the Sort's input is a Project over a chain a
// ColumnSource handles (column_source.h) and each ORDER BY item is a
// property of a pattern variable (directly, or through a RETURN alias
// of one), the first `keep` rows are chosen here instead, in one loop over
// the snapshot: a heap of `keep` rows (as five numbers each) ordered by
// the columns' values (Reader::Order: numbers and dates on the arrays,
// strings by dictionary code), and only those rows are then bound and
// projected.
//
// The answer is the row path's: ORDER BY's order (nulls last ascending and
// first descending, mixed types by openCypher's order of types), ties kept
// in the row path's input order (the scan visits rows in that order), the
// same projected values. Anything else returns nullopt before anything is
// read, and SortOp pulls rows as usual.
#pragma once

#include <optional>
#include <vector>

#include "operators.h"

namespace samverkan::cypher {

// The first `keep` rows of `input` in the order of `keys` (each row
// `width` wide, as the Sort's input would have made it), or nullopt.
std::optional<std::vector<Row>> TopOverColumns(const Operator& input,
                                               const std::vector<SortKey>& keys, size_t keep,
                                               size_t width, ExecContext& ctx);

}  // namespace samverkan::cypher
