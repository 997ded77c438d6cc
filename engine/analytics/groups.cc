// GroupNodes: which group each node of a CSR belongs to, by sector, kind,
// region (located_in) or a property.
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "samverkan/analytics.h"

namespace samverkan {
namespace {

// Interns group names, then numbers them in name order.
class GroupBuilder {
 public:
  explicit GroupBuilder(uint32_t n) : temp_(n, -1) {}
  void Set(uint32_t v, const std::string& name) { temp_[v] = Intern(name); }
  // A further group of v (after Set).
  void Add(uint32_t v, const std::string& name) {
    if (more_.empty()) more_.resize(temp_.size());
    more_[v].push_back(Intern(name));
  }
  NodeGroups Finish() {
    NodeGroups g;
    std::vector<int32_t> rank(ids_.size());
    int32_t next = 0;
    for (const auto& [name, id] : ids_) {  // std::map: in name order
      rank[id] = next++;
      g.names.push_back(name);
    }
    g.group = std::move(temp_);
    for (int32_t& x : g.group) {
      if (x >= 0) x = rank[x];
    }
    // Several groups: the first by name in `group`, the rest in `more`.
    for (size_t v = 0; v < more_.size(); ++v) {
      if (more_[v].empty()) continue;
      std::vector<int32_t> all{g.group[v]};
      for (int32_t x : more_[v]) all.push_back(rank[x]);
      std::sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      g.group[v] = all.front();
      all.erase(all.begin());
      more_[v] = std::move(all);
    }
    g.more = std::move(more_);
    return g;
  }

 private:
  int32_t Intern(const std::string& name) {
    return ids_.emplace(name, static_cast<int32_t>(ids_.size())).first->second;
  }

  std::vector<int32_t> temp_;
  std::vector<std::vector<int32_t>> more_;
  std::map<std::string, int32_t> ids_;
};

// The group names of a node located in `region`: its key, or with a level
// the keys of its ancestors there, or "<key> (no <level>)" when it has none.
Result<std::vector<std::string>> RegionGroupNames(RegionLevels& levels, NodeId region) {
  SV_ASSIGN_OR_RETURN(std::string key, levels.KeyOf(region));
  if (levels.level().empty()) return std::vector<std::string>{key};
  SV_ASSIGN_OR_RETURN(std::vector<NodeId> up, levels.AncestorsAt(region));
  if (up.empty()) return std::vector<std::string>{key + " (no " + levels.level() + ")"};
  std::vector<std::string> names;
  for (NodeId a : up) {
    SV_ASSIGN_OR_RETURN(std::string name, levels.KeyOf(a));
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

Result<NodeGroups> GroupNodes(const GraphView& view, const CsrGraph& csr,
                              std::string_view attribute, std::string_view level) {
  const uint32_t n = csr.num_nodes();
  const Schema& schema = view.schema();
  GroupBuilder groups(n);
  if (!level.empty() && attribute != "region") {
    return Status::InvalidArgument("level applies to attribute 'region' only, not '" +
                                   std::string(attribute) + "'");
  }
  if (attribute == "sector" || attribute == "kind") {
    const bool sector = attribute == "sector";
    for (uint32_t v = 0; v < n; ++v) {
      SymbolId s = sector ? csr.sector(v) : csr.kind(v);
      if (s != 0) {
        groups.Set(v, std::string(schema.Name(sector ? SymbolSpace::kSector : SymbolSpace::kKind, s)));
      }
    }
  } else if (attribute == "region") {
    // Read from the stored graph: the CSR may leave out regions or
    // located_in edges.
    auto located_in = schema.EdgeType("located_in");
    if (located_in) {
      RegionLevels levels(view, std::string(level));
      // Per region: the names of its groups (one, or several parents).
      std::map<NodeId, std::vector<std::string>> names;
      for (uint32_t v = 0; v < n; ++v) {
        auto edges = view.Edges(csr.node_id(v), Direction::kOut, *located_in);
        if (edges->Valid()) {
          NodeId region = edges->edge().dst;
          auto it = names.find(region);
          if (it == names.end()) {
            SV_ASSIGN_OR_RETURN(std::vector<std::string> mine,
                                RegionGroupNames(levels, region));
            it = names.emplace(region, std::move(mine)).first;
          }
          groups.Set(v, it->second.front());
          for (size_t i = 1; i < it->second.size(); ++i) groups.Add(v, it->second[i]);
        }
        SV_RETURN_IF_ERROR(edges->status());
      }
    }
  } else if (attribute.starts_with("props.") && attribute.size() > 6) {
    const std::string name(attribute.substr(6));
    for (uint32_t v = 0; v < n; ++v) {
      SV_ASSIGN_OR_RETURN(Node node, view.GetNode(csr.node_id(v)));
      auto props = nlohmann::json::parse(node.props, nullptr, /*allow_exceptions=*/false);
      if (!props.is_object()) continue;
      auto it = props.find(name);
      if (it == props.end() || it->is_null()) continue;
      groups.Set(v, it->is_string() ? it->get<std::string>() : it->dump());
    }
  } else {
    return Status::InvalidArgument(
        "attribute must be 'sector', 'kind', 'region' or 'props.<name>', not '" +
        std::string(attribute) + "'");
  }
  return groups.Finish();
}

}  // namespace samverkan
