// CSV export in the header convention the CSV reader takes (csv_columns.h),
// so that an export imports back to exactly the same nodes and edges:
// empty unquoted cells are missing values, "" is an empty string, every
// property column has one type (json when its values mix types).
#include "csv_columns.h"
#include "export_common.h"

namespace samverkan::exporters {
namespace {

using nlohmann::json;

// RFC 4180 quoting, when needed; an empty string is always quoted so that
// it reads back as "" and not as a missing value.
void Cell(std::ostream& out, std::string_view text, bool first = false) {
  if (!first) out << ',';
  bool quote = text.empty() || text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out << text;
    return;
  }
  out << '"';
  for (char c : text) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}
void Missing(std::ostream& out) { out << ','; }

// A list of strings as string[] if ';' can separate it unambiguously, else json.
bool NeedsJsonList(const std::vector<std::string>& items) {
  for (const auto& s : items) {
    if (s.empty() || s.find(';') != std::string::npos) return true;
  }
  return items.size() == 1 && items[0].empty();
}
std::string ListCell(const std::vector<std::string>& items, bool as_json) {
  if (as_json) return json(items).dump();
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ";" : "") + items[i];
  return out;
}

// A property's header cell. A CSV file cannot hold a NUL, and a header needs
// a name: such names are written as props."<JSON string>" (csv_columns.h).
// The type is always written when the name has a ':', so that the reader's
// split at the last ':' finds it.
std::string ColumnHeader(const PropColumn& c) {
  bool quote = c.prop.empty() || c.prop.find('\0') != std::string::npos;
  std::string name = quote ? "props." + json(c.prop).dump() : c.column;
  bool typed = c.type != PropType::kString || name.find(':') != std::string::npos;
  return name + (typed ? ":" + std::string(PropTypeName(c.type)) : "");
}

// A string column with a NUL in a value becomes json, where the NUL is
// written as \u0000: a CSV file cannot hold the byte.
void JsonForNul(std::vector<PropColumn>& cols, const std::vector<json>& props) {
  for (auto& c : cols) {
    if (c.type != PropType::kString) continue;
    for (const auto& obj : props) {
      auto it = obj.find(c.prop);
      if (it != obj.end() && it->get_ref<const std::string&>().find('\0') != std::string::npos) {
        c.type = PropType::kJson;
        break;
      }
    }
  }
}

void PropCells(std::ostream& out, const std::vector<PropColumn>& cols, const json& props) {
  for (const auto& c : cols) {
    auto it = props.find(c.prop);
    if (it == props.end()) {
      Missing(out);
    } else {
      Cell(out, c.type == PropType::kString ? it->get<std::string>() : it->dump());
    }
  }
}

}  // namespace

Status WriteCsvNodes(const GraphData& g, std::ostream& out) {
  bool aliases_json = false, sources_json = false;
  std::vector<std::vector<std::string>> sources(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    aliases_json |= NeedsJsonList(g.nodes[i].aliases);
    sources[i] = g.Keys(g.nodes[i].sources);
    sources_json |= NeedsJsonList(sources[i]);
  }
  auto cols = InferColumns(g.node_props, {"name", "sector", "aliases", "sources"});
  JsonForNul(cols, g.node_props);
  out << ":ID,:LABEL,name,sector," << (aliases_json ? "aliases:json" : "aliases:string[]") << ','
      << (sources_json ? "sources:json" : "sources:string[]");
  for (const auto& c : cols) Cell(out, ColumnHeader(c));
  out << '\n';
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    Cell(out, n.key, true);
    Cell(out, n.kind);
    Cell(out, n.name);
    if (n.sector.empty()) Missing(out); else Cell(out, n.sector);
    if (n.aliases.empty()) Missing(out); else Cell(out, ListCell(n.aliases, aliases_json));
    if (sources[i].empty()) Missing(out); else Cell(out, ListCell(sources[i], sources_json));
    PropCells(out, cols, g.node_props[i]);
    out << '\n';
  }
  return Status::OK();
}

Status WriteCsvEdges(const GraphData& g, std::ostream& out) {
  bool sources_json = false;
  std::vector<std::vector<std::string>> sources(g.edges.size());
  for (size_t i = 0; i < g.edges.size(); ++i) {
    sources[i] = g.Keys(g.edges[i].sources);
    sources_json |= NeedsJsonList(sources[i]);
  }
  auto cols = InferColumns(g.edge_props, {"rank", "weight", "valid_from", "valid_to", "sources"});
  JsonForNul(cols, g.edge_props);
  out << ":START_ID,:END_ID,:TYPE,rank:int,weight:double,valid_from:date,valid_to:date,"
      << (sources_json ? "sources:json" : "sources:string[]");
  for (const auto& c : cols) Cell(out, ColumnHeader(c));
  out << '\n';
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const Edge& e = g.edges[i];
    Cell(out, g.Key(e.src), true);
    Cell(out, g.Key(e.dst));
    Cell(out, e.type);
    Cell(out, std::to_string(e.rank));
    if (e.weight) Cell(out, json(*e.weight).dump()); else Missing(out);
    if (e.validity.from) Cell(out, e.validity.from->ToString()); else Missing(out);
    if (e.validity.to) Cell(out, e.validity.to->ToString()); else Missing(out);
    if (sources[i].empty()) Missing(out); else Cell(out, ListCell(sources[i], sources_json));
    PropCells(out, cols, g.edge_props[i]);
    out << '\n';
  }
  return Status::OK();
}

}  // namespace samverkan::exporters
