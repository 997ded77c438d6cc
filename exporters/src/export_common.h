// What the exporters share: the whole graph loaded once, property columns
// with one type each, escaping. Files are written through OutputFile
// (output_file.h).
#pragma once

#include <ostream>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "samverkan/graph_view.h"
#include "samverkan/interrupt.h"
#include "samverkan/result.h"

namespace samverkan::exporters {

struct GraphData {
  std::vector<Node> nodes;
  std::vector<nlohmann::json> node_props;  // parsed, parallel to nodes
  std::vector<Edge> edges;
  std::vector<nlohmann::json> edge_props;
  std::unordered_map<NodeId, size_t> index;  // node id -> position in nodes

  const std::string& Key(NodeId id) const { return nodes[index.at(id)].key; }
  std::vector<std::string> Keys(const std::vector<NodeId>& ids) const;
};

// Every node (in id order) and edge (by src, type, dst, rank) of `view`.
// Polls `interrupt` as it reads.
Result<GraphData> LoadGraph(const GraphView& view, const Interrupt& interrupt);

// The one type a property has across all records: long, double, boolean,
// string, or json when its values mix types or are arrays/objects.
enum class PropType { kLong, kDouble, kBoolean, kString, kJson };

struct PropColumn {
  std::string prop;    // the property's name
  std::string column;  // the name written: prop, or "props.<prop>" if it clashes
  PropType type;
};

// The properties of `props` (one object per record), sorted by name.
// Names in `reserved` are written as "props.<name>".
std::vector<PropColumn> InferColumns(const std::vector<nlohmann::json>& props,
                                     const std::vector<std::string_view>& reserved);

std::string_view PropTypeName(PropType type);  // "long", "double", ...

// A value as text: strings as they are, everything else as compact JSON.
std::string ValueText(const nlohmann::json& value);

// Text escaped for XML and HTML content and attributes (GraphML, GEXF, SVG,
// the HTML drawing and report); control characters XML forbids become U+FFFD.
std::string XmlEscape(std::string_view text);

// The writers, one per file.
Status WriteGraphml(const GraphData& g, std::ostream& out);
// How a node looks in Samverkan's default drawing: its place (y up, as
// Gephi has it), radius and colour (its sector's), for GEXF's viz elements.
struct NodeLook {
  double x = 0, y = 0, size = 0;
  int r = 0, g = 0, b = 0;
};
using NodeLooks = std::unordered_map<std::string, NodeLook>;  // by node key
// The looks of every node: the default drawing with isolates kept
// (DrawingOptions::isolates), so that untied nodes have a place too.
Result<NodeLooks> DefaultLooks(const GraphView& view, const Interrupt& interrupt);
// GEXF 1.2draft, dynamic: an edge's validity is its start and end. Nodes
// with a look get viz:position, viz:color and viz:size.
Status WriteGexf(const GraphData& g, const NodeLooks& looks, std::ostream& out);
Status WriteDot(const GraphData& g, std::ostream& out);
Status WriteJsonl(const GraphData& g, std::ostream& out);
Status WriteCsvNodes(const GraphData& g, std::ostream& out);
Status WriteCsvEdges(const GraphData& g, std::ostream& out);

}  // namespace samverkan::exporters
