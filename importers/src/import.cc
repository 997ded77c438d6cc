// ImportFiles: picks the reader for each file and the sink for the whole
// import, runs them, and commits only if no reader found a problem.
#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "date_format.h"
#include "mapped_file.h"
#include "readers.h"
#include "samverkan/import.h"
#include "text_encoding.h"

namespace samverkan {

using importers::CsvFileKind;
using importers::MappedFile;
using importers::Problems;
using importers::ReadContext;
using importers::RecordSink;
using importers::TextEncoding;

Result<ImportFormat> ParseImportFormat(std::string_view name) {
  if (name.empty() || name == "auto") return ImportFormat::kAuto;
  if (name == "case" || name == "json") return ImportFormat::kCase;
  if (name == "csv") return ImportFormat::kCsv;
  if (name == "jsonl" || name == "ndjson") return ImportFormat::kJsonl;
  if (name == "graphml") return ImportFormat::kGraphml;
  return Status::InvalidArgument("unknown import format '" + std::string(name) +
                                 "' (expected case, csv, jsonl, graphml or auto)");
}

std::string_view ImportFormatName(ImportFormat format) {
  switch (format) {
    case ImportFormat::kAuto: return "auto";
    case ImportFormat::kCase: return "case";
    case ImportFormat::kCsv: return "csv";
    case ImportFormat::kJsonl: return "jsonl";
    case ImportFormat::kGraphml: return "graphml";
  }
  return "auto";
}

std::string ImportSummary::ToJson() const {
  nlohmann::ordered_json j = {{"nodes", nodes},
                              {"edges", edges},
                              {"mode", bulk ? "bulk" : "transaction"},
                              {"graph_nodes", graph_nodes},
                              {"graph_edges", graph_edges}};
  return j.dump();
}

namespace {

namespace fs = std::filesystem;

struct OpenInput {
  std::string path;
  ImportFormat format;
  std::unique_ptr<MappedFile> file;
  std::optional<std::string> utf8;  // the file converted, when it is in another encoding
  bool csv_edges = false;

  std::string_view data() const { return utf8 ? std::string_view(*utf8) : file->data(); }
};

// A CSV file in a single-byte encoding, as UTF-8; a byte the encoding does
// not define is a problem at its line and column (one byte, one column).
Status ConvertCsv(OpenInput& in, TextEncoding encoding) {
  if (encoding == TextEncoding::kUtf8) return Status::OK();
  const std::string_view raw = in.file->data();
  size_t bad = 0;
  auto utf8 = importers::SingleByteToUtf8(raw, encoding, &bad);
  if (utf8.ok()) {
    in.utf8 = std::move(*utf8);
    return Status::OK();
  }
  if (!utf8.status().IsInvalidArgument()) return utf8.status();
  const size_t line_start = raw.rfind('\n', bad == 0 ? 0 : bad - 1);
  const uint64_t line = 1 + std::count(raw.begin(), raw.begin() + bad, '\n');
  const uint64_t column = line_start == std::string_view::npos || bad == 0
                              ? bad + 1
                              : bad - line_start;
  Problems problems(/*limit=*/2);  // one, and not "stopped at the limit"
  problems.Add({in.path, line, column}, utf8.status().message());
  return problems.ToStatus();
}

Result<ImportFormat> FormatFromPath(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return ImportFormat::kCsv;
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".json") return ImportFormat::kCase;
  if (ext == ".csv" || ext == ".tsv") return ImportFormat::kCsv;
  if (ext == ".jsonl" || ext == ".ndjson") return ImportFormat::kJsonl;
  if (ext == ".graphml" || ext == ".xml") return ImportFormat::kGraphml;
  return Status::InvalidArgument("cannot tell the format of '" + path +
                                 "' from its name; give one (case, csv, jsonl, graphml)");
}

// Opens every file; a CSV directory stands for its nodes.csv and edges.csv.
Result<std::vector<OpenInput>> OpenInputs(const std::vector<ImportInput>& inputs,
                                          const CsvDialect& dialect) {
  SV_ASSIGN_OR_RETURN(TextEncoding encoding, importers::ParseTextEncoding(dialect.encoding));
  std::vector<OpenInput> out;
  for (const auto& in : inputs) {
    ImportFormat format = in.format;
    if (format == ImportFormat::kAuto) {
      SV_ASSIGN_OR_RETURN(format, FormatFromPath(in.path));
    }
    std::vector<std::string> paths = {in.path};
    std::error_code ec;
    if (format == ImportFormat::kCsv && fs::is_directory(in.path, ec)) {
      paths.clear();
      for (const char* name : {"nodes.csv", "edges.csv"}) {
        std::string p = (fs::path(in.path) / name).string();
        if (fs::exists(p, ec)) paths.push_back(p);
      }
      if (paths.empty()) {
        return Status::IOError("directory '" + in.path + "' has no nodes.csv or edges.csv");
      }
    }
    for (auto& p : paths) {
      SV_ASSIGN_OR_RETURN(auto file, MappedFile::Open(p));
      OpenInput o{p, format, std::move(file)};
      if (format == ImportFormat::kCsv) SV_RETURN_IF_ERROR(ConvertCsv(o, encoding));
      o.csv_edges = format == ImportFormat::kCsv &&
                    importers::PeekCsvKind(o.data(), dialect) == CsvFileKind::kEdges;
      out.push_back(std::move(o));
    }
  }
  // Edges need their nodes: CSV edges files go after everything else.
  std::stable_partition(out.begin(), out.end(), [](const OpenInput& o) { return !o.csv_edges; });
  return out;
}

bool SectorsPresent(const Db& db, const std::vector<std::string>& sectors) {
  for (const auto& s : sectors) {
    if (!db.schema().Find(SymbolSpace::kSector, s)) return false;
  }
  return true;
}

// Runs every reader into `sink`. OK, or the problems found.
Status ReadAll(std::vector<OpenInput>& inputs, RecordSink& target, const ImportOptions& options,
               const importers::DateFormat* date_format, const Interrupt& interrupt) {
  Problems problems(options.max_problems);
  RecordSink* sink = &target;
  std::unique_ptr<RecordSink> citing;
  if (!options.source_key.empty()) {
    NodeInput source{.key = options.source_key,
                     .kind = "source",
                     .name = options.source_title.empty() ? options.source_key
                                                          : options.source_title};
    if (Status s = target.AddNode(source); !s.ok()) {
      return s.WithContext("source '" + options.source_key + "'");
    }
    citing = importers::NewCitingSink(target, options.source_key);
    sink = citing.get();
  }
  uint64_t total = 0, before = 0, records_before = 0;
  for (const auto& in : inputs) total += in.data().size();
  for (auto& in : inputs) {
    ReadContext ctx;
    ctx.file = in.path;
    ctx.data = in.data();
    ctx.sink = sink;
    ctx.problems = &problems;
    ctx.default_edge_type = options.default_edge_type;
    ctx.null_values = options.null_values;
    ctx.csv = options.csv;
    ctx.date_format = date_format;
    ctx.interrupt = &interrupt;
    uint64_t last_records = 0;
    if (options.progress) {
      ctx.progress = [&](uint64_t bytes, uint64_t records) {
        last_records = records;
        options.progress(before + bytes, total, records_before + records);
      };
    }
    switch (in.format) {
      case ImportFormat::kCase: importers::ReadCase(ctx); break;
      case ImportFormat::kCsv: importers::ReadCsv(ctx); break;
      case ImportFormat::kJsonl: importers::ReadJsonl(ctx); break;
      case ImportFormat::kGraphml: importers::ReadGraphml(ctx); break;
      case ImportFormat::kAuto: return Status::Internal("format not resolved");
    }
    before += ctx.data.size();
    records_before += last_records;
    if (problems.full() || sink->needs_fallback()) break;
  }
  SV_RETURN_IF_ERROR(interrupt.Check());
  return problems.ToStatus();
}

}  // namespace

