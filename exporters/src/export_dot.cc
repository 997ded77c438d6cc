// DOT (Graphviz) export: node label = name, edge label = type; kind,
// sector, weight and the properties as quoted attributes.
#include "export_common.h"

namespace samverkan::exporters {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

void Attrs(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& attrs) {
  out << " [";
  for (size_t i = 0; i < attrs.size(); ++i) {
    out << (i ? ", " : "") << Quote(attrs[i].first) << "=" << Quote(attrs[i].second);
  }
  out << "];\n";
}

void AddProps(const nlohmann::json& props, std::vector<std::pair<std::string, std::string>>* attrs) {
  for (const auto& [name, v] : props.items()) attrs->emplace_back("props." + name, ValueText(v));
}

}  // namespace

Status WriteDot(const GraphData& g, std::ostream& out) {
  out << "digraph samverkan {\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    std::vector<std::pair<std::string, std::string>> attrs = {{"label", n.name}, {"kind", n.kind}};
    if (!n.sector.empty()) attrs.emplace_back("sector", n.sector);
    AddProps(g.node_props[i], &attrs);
    out << "  " << Quote(n.key);
    Attrs(out, attrs);
  }
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const Edge& e = g.edges[i];
    std::vector<std::pair<std::string, std::string>> attrs = {{"label", e.type}};
    if (e.rank != 0) attrs.emplace_back("rank", std::to_string(e.rank));
    if (e.weight) attrs.emplace_back("weight", nlohmann::json(*e.weight).dump());
    if (e.validity.from) attrs.emplace_back("valid_from", e.validity.from->ToString());
    if (e.validity.to) attrs.emplace_back("valid_to", e.validity.to->ToString());
    AddProps(g.edge_props[i], &attrs);
    out << "  " << Quote(g.Key(e.src)) << " -> " << Quote(g.Key(e.dst));
    Attrs(out, attrs);
  }
  out << "}\n";
  return Status::OK();
}

}  // namespace samverkan::exporters
