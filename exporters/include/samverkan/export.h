// Exporting a graph: GraphML, GEXF, CSV, JSON Lines and DOT.
//
//   SV_ASSIGN_OR_RETURN(ExportSummary s, ExportGraph(*db, ExportFormat::kGraphml, "msi.graphml"));
//
// Every format carries each node's key, kind, name, sector, aliases, sources
// and properties and each edge's endpoints, type, rank, weight, validity,
// sources and properties (docs/formats.md says how). CSV and JSON Lines
// round-trip exactly: importing the export into an empty graph gives the
// same nodes and edges.
//
// An export creates or replaces regular files only: it refuses (with
// InvalidArgument) a target that exists and is a symbolic link, a
// directory, a FIFO or a device, and any path inside a graph directory.
// Each file is written under a temporary name beside it, synced, and
// renamed into place when complete, so a failed export leaves the target as
// it was and never a half-written file.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/graph_view.h"
#include "samverkan/interrupt.h"
#include "samverkan/result.h"

namespace samverkan {

enum class ExportFormat {
  kGraphml,  // GraphML, directed, typed <key>s (NetworkX, igraph, yEd, Gephi)
  kGexf,     // GEXF 1.2 (Gephi)
  kCsv,      // a directory: nodes.csv and edges.csv, Neo4j admin-import headers
  kJsonl,    // one object per line, nodes first
  kDot,      // Graphviz
  kSvg,      // a drawing (samverkan/drawing.h)
  kHtml,     // an interactive drawing, one offline HTML file
  kReport,   // an HTML report with measures and the drawing
};

// "graphml", "gexf", "csv", "jsonl" (or "ndjson"), "dot" (or "gv"), "svg",
// "html", "report".
Result<ExportFormat> ParseExportFormat(std::string_view name);
// The format a path's extension implies (".graphml", ".gexf", ".jsonl",
// ".dot"/".gv", ".svg", ".html"/".htm": the drawing; no extension or ".csv":
// csv). InvalidArgument otherwise.
Result<ExportFormat> ExportFormatFromPath(std::string_view path);

struct ExportSummary {
  uint64_t nodes = 0;
  uint64_t edges = 0;
  std::string ToJson() const;  // {"nodes":..,"edges":..}
};

struct ExportOptions {
  // Files the export must refuse to create or replace besides those above:
  // the caller's own (an SQLite connection's database, journal and WAL
  // files). Compared after resolving symbolic links and relative parts.
  std::vector<std::string> protected_files;
  // Pictures: told what the work has come to ("laying out", "writing"), for
  // a progress display. May be empty.
  std::function<void(std::string_view stage)> stage;
};

// Writes everything `view` holds (use a Snapshot for a consistent export of
// a graph that is being written). The picture formats draw the whole graph
// with default options (ExportPicture in drawing.h takes options). Stops
// with Interrupt::Stopped(), leaving the target as it was, when `interrupt`
// fires.
Result<ExportSummary> ExportGraph(const GraphView& view, ExportFormat format,
                                  const std::string& path, const ExportOptions& options = {},
                                  const Interrupt& interrupt = Interrupt::Never());

// The same, written to `out` as it is made (`samverkan export g.kg - -f
// jsonl | jq ...`): every format that is one file (all but csv, a
// directory, which is InvalidArgument). Not atomic: on an error or an
// interrupt, what was written stays written.
Result<ExportSummary> ExportGraphToStream(const GraphView& view, ExportFormat format,
                                          std::ostream& out, const ExportOptions& options = {},
                                          const Interrupt& interrupt = Interrupt::Never());

}  // namespace samverkan
