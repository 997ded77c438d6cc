// Pictures of a graph: an SVG drawing, an interactive HTML drawing, and an
// HTML report with the cross-sector measures and the drawing.
//
//   DrawingOptions o;
//   o.start = "org:msi";  o.depth = 2;  o.color = "community";
//   SV_ASSIGN_OR_RETURN(ExportSummary s,
//                       ExportPicture(*snapshot, ExportFormat::kHtml, "msi.html", o));
//
// What is drawn is chosen as the analytics functions choose their subgraph
// (kinds, types, valid_on, year), optionally narrowed to the ego network of
// `start` within `depth` ties, or replaced by the projection of `keep` nodes
// through `via` nodes (actor-actor ties through shared projects). Each
// file is self-contained and works offline; docs/pictures.md shows them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/export.h"
#include "samverkan/interrupt.h"
#include "samverkan/layout.h"
#include "samverkan/options.h"
#include "samverkan/types.h"

namespace samverkan {

struct DrawingOptions {
  // Which nodes and ties.
  std::string start;  // a node key: only its ego network; empty: everything selected
  uint32_t depth = 1;
  std::vector<std::string> kinds, types;  // empty: all
  std::optional<Date> valid_on;
  std::optional<int> year;
  std::string via;             // a node kind, e.g. "project": draw the projection through it
  std::string keep = "actor";  // the kind the projection keeps

  // How they look.
  std::string color = "sector";  // "sector", "kind" or "community" (Louvain)
  std::string size = "degree";   // "degree" or "pagerank"
  uint32_t labels = 25;          // label the most central this many nodes (fewer if they overlap)
  // Nodes with no drawn tie are left out (the subtitle counts them); true
  // draws them too, packed in a margin beside the network.
  bool isolates = false;
  std::string title;             // default: made from the selection
  LayoutOptions layout;

  // The report's year range for its ties-per-year chart (default: the years
  // the selected edges are valid in, at most the last 40).
  std::optional<int> from_year, to_year;
};

// Options as a JSON object, the last argument of kg_export:
//   {"start": "org:msi", "depth": 2, "kinds": "actor,project", "types": ["funds"],
//    "valid_on": "2021-06-01", "year": 2021, "via": "project", "keep": "actor",
//    "color": "community", "size": "pagerank", "labels": 40, "isolates": true,
//    "title": "...",
//    "layout": "stress", "seed": 7, "iterations": 50, "from_year": 2014,
//    "to_year": 2020}
// InvalidArgument names the member in `wording`'s words (the command line
// names flags): "options: depth must be an integer between 0 and 1000",
// "options: unknown member 'colour'".
Result<DrawingOptions> ParseDrawingOptions(
    std::string_view json, const options::Wording& wording = options::Wording::JsonMembers());

// True for the picture formats (svg, html, report).
bool IsPictureFormat(ExportFormat format);

// Writes a picture of `view` (kSvg, kHtml or kReport) to `path`, through
// the same safe file writing as every export (ExportOptions: the target is
// checked before any work, and appears only when complete). ExportSummary
// counts the nodes and ties drawn. NotFound for an unknown start node;
// InvalidArgument for bad options or a refused target; kInterrupted when
// `interrupt` fires.
Result<ExportSummary> ExportPicture(const GraphView& view, ExportFormat format,
                                    const std::string& path, const DrawingOptions& options,
                                    const ExportOptions& export_options = {},
                                    const Interrupt& interrupt = Interrupt::Never());
// The same, written to `out` (not atomic: see ExportGraphToStream).
Result<ExportSummary> ExportPictureToStream(const GraphView& view, ExportFormat format,
                                            std::ostream& out, const DrawingOptions& options,
                                            const ExportOptions& export_options = {},
                                            const Interrupt& interrupt = Interrupt::Never());

}  // namespace samverkan
