#include "storage/inputs.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "samverkan/text.h"
#include "storage/json_props.h"

namespace samverkan::storage {
namespace {

template <typename T>
void AppendUnique(std::vector<T>* to, const T& value) {
  if (std::find(to->begin(), to->end(), value) == to->end()) to->push_back(value);
}

std::string Describe(const NodeRef& ref) {
  return ref.key.empty() ? fmt::format("#{}", ref.id) : ref.key;
}

}  // namespace

// Resolves sources without duplicates; errors name `what` (built lazily).
template <typename What>
Result<std::vector<NodeId>> ResolveSources(const std::vector<NodeRef>& refs, What what,
                                           const ResolveFn& resolve) {
  std::vector<NodeId> ids;
  for (const auto& ref : refs) {
    auto id = resolve(ref);
    if (!id.ok()) return id.status().WithContext(fmt::format("source of {}", what()));
    AppendUnique(&ids, *id);
  }
  return ids;
}

Result<NodeRecord> MakeNodeRecord(const NodeInput& in, const std::optional<NodeRecord>& old,
                                  bool merge, PendingSymbols& symbols, const ResolveFn& resolve) {
  if (in.key.empty()) return Status::InvalidArgument("node key is empty");
  if (auto defect = TextDefect(in.key); !defect.empty()) {
    return Status::InvalidArgument(
        fmt::format("node key '{}' {}", EscapeForMessage(in.key), defect));
  }
  // Built only for a message: bulk loads make millions of records.
  auto what = [&] { return fmt::format("node '{}'", in.key); };
  if (auto defect = TextDefect(in.name); !defect.empty()) {
    return Status::InvalidArgument(fmt::format("name of {} {}", what(), defect));
  }
  if (auto defect = TextDefect(in.kind); !defect.empty()) {
    return Status::InvalidArgument(fmt::format("kind of {} {}", what(), defect));
  }
  for (const auto& alias : in.aliases) {
    if (auto defect = TextDefect(alias); !defect.empty()) {
      return Status::InvalidArgument(fmt::format("an alias of {} {}", what(), defect));
    }
  }
  SV_ASSIGN_OR_RETURN(std::string props,
                      NormalizeProps(in.props, [&] { return "properties of " + what(); }));
  SymbolId sector = 0;
  if (!in.sector.empty()) {
    auto found = symbols.Find(SymbolSpace::kSector, in.sector);
    if (!found) {
      return Status::InvalidArgument(fmt::format(
          "unknown sector '{}' for {}; the graph's sectors are: {}", in.sector, what(),
          fmt::join(symbols.Names(SymbolSpace::kSector), ", ")));
    }
    sector = *found;
  }
  SV_ASSIGN_OR_RETURN(std::vector<NodeId> sources,
                      ResolveSources(in.sources, what, resolve));
  if (!old && in.kind.empty()) {
    return Status::InvalidArgument(fmt::format("new {} needs a kind", what()));
  }

  NodeRecord rec;
  if (merge && old) {
    rec = *old;
    if (!in.name.empty()) rec.name = in.name;
    if (sector != 0) rec.sector = sector;
    for (const auto& alias : in.aliases) AppendUnique(&rec.aliases, alias);
    for (NodeId s : sources) AppendUnique(&rec.sources, s);
    rec.props = MergeProps(old->props, props);
  } else {
    rec.name = in.name.empty() ? in.key : in.name;
    rec.sector = sector;
    for (const auto& alias : in.aliases) AppendUnique(&rec.aliases, alias);
    rec.sources = std::move(sources);
    rec.props = std::move(props);
    if (old) rec.kind = old->kind;  // replaced below when a kind is given
  }
  rec.key = in.key;
  if (!in.kind.empty()) rec.kind = symbols.Intern(SymbolSpace::kKind, in.kind);
  if (old) rec.batch = old->batch;
  return rec;
}

std::string DescribeEdge(const EdgeInput& in) {
  return fmt::format("edge {} -{}-> {}", Describe(in.src), in.type, Describe(in.dst));
}

Result<std::string> CheckEdgeInput(const EdgeInput& in) {
  auto what = [&] { return DescribeEdge(in); };
  if (in.type.empty()) return Status::InvalidArgument(fmt::format("{}: type is empty", what()));
  if (auto defect = TextDefect(in.type); !defect.empty()) {
    return Status::InvalidArgument(fmt::format("{}: type {}", what(), defect));
  }
  if (in.weight && !std::isfinite(*in.weight)) {
    return Status::InvalidArgument(fmt::format("{}: weight must be a finite number", what()));
  }
  if (in.validity.from && in.validity.to && *in.validity.to < *in.validity.from) {
    return Status::InvalidArgument(fmt::format("{}: valid_to {} is before valid_from {}", what(),
                                               in.validity.to->ToString(),
                                               in.validity.from->ToString()));
  }
  if (in.props.empty()) return std::string();
  return NormalizeProps(in.props, [&] { return "properties of " + what(); });
}

Result<EdgeEnds> ResolveEdgeEnds(const EdgeInput& in, const ResolveFn& resolve) {
  auto what = [&] { return DescribeEdge(in); };
  auto src = resolve(in.src);
  if (!src.ok()) return src.status().WithContext(what());
  auto dst = resolve(in.dst);
  if (!dst.ok()) return dst.status().WithContext(what());
  EdgeEnds ends{*src, *dst, {}};
  if (!in.sources.empty()) {
    SV_ASSIGN_OR_RETURN(ends.sources, ResolveSources(in.sources, what, resolve));
  }
  return ends;
}

Result<std::set<std::string>> FoldedNames(const NodeRecord& rec) {
  std::set<std::string> out;
  SV_ASSIGN_OR_RETURN(std::string name, FoldName(rec.name));
  if (!name.empty()) out.insert(std::move(name));
  for (const auto& alias : rec.aliases) {
    SV_ASSIGN_OR_RETURN(std::string folded, FoldName(alias));
    if (!folded.empty()) out.insert(std::move(folded));
  }
  return out;
}

}  // namespace samverkan::storage
