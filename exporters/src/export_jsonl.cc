// JSON Lines export: the nodes, then the edges, in the shape the JSON Lines
// reader takes (so an export imports back to the same graph).
#include "export_common.h"

namespace samverkan::exporters {

using nlohmann::ordered_json;

Status WriteJsonl(const GraphData& g, std::ostream& out) {
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    ordered_json j = {{"key", n.key}, {"kind", n.kind}, {"name", n.name}};
    if (!n.sector.empty()) j["sector"] = n.sector;
    if (!n.aliases.empty()) j["aliases"] = n.aliases;
    if (!g.node_props[i].empty()) j["props"] = g.node_props[i];
    if (!n.sources.empty()) j["sources"] = g.Keys(n.sources);
    out << j.dump() << '\n';
  }
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const Edge& e = g.edges[i];
    ordered_json j = {{"src", g.Key(e.src)}, {"type", e.type}, {"dst", g.Key(e.dst)}};
    if (e.rank != 0) j["rank"] = e.rank;
    if (e.weight) j["weight"] = *e.weight;
    if (e.validity.from) j["valid_from"] = e.validity.from->ToString();
    if (e.validity.to) j["valid_to"] = e.validity.to->ToString();
    if (!g.edge_props[i].empty()) j["props"] = g.edge_props[i];
    if (!e.sources.empty()) j["sources"] = g.Keys(e.sources);
    out << j.dump() << '\n';
  }
  return Status::OK();
}

}  // namespace samverkan::exporters
