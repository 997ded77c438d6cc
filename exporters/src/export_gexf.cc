// GEXF 1.2draft export (the version Gephi and NetworkX read), for Gephi:
// node label = name, edge label = type, the other fields and the properties
// as typed <attribute>s; the default drawing's layout, sizes and sector
// colours as viz elements; validity as each edge's start and end (a
// dynamic graph, for Gephi's timeline, when any edge is dated; else static).
#include <algorithm>
#include <charconv>

#include "drawing_model.h"
#include "export_common.h"

namespace samverkan::exporters {
using pictures::Drawing;
using pictures::DrawnNode;
using pictures::MakeDrawing;
using pictures::Num;
namespace {

using nlohmann::json;

std::string_view GexfType(PropType t) {
  switch (t) {
    case PropType::kLong: return "long";
    case PropType::kDouble: return "double";
    case PropType::kBoolean: return "boolean";
    default: return "string";
  }
}

void Attribute(std::ostream& out, int id, std::string_view title, std::string_view type) {
  out << "      <attribute id=\"" << id << "\" title=\"" << XmlEscape(title) << "\" type=\""
      << type << "\"/>\n";
}

// The <attributes> of a class: the fixed ones (title, type), numbered from
// 0, then one per property column.
void Attributes(std::ostream& out, std::string_view cls,
                std::initializer_list<std::pair<std::string_view, std::string_view>> fixed,
                const std::vector<PropColumn>& columns) {
  out << "    <attributes class=\"" << cls << "\">\n";
  int id = 0;
  for (const auto& [title, type] : fixed) Attribute(out, id++, title, type);
  for (const PropColumn& c : columns) Attribute(out, id++, c.column, GexfType(c.type));
  out << "    </attributes>\n";
}

void Value(std::ostream& out, int id, std::string_view value) {
  out << "          <attvalue for=\"" << id << "\" value=\"" << XmlEscape(value) << "\"/>\n";
}

void Viz(std::ostream& out, const NodeLook& look) {
  out << "        <viz:position x=\"" << Num(look.x, 2) << "\" y=\"" << Num(look.y, 2)
      << "\" z=\"0\"/>\n        <viz:color r=\"" << look.r << "\" g=\"" << look.g << "\" b=\""
      << look.b << "\"/>\n        <viz:size value=\"" << Num(look.size, 2) << "\"/>\n";
}

}  // namespace

Result<NodeLooks> DefaultLooks(const GraphView& view, const Interrupt& interrupt) {
  // Every node of the file needs a place, the untied ones too: the drawing
  // of `draw --isolates`, which packs them beside the network.
  DrawingOptions options;
  options.isolates = true;
  SV_ASSIGN_OR_RETURN(Drawing d, MakeDrawing(view, options, interrupt));
  NodeLooks looks;
  looks.reserve(d.nodes.size());
  for (const DrawnNode& n : d.nodes) {
    NodeLook look{n.x, -n.y, n.r};  // the canvas's y grows downwards, Gephi's upwards
    const std::string& color = d.legend[n.group].color;  // "#rrggbb"
    int* channel[] = {&look.r, &look.g, &look.b};
    for (size_t c = 0; c < 3 && color.size() == 7; ++c) {
      std::from_chars(color.data() + 1 + 2 * c, color.data() + 3 + 2 * c, *channel[c], 16);
    }
    looks.emplace(n.key, look);
  }
  return looks;
}

Status WriteGexf(const GraphData& g, const NodeLooks& looks, std::ostream& out) {
  // Dynamic (Gephi's timeline) only when some edge is dated: a static graph
  // opened in Gephi has no timeline to offer.
  const bool dated = std::any_of(g.edges.begin(), g.edges.end(), [](const Edge& e) {
    return e.validity.from.has_value() || e.validity.to.has_value();
  });
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<gexf xmlns=\"http://www.gexf.net/1.2draft\" "
         "xmlns:viz=\"http://www.gexf.net/1.2draft/viz\" version=\"1.2\">\n"
         "  <meta><creator>samverkan</creator></meta>\n"
      << (dated ? "  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">\n"
                : "  <graph defaultedgetype=\"directed\" mode=\"static\">\n");
  // Node attributes: 0 kind, 1 sector, 2 aliases, 3 sources, then properties.
  auto ncols = InferColumns(g.node_props, {"kind", "label", "sector", "aliases", "sources"});
  Attributes(out, "node",
             {{"kind", "string"}, {"sector", "string"}, {"aliases", "string"},
              {"sources", "string"}},
             ncols);
  // Edge attributes: 0 type, 1 rank, 2 valid_from, 3 valid_to, 4 sources, then properties.
  auto ecols = InferColumns(g.edge_props, {"type", "rank", "valid_from", "valid_to", "sources"});
  Attributes(out, "edge",
             {{"type", "string"}, {"rank", "long"}, {"valid_from", "string"},
              {"valid_to", "string"}, {"sources", "string"}},
             ecols);
  out << "    <nodes>\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    out << "      <node id=\"" << XmlEscape(n.key) << "\" label=\"" << XmlEscape(n.name)
        << "\">\n        <attvalues>\n";
    Value(out, 0, n.kind);
    if (!n.sector.empty()) Value(out, 1, n.sector);
    if (!n.aliases.empty()) Value(out, 2, json(n.aliases).dump());
    if (!n.sources.empty()) Value(out, 3, json(g.Keys(n.sources)).dump());
    for (size_t c = 0; c < ncols.size(); ++c) {
      auto it = g.node_props[i].find(ncols[c].prop);
      if (it != g.node_props[i].end()) Value(out, static_cast<int>(4 + c), ValueText(*it));
    }
    out << "        </attvalues>\n";
    if (auto look = looks.find(n.key); look != looks.end()) Viz(out, look->second);
    out << "      </node>\n";
  }
  out << "    </nodes>\n    <edges>\n";
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const Edge& e = g.edges[i];
    out << "      <edge id=\"" << e.id << "\" source=\"" << XmlEscape(g.Key(e.src))
        << "\" target=\"" << XmlEscape(g.Key(e.dst)) << "\" label=\"" << XmlEscape(e.type)
        << "\"";
    if (e.weight) out << " weight=\"" << json(*e.weight).dump() << "\"";
    if (e.validity.from) out << " start=\"" << e.validity.from->ToString() << "\"";
    if (e.validity.to) out << " end=\"" << e.validity.to->ToString() << "\"";
    out << ">\n        <attvalues>\n";
    Value(out, 0, e.type);
    Value(out, 1, std::to_string(e.rank));
    if (e.validity.from) Value(out, 2, e.validity.from->ToString());
    if (e.validity.to) Value(out, 3, e.validity.to->ToString());
    if (!e.sources.empty()) Value(out, 4, json(g.Keys(e.sources)).dump());
    for (size_t c = 0; c < ecols.size(); ++c) {
      auto it = g.edge_props[i].find(ecols[c].prop);
      if (it != g.edge_props[i].end()) Value(out, static_cast<int>(5 + c), ValueText(*it));
    }
    out << "        </attvalues>\n      </edge>\n";
  }
  out << "    </edges>\n  </graph>\n</gexf>\n";
  return Status::OK();
}

}  // namespace samverkan::exporters
