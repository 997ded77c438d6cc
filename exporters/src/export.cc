// ExportGraph: loads the graph once and hands it to the writer of a format.
#include <filesystem>
#include <functional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "export_common.h"
#include "output_file.h"
#include "samverkan/db.h"
#include "samverkan/drawing.h"
#include "samverkan/export.h"

namespace samverkan {

using exporters::GraphData;
using exporters::OutputFile;

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

using Writer = std::function<Status(const GraphData&, std::ostream&)>;

// GEXF carries the default drawing's looks; the other formats need nothing
// but the graph.
Result<Writer> WriterFor(ExportFormat format, const GraphView& view, const Interrupt& interrupt) {
  switch (format) {
    case ExportFormat::kGraphml: return Writer(exporters::WriteGraphml);
    case ExportFormat::kDot: return Writer(exporters::WriteDot);
    case ExportFormat::kJsonl: return Writer(exporters::WriteJsonl);
    case ExportFormat::kGexf: {
      SV_ASSIGN_OR_RETURN(exporters::NodeLooks looks, exporters::DefaultLooks(view, interrupt));
      return Writer([looks = std::move(looks)](const GraphData& g, std::ostream& out) {
        return exporters::WriteGexf(g, looks, out);
      });
    }
    default: return Status::Internal("no one-file writer for this format");
  }
}

}  // namespace

Result<ExportSummary> ExportGraph(const GraphView& view, ExportFormat format,
                                  const std::string& path, const ExportOptions& options,
                                  const Interrupt& interrupt) {
  if (IsPictureFormat(format)) {
    return ExportPicture(view, format, path, DrawingOptions{}, options, interrupt);
  }
  // Each file with its writer. The targets are checked (and the temporary
  // files made) before the graph is read, and renamed into place only when
  // every file is complete.
  std::vector<std::pair<std::unique_ptr<OutputFile>, Writer>> files;
  auto add = [&](const std::string& file, Writer writer) -> Status {
    SV_ASSIGN_OR_RETURN(auto out, OutputFile::Create(file, options.protected_files));
    files.emplace_back(std::move(out), writer);
    return Status::OK();
  };
  switch (format) {
    case ExportFormat::kGraphml:
    case ExportFormat::kGexf:
    case ExportFormat::kDot:
    case ExportFormat::kJsonl: {
      // The target is checked before the work (a GEXF's layout) is done.
      SV_RETURN_IF_ERROR(add(path, nullptr));
      SV_ASSIGN_OR_RETURN(files.back().second, WriterFor(format, view, interrupt));
      break;
    }
    case ExportFormat::kCsv: {
      namespace fs = std::filesystem;
      SV_RETURN_IF_ERROR(exporters::CreateExportDirectory(path));
      SV_RETURN_IF_ERROR(add((fs::path(path) / "nodes.csv").string(), exporters::WriteCsvNodes));
      SV_RETURN_IF_ERROR(add((fs::path(path) / "edges.csv").string(), exporters::WriteCsvEdges));
      break;
    }
    case ExportFormat::kSvg:
    case ExportFormat::kHtml:
    case ExportFormat::kReport:
      break;  // ExportPicture, above
  }
  SV_ASSIGN_OR_RETURN(GraphData g, exporters::LoadGraph(view, interrupt));
  for (auto& [file, writer] : files) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    SV_RETURN_IF_ERROR(writer(g, file->out()));
  }
  for (auto& [file, writer] : files) SV_RETURN_IF_ERROR(file->Commit());
  return ExportSummary{g.nodes.size(), g.edges.size()};
}

Result<ExportSummary> ExportGraphToStream(const GraphView& view, ExportFormat format,
                                          std::ostream& out, const ExportOptions& options,
                                          const Interrupt& interrupt) {
  if (IsPictureFormat(format)) {
    return ExportPictureToStream(view, format, out, DrawingOptions{}, options, interrupt);
  }
  if (format == ExportFormat::kCsv) {
    return Status::InvalidArgument(
        "csv is a directory of two files, which cannot go to one stream; give a directory "
        "(or use jsonl)");
  }
  SV_ASSIGN_OR_RETURN(Writer writer, WriterFor(format, view, interrupt));
  SV_ASSIGN_OR_RETURN(GraphData g, exporters::LoadGraph(view, interrupt));
  SV_RETURN_IF_ERROR(writer(g, out));
  out.flush();
  if (!out) return Status::IOError("cannot write the export: the stream failed");
  return ExportSummary{g.nodes.size(), g.edges.size()};
}

}  // namespace samverkan
