// The scans that fill a CsrGraph's property columns (property_column.cc).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "samverkan/csr.h"
#include "samverkan/property_column.h"

namespace samverkan {

// Bytes of a string column's code for a dictionary of `dictionary_size`
// strings: 1, 2 or 4, the fewest that hold every code.
unsigned CodeWidth(size_t dictionary_size);

// REQUIRES: `view` is the state `csr` was built from.
Result<std::shared_ptr<const PropertyColumn>> BuildNodeColumn(const GraphView& view,
                                                              const CsrGraph& csr,
                                                              NodeField field,
                                                              const std::string& key,
                                                              const Interrupt& interrupt);
Result<std::shared_ptr<const PropertyColumn>> BuildEdgeColumn(const GraphView& view,
                                                              const CsrGraph& csr,
                                                              EdgeField field,
                                                              const std::string& key,
                                                              const Interrupt& interrupt);

// The columns of `keys` and of other props keys of the nodes (or the
// edges) that the first rows hold, from one scan: one parse of each row's
// JSON serves them all. Every one of `keys` is built, first and in order;
// how many others come along shrinks as the graph grows (PropsColumns in
// property_column.cc).
Result<std::vector<std::pair<std::string, std::shared_ptr<const PropertyColumn>>>>
BuildPropsColumns(const GraphView& view, const CsrGraph& csr, bool edges,
                  std::span<const std::string> keys, const Interrupt& interrupt);

// A column of the snapshot CsrGraph::Patched makes, from the base's
// `column`: new row r holds old row old_row[r], or, where that is
// UINT32_MAX, the value of the record listed for r in `written` (by row,
// ascending). Equal to a column built afresh over the new snapshot, or null
// when that would take more than moving rows (a value of another type, a
// JSON column whose values changed): it is then built again on first use.
std::shared_ptr<const PropertyColumn> PatchNodeColumn(
    const PropertyColumn& column, NodeField field, const std::string& key,
    std::span<const uint32_t> old_row, const std::vector<std::pair<uint32_t, Node>>& written);
std::shared_ptr<const PropertyColumn> PatchEdgeColumn(
    const PropertyColumn& column, EdgeField field, const std::string& key,
    std::span<const uint32_t> old_row, const std::vector<std::pair<uint32_t, Edge>>& written);

}  // namespace samverkan
