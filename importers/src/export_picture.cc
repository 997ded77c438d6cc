// ExportPicture and the options of the picture formats.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "drawing_model.h"
#include "export_common.h"
#include "output_file.h"
#include "samverkan/drawing.h"

namespace samverkan {

using nlohmann::json;

namespace {

Status Bad(const std::string& what) { return Status::InvalidArgument("options: " + what); }

// A list of names: "a,b" or ["a", "b"].
Result<std::vector<std::string>> Names(const json& v, const std::string& member) {
  std::vector<std::string> out;
  auto add = [&](std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    if (!s.empty()) out.push_back(std::move(s));
  };
  if (v.is_string()) {
    std::string text = v.get<std::string>();
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      add(text.substr(start, comma - start));
      start = comma + 1;
    }
    return out;
  }
  if (v.is_array()) {
    for (const auto& e : v) {
      if (!e.is_string()) return Bad(member + " must be a list of names");
      add(e.get<std::string>());
    }
    return out;
  }
  return Bad(member + " must be a name list ('a,b' or [\"a\", \"b\"])");
}

Result<std::string> Text(const json& v, const std::string& member) {
  if (!v.is_string()) return Bad(member + " must be a string");
  return v.get<std::string>();
}

Result<int64_t> Integer(const json& v, const std::string& member, int64_t lo, int64_t hi) {
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
    return Bad(fmt::format("{} must be an integer between {} and {}", member, lo, hi));
  }
  return v.get<int64_t>();
}

Result<double> Number(const json& v, const std::string& member) {
  if (!v.is_number() || !(v.get<double>() >= 0) || std::isinf(v.get<double>())) {
    return Bad(member + " must be a finite number >= 0");
  }
  return v.get<double>();
}

}  // namespace

Result<DrawingOptions> ParseDrawingOptions(std::string_view text) {
  DrawingOptions o;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Bad("expected a JSON object");
  for (const auto& [name, v] : j.items()) {
    if (name == "start") {
      SV_ASSIGN_OR_RETURN(o.start, Text(v, name));
    } else if (name == "depth") {
      SV_ASSIGN_OR_RETURN(int64_t d, Integer(v, name, 0, 1000));
      o.depth = static_cast<uint32_t>(d);
    } else if (name == "kinds") {
      SV_ASSIGN_OR_RETURN(o.kinds, Names(v, name));
    } else if (name == "types") {
      SV_ASSIGN_OR_RETURN(o.types, Names(v, name));
    } else if (name == "valid_on") {
      SV_ASSIGN_OR_RETURN(std::string s, Text(v, name));
      auto date = Date::Parse(s);
      if (!date.ok()) return Bad("valid_on: " + date.status().message());
      o.valid_on = *date;
    } else if (name == "year" || name == "from_year" || name == "to_year") {
      SV_ASSIGN_OR_RETURN(int64_t y, Integer(v, name, 1, 9999));
      (name == "year" ? o.year : name == "from_year" ? o.from_year : o.to_year) = static_cast<int>(y);
    } else if (name == "via") {
      SV_ASSIGN_OR_RETURN(o.via, Text(v, name));
    } else if (name == "keep") {
      SV_ASSIGN_OR_RETURN(o.keep, Text(v, name));
    } else if (name == "color" || name == "colour") {
      SV_ASSIGN_OR_RETURN(o.color, Text(v, name));
      if (o.color != "sector" && o.color != "kind" && o.color != "community") {
        return Bad(name + " must be 'sector', 'kind' or 'community', not '" + o.color + "'");
      }
    } else if (name == "size") {
      SV_ASSIGN_OR_RETURN(o.size, Text(v, name));
      if (o.size != "degree" && o.size != "pagerank") {
        return Bad("size must be 'degree' or 'pagerank', not '" + o.size + "'");
      }
    } else if (name == "labels") {
      SV_ASSIGN_OR_RETURN(int64_t n, Integer(v, name, 0, 100000));
      o.labels = static_cast<uint32_t>(n);
    } else if (name == "title") {
      SV_ASSIGN_OR_RETURN(o.title, Text(v, name));
    } else if (name == "layout") {
      SV_ASSIGN_OR_RETURN(std::string s, Text(v, name));
      auto a = ParseLayoutAlgorithm(s);
      if (!a.ok()) return Bad(a.status().message());
      o.layout.algorithm = *a;
    } else if (name == "seed") {
      SV_ASSIGN_OR_RETURN(int64_t s, Integer(v, name, 0, INT64_MAX));
      o.layout.seed = static_cast<uint64_t>(s);
    } else if (name == "iterations") {
      SV_ASSIGN_OR_RETURN(int64_t n, Integer(v, name, 0, 100000));
      o.layout.iterations = static_cast<uint32_t>(n);
    } else if (name == "gravity") {
      SV_ASSIGN_OR_RETURN(o.layout.gravity, Number(v, name));
    } else if (name == "scaling") {
      SV_ASSIGN_OR_RETURN(o.layout.scaling, Number(v, name));
    } else if (name == "lin_log") {
      if (!v.is_boolean()) return Bad("lin_log must be true or false");
      o.layout.lin_log = v.get<bool>();
    } else {
      return Bad("unknown member '" + name + "'");
    }
  }
  if (o.from_year && o.to_year && *o.from_year > *o.to_year) {
    return Bad("from_year must not be after to_year");
  }
  return o;
}

bool IsPictureFormat(ExportFormat format) {
  return format == ExportFormat::kSvg || format == ExportFormat::kHtml ||
         format == ExportFormat::kReport;
}

Result<ExportSummary> ExportPicture(const GraphView& view, ExportFormat format,
                                    const std::string& path, const DrawingOptions& options,
                                    const ExportOptions& export_options,
                                    const Interrupt& interrupt) {
  if (!IsPictureFormat(format)) return Status::InvalidArgument("not a picture format");
  SV_ASSIGN_OR_RETURN(auto file,
                      importers::OutputFile::Create(path, export_options.protected_files));
  SV_ASSIGN_OR_RETURN(importers::Drawing d, importers::MakeDrawing(view, options, interrupt));
  switch (format) {
    case ExportFormat::kSvg: SV_RETURN_IF_ERROR(importers::WriteSvg(d, file->out())); break;
    case ExportFormat::kHtml: SV_RETURN_IF_ERROR(importers::WriteHtml(d, file->out())); break;
    default: SV_RETURN_IF_ERROR(importers::WriteReport(view, d, interrupt, file->out())); break;
  }
  SV_RETURN_IF_ERROR(interrupt.Check());
  SV_RETURN_IF_ERROR(file->Commit());
  return ExportSummary{d.nodes.size(), d.ties.num_ties()};
}

}  // namespace samverkan
