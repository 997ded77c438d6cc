// SpecFilter: which nodes and edges a CsrSpec keeps, decided one record at
// a time. CsrGraph::Build and CsrGraph::Patched both filter through it, so
// a patched snapshot keeps exactly what a build of the same spec would.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "samverkan/csr.h"
#include "samverkan/schema.h"
#include "samverkan/types.h"

namespace samverkan {

// The spec's kinds and types resolved against `schema` (names it does not
// hold keep nothing).
class SpecFilter {
 public:
  SpecFilter(const Schema& schema, const CsrSpec& spec) : spec_(spec) {
    kinds_ = Resolve(schema, SymbolSpace::kKind, spec.node_kinds);
    types_ = Resolve(schema, SymbolSpace::kEdgeType, spec.edge_types);
    if (spec.year) {
      year_ = Validity{Date::FromYmd(*spec.year, 1, 1), Date::FromYmd(*spec.year, 12, 31)};
    }
  }

  bool KeepsKind(SymbolId kind) const {
    return spec_.node_kinds.empty() || std::binary_search(kinds_.begin(), kinds_.end(), kind);
  }
  // Whether the spec keeps an edge of kept endpoints: its type, valid_on
  // and year.
  bool KeepsEdge(const EdgeRef& e) const {
    if (!spec_.edge_types.empty() && !std::binary_search(types_.begin(), types_.end(), e.type)) {
      return false;
    }
    if (spec_.valid_on && !e.validity.Contains(*spec_.valid_on)) return false;
    if (year_ && ((e.validity.to && *e.validity.to < *year_->from) ||
                  (e.validity.from && *year_->to < *e.validity.from))) {
      return false;  // the validity ends before the year starts or starts after it ends
    }
    return true;
  }

 private:
  static std::vector<SymbolId> Resolve(const Schema& schema, SymbolSpace space,
                                       const std::vector<std::string>& names) {
    std::vector<SymbolId> ids;
    for (const auto& n : names) {
      if (auto id = schema.Find(space, n)) ids.push_back(*id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  const CsrSpec& spec_;
  std::vector<SymbolId> kinds_, types_;
  std::optional<Validity> year_;
};

}  // namespace samverkan
