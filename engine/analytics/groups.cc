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
  void Set(uint32_t v, const std::string& name) {
    auto [it, added] = ids_.emplace(name, static_cast<int32_t>(ids_.size()));
    temp_[v] = it->second;
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
    return g;
  }

 private:
  std::vector<int32_t> temp_;
  std::map<std::string, int32_t> ids_;
};

}  // namespace

Result<NodeGroups> GroupNodes(const GraphView& view, const CsrGraph& csr,
                              std::string_view attribute) {
  const uint32_t n = csr.num_nodes();
  const Schema& schema = view.schema();
  GroupBuilder groups(n);
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
      std::map<NodeId, std::string> keys;
      for (uint32_t v = 0; v < n; ++v) {
        auto edges = view.Edges(csr.node_id(v), Direction::kOut, *located_in);
        if (edges->Valid()) {
          NodeId region = edges->edge().dst;
          auto it = keys.find(region);
          if (it == keys.end()) {
            SV_ASSIGN_OR_RETURN(Node node, view.GetNode(region));
            it = keys.emplace(region, node.key).first;
          }
          groups.Set(v, it->second);
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
