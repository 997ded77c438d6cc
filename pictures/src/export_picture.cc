// ExportPicture and the options of the picture formats.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "drawing_model.h"
#include "export_common.h"
#include "output_file.h"
#include "samverkan/drawing.h"

namespace samverkan {

using nlohmann::json;

Result<DrawingOptions> ParseDrawingOptions(std::string_view text,
                                           const options::Wording& wording) {
  const options::Reader in(wording);
  DrawingOptions o;
  SV_ASSIGN_OR_RETURN(json j, in.Object(text));
  for (const auto& [name, v] : j.items()) {
    if (name == "start") {
      SV_ASSIGN_OR_RETURN(o.start, in.Text(v, name));
    } else if (name == "depth") {
      SV_ASSIGN_OR_RETURN(int64_t d, in.Integer(v, name, 0, 1000));
      o.depth = static_cast<uint32_t>(d);
    } else if (name == "kinds") {
      SV_ASSIGN_OR_RETURN(o.kinds, in.Names(v, name));
    } else if (name == "types") {
      SV_ASSIGN_OR_RETURN(o.types, in.Names(v, name));
    } else if (name == "valid_on") {
      SV_ASSIGN_OR_RETURN(std::string s, in.Text(v, name));
      auto date = Date::Parse(s);
      if (!date.ok()) return in.Refuse(name, ": " + date.status().message());
      o.valid_on = *date;
    } else if (name == "year" || name == "from_year" || name == "to_year") {
      SV_ASSIGN_OR_RETURN(int64_t y, in.Integer(v, name, 1, 9999));
      (name == "year" ? o.year : name == "from_year" ? o.from_year : o.to_year) = static_cast<int>(y);
    } else if (name == "via") {
      SV_ASSIGN_OR_RETURN(o.via, in.Text(v, name));
    } else if (name == "keep") {
      SV_ASSIGN_OR_RETURN(o.keep, in.Text(v, name));
    } else if (name == "color" || name == "colour") {
      SV_ASSIGN_OR_RETURN(o.color, in.OneOf(v, name, {"sector", "kind", "community"}));
    } else if (name == "size") {
      SV_ASSIGN_OR_RETURN(o.size, in.OneOf(v, name, {"degree", "pagerank"}));
    } else if (name == "labels") {
      SV_ASSIGN_OR_RETURN(int64_t n, in.Integer(v, name, 0, 100000));
      o.labels = static_cast<uint32_t>(n);
    } else if (name == "isolates") {
      SV_ASSIGN_OR_RETURN(o.isolates, in.Boolean(v, name));
    } else if (name == "title") {
      SV_ASSIGN_OR_RETURN(o.title, in.Text(v, name));
    } else if (name == "layout") {
      SV_ASSIGN_OR_RETURN(std::string s, in.Text(v, name));
      auto a = ParseLayoutAlgorithm(s);
      // The short names ("fa2", "fr") are accepted but not offered.
      if (!a.ok()) {
        return in.NotOneOf(name, s, {"auto", "stress", "forceatlas2", "fruchterman-reingold"});
      }
      o.layout.algorithm = *a;
    } else if (name == "seed") {
      SV_ASSIGN_OR_RETURN(int64_t s, in.Integer(v, name, 0, INT64_MAX));
      o.layout.seed = static_cast<uint64_t>(s);
    } else if (name == "iterations") {
      SV_ASSIGN_OR_RETURN(int64_t n, in.Integer(v, name, 0, 100000));
      o.layout.iterations = static_cast<uint32_t>(n);
    } else if (name == "gravity") {
      SV_ASSIGN_OR_RETURN(o.layout.gravity, in.Number(v, name));
    } else if (name == "scaling") {
      SV_ASSIGN_OR_RETURN(o.layout.scaling, in.Number(v, name));
    } else if (name == "lin_log") {
      SV_ASSIGN_OR_RETURN(o.layout.lin_log, in.Boolean(v, name));
    } else {
      return in.Unknown(name);
    }
  }
  if (o.from_year && o.to_year && *o.from_year > *o.to_year) {
    return in.Refuse("from_year", "must not be after", "to_year");
  }
  return o;
}

bool IsPictureFormat(ExportFormat format) {
  return format == ExportFormat::kSvg || format == ExportFormat::kHtml ||
         format == ExportFormat::kReport;
}

Result<ExportSummary> ExportPictureToStream(const GraphView& view, ExportFormat format,
                                            std::ostream& out, const DrawingOptions& options,
                                            const ExportOptions& export_options,
                                            const Interrupt& interrupt) {
  if (!IsPictureFormat(format)) return Status::InvalidArgument("not a picture format");
  auto stage = [&](std::string_view what) {
    if (export_options.stage) export_options.stage(what);
  };
  SV_ASSIGN_OR_RETURN(pictures::Drawing d,
                      pictures::MakeDrawing(view, options, interrupt, export_options.stage));
  const std::string size = fmt::format("{} nodes, {} ties", d.nodes.size(), d.ties.num_ties());
  switch (format) {
    case ExportFormat::kSvg:
      stage("writing the SVG (" + size + ")");
      SV_RETURN_IF_ERROR(pictures::WriteSvg(d, out));
      break;
    case ExportFormat::kHtml: {
      stage("reading the ties' years (" + size + ")");
      SV_ASSIGN_OR_RETURN(pictures::DrawnTieYears years, pictures::TieYearsOf(view, d, interrupt));
      stage("writing the HTML (" + size + ")");
      SV_RETURN_IF_ERROR(pictures::WriteHtml(d, years, out));
      break;
    }
    default:
      stage("computing the report's measures (" + size + ")");
      SV_RETURN_IF_ERROR(pictures::WriteReport(view, d, interrupt, out));
      break;
  }
  SV_RETURN_IF_ERROR(interrupt.Check());
  return ExportSummary{d.nodes.size(), d.ties.num_ties()};
}

Result<ExportSummary> ExportPicture(const GraphView& view, ExportFormat format,
                                    const std::string& path, const DrawingOptions& options,
                                    const ExportOptions& export_options,
                                    const Interrupt& interrupt) {
  if (!IsPictureFormat(format)) return Status::InvalidArgument("not a picture format");
  SV_ASSIGN_OR_RETURN(auto file,
                      exporters::OutputFile::Create(path, export_options.protected_files));
  SV_ASSIGN_OR_RETURN(ExportSummary summary,
                      ExportPictureToStream(view, format, file->out(), options, export_options,
                                            interrupt));
  SV_RETURN_IF_ERROR(file->Commit());
  return summary;
}

}  // namespace samverkan
