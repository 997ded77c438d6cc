#include "export_common.h"

#include <set>
#include <string>

namespace samverkan::exporters {

using nlohmann::json;

std::vector<std::string> GraphData::Keys(const std::vector<NodeId>& ids) const {
  std::vector<std::string> keys;
  for (NodeId id : ids) keys.push_back(Key(id));
  return keys;
}

Result<GraphData> LoadGraph(const GraphView& view, const Interrupt& interrupt) {
  GraphData g;
  auto nodes = view.Nodes();
  for (; nodes->Valid(); nodes->Next()) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    g.index.emplace(nodes->node().id, g.nodes.size());
    g.nodes.push_back(nodes->node());
    g.node_props.push_back(json::parse(g.nodes.back().props));
  }
  SV_RETURN_IF_ERROR(nodes->status());
  auto edges = view.AllEdges();
  for (; edges->Valid(); edges->Next()) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    SV_ASSIGN_OR_RETURN(Edge e, edges->Load());
    for (NodeId end : {e.src, e.dst}) {
      if (!g.index.contains(end)) {
        return Status::Corruption("the graph is damaged: edge " + std::to_string(e.id) +
                                  " joins node " + std::to_string(end) +
                                  ", which cannot be read; run `samverkan check`");
      }
    }
    g.edge_props.push_back(json::parse(e.props));
    g.edges.push_back(std::move(e));
  }
  SV_RETURN_IF_ERROR(edges->status());
  return g;
}

std::vector<PropColumn> InferColumns(const std::vector<json>& props,
                                     const std::vector<std::string_view>& reserved) {
  std::map<std::string, PropType> types;
  for (const auto& obj : props) {
    for (const auto& [name, v] : obj.items()) {
      PropType t = v.is_number_integer() && !(v.is_number_unsigned() &&
                                              v.get<uint64_t>() > INT64_MAX)
                       ? PropType::kLong
                   : v.is_number_float() ? PropType::kDouble
                   : v.is_boolean()      ? PropType::kBoolean
                   : v.is_string()       ? PropType::kString
                                         : PropType::kJson;
      auto [it, fresh] = types.emplace(name, t);
      if (!fresh && it->second != t) it->second = PropType::kJson;
    }
  }
  std::vector<PropColumn> out;
  for (const auto& [name, t] : types) {
    bool clash = name.starts_with("props.");
    for (auto r : reserved) clash |= name == r;
    out.push_back({name, clash ? "props." + name : name, t});
  }
  return out;
}

std::string_view PropTypeName(PropType type) {
  switch (type) {
    case PropType::kLong: return "long";
    case PropType::kDouble: return "double";
    case PropType::kBoolean: return "boolean";
    case PropType::kString: return "string";
    case PropType::kJson: return "json";
  }
  return "string";
}

std::string ValueText(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default:
        // Control characters other than tab and line breaks are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\xEF\xBF\xBD";  // U+FFFD
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace samverkan::exporters
