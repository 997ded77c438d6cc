// ExportGraph: loads the graph once and hands it to the writer of a format.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "export_common.h"
#include "samverkan/drawing.h"
#include "samverkan/export.h"

namespace samverkan {

using importers::GraphData;
using importers::OutputFile;

Result<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "graphml") return ExportFormat::kGraphml;
  if (name == "gexf") return ExportFormat::kGexf;
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "jsonl" || name == "ndjson") return ExportFormat::kJsonl;
  if (name == "dot" || name == "gv") return ExportFormat::kDot;
  if (name == "svg") return ExportFormat::kSvg;
  if (name == "html" || name == "htm") return ExportFormat::kHtml;
  if (name == "report") return ExportFormat::kReport;
  return Status::InvalidArgument("unknown export format '" + std::string(name) +
                                 "' (expected graphml, gexf, csv, jsonl, dot, svg, html or report)");
}

Result<ExportFormat> ExportFormatFromPath(std::string_view path) {
  std::string ext = std::filesystem::path(path).extension().string();
  if (ext.empty() || ext == ".csv") return ExportFormat::kCsv;
  if (ext == ".graphml" || ext == ".gexf" || ext == ".jsonl" || ext == ".ndjson" ||
      ext == ".dot" || ext == ".gv" || ext == ".svg" || ext == ".html" || ext == ".htm") {
    return ParseExportFormat(ext.substr(1));
  }
  return Status::InvalidArgument("cannot tell the export format from '" + std::string(path) +
                                 "'; give one (graphml, gexf, csv, jsonl, dot, svg, html, report)");
}

std::string ExportSummary::ToJson() const {
  return nlohmann::ordered_json{{"nodes", nodes}, {"edges", edges}}.dump();
}

namespace {

using Writer = Status (*)(const GraphData&, std::ostream&);

Status WriteOne(const GraphData& g, Writer writer, const std::string& path) {
  SV_ASSIGN_OR_RETURN(auto file, OutputFile::Create(path));
  SV_RETURN_IF_ERROR(writer(g, file->out()));
  return file->Commit();
}

}  // namespace

Result<ExportSummary> ExportGraph(const GraphView& view, ExportFormat format,
                                  const std::string& path) {
  if (IsPictureFormat(format)) return ExportPicture(view, format, path, DrawingOptions{});
  SV_ASSIGN_OR_RETURN(GraphData g, importers::LoadGraph(view));
  switch (format) {
    case ExportFormat::kGraphml: SV_RETURN_IF_ERROR(WriteOne(g, importers::WriteGraphml, path)); break;
    case ExportFormat::kGexf: SV_RETURN_IF_ERROR(WriteOne(g, importers::WriteGexf, path)); break;
    case ExportFormat::kDot: SV_RETURN_IF_ERROR(WriteOne(g, importers::WriteDot, path)); break;
    case ExportFormat::kJsonl: SV_RETURN_IF_ERROR(WriteOne(g, importers::WriteJsonl, path)); break;
    case ExportFormat::kCsv: {
      // A directory with nodes.csv and edges.csv (what the CSV reader takes).
      std::error_code ec;
      std::filesystem::create_directories(path, ec);
      if (ec) return Status::IOError("cannot create directory '" + path + "': " + ec.message());
      namespace fs = std::filesystem;
      SV_RETURN_IF_ERROR(WriteOne(g, importers::WriteCsvNodes, (fs::path(path) / "nodes.csv").string()));
      SV_RETURN_IF_ERROR(WriteOne(g, importers::WriteCsvEdges, (fs::path(path) / "edges.csv").string()));
      break;
    }
    case ExportFormat::kSvg:
    case ExportFormat::kHtml:
    case ExportFormat::kReport:
      break;  // ExportPicture, above
  }
  return ExportSummary{g.nodes.size(), g.edges.size()};
}

}  // namespace samverkan
