// What the picture writers share: the selected part of the graph, measured,
// laid out on a canvas, coloured and labelled. The SVG, HTML and report
// writers only turn a Drawing into text.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "samverkan/analytics.h"
#include "samverkan/csr.h"
#include "samverkan/drawing.h"

namespace samverkan::pictures {

struct DrawnNode {
  uint32_t csr = 0;  // index in Drawing::csr
  std::string key, name, kind, sector;
  std::string folded;                // FoldName(name): what search compares
  std::vector<std::string> sources;  // the names of the sources it cites
  uint64_t degree = 0;               // ties in the drawing
  double value = 0;                  // what its size shows: degree or PageRank, both in the drawing
  double x = 0, y = 0, r = 0;        // centre and radius on the canvas
  bool ego = false;                  // the start of an ego drawing: marked, labelled, largest
  uint32_t group = 0;                // index into Drawing::legend
  // Labelled nodes: 1 for the most central, 2 for the next...; 0 for none.
  // The label reads label_text, centred at label_x under the circle.
  uint32_t label_rank = 0;
  std::string label_text;
  double label_x = 0;
};

struct LegendEntry {
  std::string name;
  std::string color;  // "#rrggbb"
  uint64_t nodes = 0;
};

struct Drawing {
  std::shared_ptr<const CsrGraph> csr;  // the selected subgraph (kinds, types, dates)
  SimpleGraph ties;                     // over `nodes` (projected when options.via is set)
  std::vector<DrawnNode> nodes;
  std::vector<LegendEntry> legend;
  std::string title, subtitle;  // subtitle: what was selected and how it is drawn
  double width = 0, height = 0;  // the canvas
  uint64_t isolates_left_out = 0;  // selected nodes with no drawn tie, not drawn
  DrawingOptions options;
  Communities communities;  // when coloured by community
};

// Selects, measures, lays out and labels; `stage`, when set, hears each
// step begin ("laying out 66,720 nodes and 181,000 ties (forceatlas2)").
Result<Drawing> MakeDrawing(const GraphView& view, const DrawingOptions& options,
                            const Interrupt& interrupt,
                            const std::function<void(std::string_view)>& stage = {});

// PageRank of each drawn node (by index in Drawing::nodes) over the drawn
// ties alone, each tie once: what `size: pagerank` and the report's most
// central actors show. Nodes and ties outside the drawing (beyond an ego
// network's depth, the `via` nodes of a projection) take no part, so the
// ranks are those of the graph a reader sees.
Result<std::vector<double>> DrawnPageRank(const Drawing& d, const Interrupt& interrupt);

// The years each drawn tie is valid in, for the HTML drawing's year slider:
// TieSpans (the rule of TiesPerYear and the report's per-year chart: the
// union of the tie's edges' validities, or through `via`, the overlaps of
// the two participations in a shared node) over the drawn nodes.
struct DrawnTieYears {
  // The finite years the ties' validities reach; none when last < first
  // (no drawn tie has a date).
  int first_year = 0, last_year = -1;
  // Key: drawn node indexes a < b as a << 32 | b. Runs of years [from, to],
  // INT_MIN/INT_MAX for an open end; a tie of a projection whose two
  // participations were never valid together has none.
  std::unordered_map<uint64_t, std::vector<std::pair<int, int>>> spans;
  const std::vector<std::pair<int, int>>& of(uint32_t a, uint32_t b) const;
};
Result<DrawnTieYears> TieYearsOf(const GraphView& view, const Drawing& d,
                                 const Interrupt& interrupt);

// The colour of sector or kind `name` ("#rrggbb"); the known sectors have
// fixed colours, other names one of the palette by their position `i`.
std::string GroupColor(const std::string& name, size_t i);
// The palette's colour `i` (it repeats after eight): Paul Tol's muted
// scheme, distinct for colour-blind readers and readable on white. Eight
// consecutive `i` give eight different colours.
std::string PaletteColor(size_t i);

// The sector of each drawn node (by index in Drawing::nodes) as a group,
// the groups sorted by name; nodes without a sector are in none (-1).
NodeGroups DrawnSectors(const Drawing& d);


// A number with at most `digits` decimals and no trailing zeros.
std::string Num(double x, int digits = 1);

// The writers.
std::string SvgText(const Drawing& d, bool standalone);  // standalone: with the XML prolog
Status WriteSvg(const Drawing& d, std::ostream& out);
Status WriteHtml(const Drawing& d, const DrawnTieYears& years, std::ostream& out);
Status WriteReport(const GraphView& view, const Drawing& d, const Interrupt& interrupt,
                   std::ostream& out);

}  // namespace samverkan::pictures
