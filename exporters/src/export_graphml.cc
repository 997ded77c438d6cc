// GraphML export: directed, with a typed <key> per attribute. NetworkX's
// read_graphml and igraph's Graph.Read_GraphML read it with all attributes
// (tests/importers/test_export_python.py checks both).
#include "export_common.h"

namespace samverkan::exporters {
namespace {

using nlohmann::json;

std::string_view GraphmlType(PropType t) {
  switch (t) {
    case PropType::kLong: return "long";
    case PropType::kDouble: return "double";
    case PropType::kBoolean: return "boolean";
    default: return "string";
  }
}

struct KeyWriter {
  std::ostream& out;
  int next = 0;
  std::string Add(std::string_view domain, std::string_view name, std::string_view type) {
    std::string id = "d" + std::to_string(next++);
    out << "  <key id=\"" << id << "\" for=\"" << domain << "\" attr.name=\"" << XmlEscape(name)
        << "\" attr.type=\"" << type << "\"/>\n";
    return id;
  }
};

void Data(std::ostream& out, const std::string& key, std::string_view value) {
  out << "      <data key=\"" << key << "\">" << XmlEscape(value) << "</data>\n";
}

}  // namespace

Status WriteGraphml(const GraphData& g, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  bool any_sector = false, any_aliases = false, any_nsources = false;
  for (const auto& n : g.nodes) {
    any_sector |= !n.sector.empty();
    any_aliases |= !n.aliases.empty();
    any_nsources |= !n.sources.empty();
  }
  bool any_rank = false, any_weight = false, any_from = false, any_to = false, any_esources = false;
  for (const auto& e : g.edges) {
    any_rank |= e.rank != 0;
    any_weight |= e.weight.has_value();
    any_from |= e.validity.from.has_value();
    any_to |= e.validity.to.has_value();
    any_esources |= !e.sources.empty();
  }
  KeyWriter keys{out};
  std::string k_kind = keys.Add("node", "kind", "string");
  std::string k_name = keys.Add("node", "name", "string");
  std::string k_sector = any_sector ? keys.Add("node", "sector", "string") : "";
  std::string k_aliases = any_aliases ? keys.Add("node", "aliases", "string") : "";
  std::string k_nsources = any_nsources ? keys.Add("node", "sources", "string") : "";
  auto ncols = InferColumns(g.node_props, {"kind", "name", "label", "sector", "aliases", "sources"});
  std::vector<std::string> nkeys;
  for (const auto& c : ncols) nkeys.push_back(keys.Add("node", c.column, GraphmlType(c.type)));
  std::string k_type = keys.Add("edge", "type", "string");
  std::string k_rank = any_rank ? keys.Add("edge", "rank", "long") : "";
  std::string k_weight = any_weight ? keys.Add("edge", "weight", "double") : "";
  std::string k_from = any_from ? keys.Add("edge", "valid_from", "string") : "";
  std::string k_to = any_to ? keys.Add("edge", "valid_to", "string") : "";
  std::string k_esources = any_esources ? keys.Add("edge", "sources", "string") : "";
  auto ecols = InferColumns(g.edge_props, {"type", "label", "rank", "weight", "valid_from",
                                           "valid_to", "sources"});
  std::vector<std::string> ekeys;
  for (const auto& c : ecols) ekeys.push_back(keys.Add("edge", c.column, GraphmlType(c.type)));

  out << "  <graph id=\"G\" edgedefault=\"directed\">\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    out << "    <node id=\"" << XmlEscape(n.key) << "\">\n";
    Data(out, k_kind, n.kind);
    Data(out, k_name, n.name);
    if (!n.sector.empty()) Data(out, k_sector, n.sector);
    if (!n.aliases.empty()) Data(out, k_aliases, json(n.aliases).dump());
    if (!n.sources.empty()) Data(out, k_nsources, json(g.Keys(n.sources)).dump());
    for (size_t c = 0; c < ncols.size(); ++c) {
      auto it = g.node_props[i].find(ncols[c].prop);
      if (it != g.node_props[i].end()) Data(out, nkeys[c], ValueText(*it));
    }
    out << "    </node>\n";
  }
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const Edge& e = g.edges[i];
    out << "    <edge id=\"e" << e.id << "\" source=\"" << XmlEscape(g.Key(e.src))
        << "\" target=\"" << XmlEscape(g.Key(e.dst)) << "\">\n";
    Data(out, k_type, e.type);
    if (any_rank) Data(out, k_rank, std::to_string(e.rank));
    if (e.weight) Data(out, k_weight, json(*e.weight).dump());
    if (e.validity.from) Data(out, k_from, e.validity.from->ToString());
    if (e.validity.to) Data(out, k_to, e.validity.to->ToString());
    if (!e.sources.empty()) Data(out, k_esources, json(g.Keys(e.sources)).dump());
    for (size_t c = 0; c < ecols.size(); ++c) {
      auto it = g.edge_props[i].find(ecols[c].prop);
      if (it != g.edge_props[i].end()) Data(out, ekeys[c], ValueText(*it));
    }
    out << "    </edge>\n";
  }
  out << "  </graph>\n</graphml>\n";
  return Status::OK();
}

}  // namespace samverkan::exporters
