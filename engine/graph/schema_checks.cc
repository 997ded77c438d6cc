// CheckEdgeTypes and CheckKinds (samverkan/schema.h).
#include "samverkan/schema.h"

namespace samverkan {
namespace {

Status CheckNames(const Schema& schema, SymbolSpace space, const std::vector<std::string>& names,
                  std::string_view what, std::string_view noun) {
  if (names.empty()) return Status::OK();
  for (const auto& name : names) {
    if (schema.Find(space, name)) return Status::OK();
  }
  std::string known;
  for (const auto& k : schema.Names(space)) known += (known.empty() ? "" : ", ") + k;
  std::string unknown;
  for (const auto& n : names) unknown += (unknown.empty() ? "'" : ", '") + n + "'";
  return Status::InvalidArgument(std::string(what) + ": unknown " + std::string(noun) +
                                 (names.size() > 1 ? "s " : " ") + unknown + " (the graph has: " +
                                 (known.empty() ? std::string("none") : known) + ")");
}

}  // namespace

Status CheckEdgeTypes(const Schema& schema, const std::vector<std::string>& names,
                      std::string_view what) {
  return CheckNames(schema, SymbolSpace::kEdgeType, names, what, "edge type");
}

Status CheckKinds(const Schema& schema, const std::vector<std::string>& names,
                  std::string_view what) {
  return CheckNames(schema, SymbolSpace::kKind, names, what, "kind");
}

}  // namespace samverkan