Result<ImportSummary> ImportFiles(Db& db, const std::vector<ImportInput>& inputs,
                                  const ImportOptions& options, const Interrupt& interrupt) {
  if (inputs.empty()) return Status::InvalidArgument("no files to import");
  SV_RETURN_IF_ERROR(CheckCsvDialect(options.csv));
  std::optional<importers::DateFormat> date_format;
  if (!options.csv.dateformat.empty()) {
    SV_ASSIGN_OR_RETURN(date_format, importers::DateFormat::Parse(options.csv.dateformat));
  }
  const importers::DateFormat* dates = date_format ? &*date_format : nullptr;
  SV_ASSIGN_OR_RETURN(std::vector<OpenInput> open, OpenInputs(inputs, options.csv));
  std::string label = options.label.empty() ? "import " + inputs.front().path : options.label;

  SV_ASSIGN_OR_RETURN(GraphCounts counts, db.Counts());
  bool empty = counts.nodes == 0 && counts.edges == 0;
  bool bulk = false;
  if (options.mode == ImportMode::kBulk) {
    if (!empty) {
      return Status::InvalidArgument("a bulk import needs an empty graph; this one has " +
                                     std::to_string(counts.nodes) + " nodes (import without "
                                     "--bulk to merge into it)");
    }
    bulk = true;
  } else if (options.mode == ImportMode::kAuto) {
    bool big_formats = std::all_of(open.begin(), open.end(), [](const OpenInput& o) {
      return o.format == ImportFormat::kCsv || o.format == ImportFormat::kJsonl;
    });
    bulk = empty && big_formats && SectorsPresent(db, options.add_sectors);
  }

  ImportSummary summary;
  if (bulk) {
    if (!SectorsPresent(db, options.add_sectors)) {
      // The loader can only name sectors the graph has.
      SV_ASSIGN_OR_RETURN(auto txn, db.BeginTransaction(label + " (sectors)"));
      for (const auto& s : options.add_sectors) SV_RETURN_IF_ERROR(txn->AddSector(s));
      SV_RETURN_IF_ERROR(txn->Commit());
    }
    SV_ASSIGN_OR_RETURN(auto sink,
                        importers::NewBulkSink(db, label, options.default_kind, interrupt));
    SV_RETURN_IF_ERROR(ReadAll(open, *sink, options, dates, interrupt));
    if (!sink->needs_fallback()) {
      SV_RETURN_IF_ERROR(sink->Commit());
      summary.bulk = true;
      summary.nodes = sink->nodes();
      summary.edges = sink->edges();
    }
  }
  if (!summary.bulk) {
    SV_ASSIGN_OR_RETURN(auto sink, importers::NewTransactionSink(db, label, options.default_kind,
                                                                 options.add_sectors));
    SV_RETURN_IF_ERROR(ReadAll(open, *sink, options, dates, interrupt));
    SV_RETURN_IF_ERROR(sink->Commit());
    summary.nodes = sink->nodes();
    summary.edges = sink->edges();
  }
  SV_ASSIGN_OR_RETURN(GraphCounts after, db.Counts());
  summary.graph_nodes = after.nodes;
  summary.graph_edges = after.edges;
  return summary;
}

}  // namespace samverkan
