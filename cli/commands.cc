#include "commands.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <map>
#include <string_view>

#include <nlohmann/json.hpp>

#include "progress.h"
#include "sigint.h"
#include "samverkan/db.h"
#include "samverkan/drawing.h"
#include "samverkan/export.h"
#include "samverkan/import.h"
#include "samverkan/options.h"
#include "samverkan/write_handoff.h"

namespace samverkan::cli {
namespace {

int Fail(const Status& s, int code) {
  std::fprintf(stderr, "samverkan: %s\n", s.message().c_str());
  return code;
}

// Opens a graph; prints the error and sets *code when it cannot.
std::unique_ptr<Db> OpenGraph(const std::string& path, bool write, int* code) {
  Options options;
  options.create_if_missing = write;
  options.read_only = !write;
  auto db = Db::Open(path, options);
  if (!db.ok()) {
    *code = Fail(db.status().WithContext("cannot open graph '" + path + "'"), kExitCannotOpen);
    return nullptr;
  }
  return std::move(*db);
}

// Opens a graph for writing, and marks it as being written (*mark) until
// the caller lets go of both, the Db first. Another process holding it is
// asked to let go, and waited for up to `wait_ms` as SQLite waits for a
// lock: the same wait as the SQL extension's (write_handoff.h).
std::unique_ptr<Db> OpenForWriting(const std::string& path, int wait_ms,
                                   std::unique_ptr<WritingMark>* mark, int* code) {
  Options options;
  options.create_if_missing = true;
  std::unique_ptr<Db> db;
  WriteAccessWait wait(path, std::chrono::milliseconds(wait_ms), SigintInterrupt());
  Status opened = wait.Take([&]() -> Status {
    auto attempt = Db::Open(path, options);
    if (!attempt.ok()) return attempt.status();
    db = std::move(*attempt);
    return Status::OK();
  });
  if (opened.ok()) {
    // Advice to askers (write_handoff.h): the import goes on without it.
    auto taken = WritingMark::Take(path);
    if (taken.ok()) *mark = std::move(*taken);
    return db;
  }
  *code = Fail(opened.WithContext("cannot open graph '" + path + "'"),
               opened.IsInterrupted() ? kExitInterrupted : kExitCannotOpen);
  return nullptr;
}

// Options as the command line names them: the member "valid_on" is the
// flag --valid-on.
options::Wording FlagWording() {
  auto flag = [](std::string_view member) {
    std::string flag = "--" + std::string(member);
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
  };
  return options::Wording("", flag, [flag](std::string_view member) {
    return "unknown option " + flag(member);
  });
}

const options::Reader& FlagReader() {
  static const options::Reader reader(FlagWording());
  return reader;
}

}  // namespace

int ExitFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kInvalidArgument:
    case Status::Code::kNotFound: return kExitBadInput;
    case Status::Code::kIOError: return kExitIo;
    case Status::Code::kLocked:
    case Status::Code::kNotSupported:
    case Status::Code::kCorruption: return kExitCannotOpen;
    case Status::Code::kInterrupted: return kExitInterrupted;
    default: return kExitOther;
  }
}

// The CSV dialect of the flags, checked. Errors name the flag.
Result<CsvDialect> DialectOf(const ImportArgs& args) {
  CsvDialect d;
  SV_ASSIGN_OR_RETURN(d.delim, ParseCsvCharacter(args.delim, "delim", FlagReader()));
  SV_ASSIGN_OR_RETURN(d.quote, ParseCsvCharacter(args.quote, "quote", FlagReader()));
  SV_ASSIGN_OR_RETURN(d.decimal_separator, ParseCsvCharacter(args.decimal_separator,
                                                             "decimal_separator", FlagReader()));
  d.encoding = args.encoding;
  d.dateformat = args.dateformat;
  SV_RETURN_IF_ERROR(CheckCsvDialect(d, FlagReader()));
  return d;
}

int RunImport(const ImportArgs& args) {
  auto format = ParseImportFormat(args.format);
  if (!format.ok()) return Fail(format.status(), kExitUsage);
  auto dialect = DialectOf(args);
  if (!dialect.ok()) return Fail(dialect.status(), kExitUsage);
  if (args.bulk && args.no_bulk) {
    return Fail(Status::InvalidArgument("--bulk and --no-bulk exclude each other"), kExitUsage);
  }
  int code = kExitOk;
  std::unique_ptr<WritingMark> writing;
  auto db = OpenForWriting(args.graph, args.wait_ms, &writing, &code);
  if (!db) return code;

  ImportOptions options;
  options.mode = args.bulk ? ImportMode::kBulk
                 : args.no_bulk ? ImportMode::kTransaction : ImportMode::kAuto;
  options.max_problems = args.max_errors;
  options.default_kind = args.default_kind;
  options.add_sectors = args.add_sectors;
  options.null_values = args.null_values;
  options.csv = *dialect;
  options.source_key = args.source;
  options.source_title = args.source_title;
  ProgressBar bar(stderr, !args.quiet);
  options.progress = [&](uint64_t done, uint64_t total, uint64_t records) {
    bar.Update(done, total, records);
  };
  std::vector<ImportInput> inputs;
  for (const auto& f : args.files) inputs.push_back({f, *format});

  auto start = std::chrono::steady_clock::now();
  auto summary = ImportFiles(*db, inputs, options, SigintInterrupt());
  bar.Finish();
  if (!summary.ok()) return Fail(summary.status(), ExitFor(summary.status()));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The snapshot file, so that the first query after the next open maps it
  // instead of reading the whole graph. It is a cache: without it nothing
  // is lost, so a failure is a note, not the import's failure.
  if (Status saved = db->SaveSnapshotFile(SigintInterrupt()); !saved.ok()) {
    std::fprintf(stderr,
                 "samverkan: note: the snapshot file was not written (%s); the first query "
                 "after opening builds the snapshot\n",
                 saved.message().c_str());
  }
  if (args.json) {
    std::printf("%s\n", summary->ToJson().c_str());
  } else if (!args.quiet) {
    std::printf("imported %llu nodes and %llu edges (%s) in %.2f s; the graph has %llu nodes and "
                "%llu edges\n",
                static_cast<unsigned long long>(summary->nodes),
                static_cast<unsigned long long>(summary->edges),
                summary->bulk ? "bulk" : "transaction", secs,
                static_cast<unsigned long long>(summary->graph_nodes),
                static_cast<unsigned long long>(summary->graph_edges));
  }
  return kExitOk;
}

int RunExport(const ExportArgs& args) {
  // "-" is standard output; the summary then goes to stderr.
  const bool to_stdout = args.output == "-";
  Result<ExportFormat> format =
      !args.format.empty() ? ParseExportFormat(args.format)
      : to_stdout ? Status::InvalidArgument("export to standard output ('-') needs --format "
                                            "(graphml, gexf, jsonl, dot, svg, html or report)")
                  : ExportFormatFromPath(args.output);
  if (!format.ok()) return Fail(format.status(), kExitUsage);
  if (to_stdout && *format == ExportFormat::kCsv) {
    return Fail(Status::InvalidArgument("csv is a directory of two files and cannot go to "
                                        "standard output; give a directory, or use jsonl"),
                kExitUsage);
  }
  int code = kExitOk;
  auto db = OpenGraph(args.graph, /*write=*/false, &code);
  if (!db) return code;
  auto snapshot = db->GetSnapshot();
  auto summary = to_stdout ? ExportGraphToStream(*snapshot, *format, std::cout, {},
                                                 SigintInterrupt())
                           : ExportGraph(*snapshot, *format, args.output, {}, SigintInterrupt());
  if (!summary.ok()) return Fail(summary.status(), ExitFor(summary.status()));
  std::FILE* said = to_stdout ? stderr : stdout;
  if (args.json) {
    std::fprintf(said, "%s\n", summary->ToJson().c_str());
  } else {
    std::fprintf(said, "exported %llu nodes and %llu edges to %s\n",
                 static_cast<unsigned long long>(summary->nodes),
                 static_cast<unsigned long long>(summary->edges),
                 to_stdout ? "standard output" : args.output.c_str());
  }
  return kExitOk;
}

int RunPicture(const PictureArgs& args) {
  Result<ExportFormat> format = ExportFormat::kReport;
  if (!args.report) {
    format = ExportFormatFromPath(args.output);
    if (!format.ok() || (*format != ExportFormat::kSvg && *format != ExportFormat::kHtml)) {
      format = Status::InvalidArgument("draw writes .svg or .html files, not '" + args.output + "'");
    }
  }
  if (!format.ok()) return Fail(format.status(), kExitUsage);
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [member, value] : args.text) j[member] = value;
  for (const auto& [member, value] : args.integers) j[member] = value;
  if (args.isolates) j["isolates"] = true;
  auto options = ParseDrawingOptions(j.dump(), FlagWording());
  if (!options.ok()) return Fail(options.status(), kExitUsage);
  int code = kExitOk;
  auto db = OpenGraph(args.graph, /*write=*/false, &code);
  if (!db) return code;
  auto snapshot = db->GetSnapshot();
  // What the drawing is doing, and for how long, on a terminal: the stages
  // come from ExportPicture, the clock ticks as the work polls for Ctrl-C.
  StageProgress progress(stderr, args.report ? "report" : "draw");
  ExportOptions export_options;
  export_options.stage = [&](std::string_view stage) { progress.Stage(stage); };
  const Interrupt interrupt([&] {
    progress.Tick();
    return SigintInterrupt().Requested();
  });
  auto summary = ExportPicture(*snapshot, *format, args.output, *options, export_options,
                               interrupt);
  progress.Finish();
  if (!summary.ok()) return Fail(summary.status(), ExitFor(summary.status()));
  if (args.json) {
    std::printf("%s\n", summary->ToJson().c_str());
  } else {
    std::printf("%s %llu nodes and %llu ties to %s\n", args.report ? "reported on" : "drew",
                static_cast<unsigned long long>(summary->nodes),
                static_cast<unsigned long long>(summary->edges), args.output.c_str());
  }
  return kExitOk;
}

int RunStats(const std::string& graph, bool json) {
  int code = kExitOk;
  auto db = OpenGraph(graph, /*write=*/false, &code);
  if (!db) return code;
  auto snapshot = db->GetSnapshot();
  auto counts = snapshot->Counts();
  if (!counts.ok()) return Fail(counts.status(), ExitFor(counts.status()));
  std::map<std::string, uint64_t> kinds, sectors, types;
  auto nodes = snapshot->Nodes();
  for (; nodes->Valid(); nodes->Next()) {
    ++kinds[nodes->node().kind];
    if (!nodes->node().sector.empty()) ++sectors[nodes->node().sector];
  }
  if (!nodes->status().ok()) return Fail(nodes->status(), ExitFor(nodes->status()));
  auto edges = snapshot->AllEdges();
  for (; edges->Valid(); edges->Next()) {
    ++types[std::string(snapshot->schema().EdgeTypeName(edges->edge().type))];
  }
  if (!edges->status().ok()) return Fail(edges->status(), ExitFor(edges->status()));
  auto disk = db->DiskUsage();
  nlohmann::ordered_json j = {{"nodes", counts->nodes}, {"edges", counts->edges},
                              {"kinds", kinds},        {"sectors", sectors},
                              {"edge_types", types},   {"disk_bytes", disk.ok() ? *disk : 0}};
  if (json) {
    std::printf("%s\n", j.dump().c_str());
    return kExitOk;
  }
  std::printf("nodes  %llu\nedges  %llu\n", static_cast<unsigned long long>(counts->nodes),
              static_cast<unsigned long long>(counts->edges));
  for (const auto& [title, m] : {std::pair{"kinds", &kinds}, std::pair{"sectors", &sectors},
                                 std::pair{"edge types", &types}}) {
    std::printf("%s:\n", title);
    for (const auto& [name, n] : *m) {
      std::printf("  %-24s %llu\n", name.c_str(), static_cast<unsigned long long>(n));
    }
  }
  if (disk.ok()) std::printf("disk   %llu bytes\n", static_cast<unsigned long long>(*disk));
  return kExitOk;
}

int RunCheck(const std::string& graph, const std::string& repair_to) {
  int code = kExitOk;
  if (!repair_to.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(repair_to, ec))) {
      return Fail(Status::InvalidArgument("'" + repair_to +
                                          "' exists: --repair writes a new graph, never over a "
                                          "path"),
                  kExitIo);
    }
    Status salvaged = Db::Salvage(graph, repair_to);
    if (!salvaged.ok()) return Fail(salvaged, ExitFor(salvaged));
    std::printf("salvaged '%s' into '%s'\n", graph.c_str(), repair_to.c_str());
  }
  const std::string& checked = repair_to.empty() ? graph : repair_to;
  auto db = OpenGraph(checked, /*write=*/false, &code);
  if (!db) return code;
  auto report = db->CheckIntegrity();
  if (!report.ok()) return Fail(report.status(), ExitFor(report.status()));
  // Not a fault of the graph's data, but it takes no writes until they are
  // settled: not "ok".
  const auto undecided = db->PreparedTransactions();
  for (const auto& p : undecided) {
    std::printf("undecided: transaction '%s' (label '%s'), prepared by %s, awaits its "
                "decision; the graph takes no writes until it is settled. Use the graph once "
                "from that database to settle it from its commit log; if that database is "
                "gone, decide yourself: samverkan settle %s --commit|--rollback %s\n",
                p.xid.c_str(), p.label.c_str(),
                p.coordinator.empty() ? "an unnamed coordinator" : p.coordinator.c_str(),
                graph.c_str(), p.xid.c_str());
  }
  for (const auto& n : report->notes) std::printf("note: %s\n", n.c_str());
  if (report->ok() && !undecided.empty()) return kExitIntegrity;
  if (report->ok()) {
    std::printf("ok: %llu nodes and %llu edges checked\n",
                static_cast<unsigned long long>(report->nodes_checked),
                static_cast<unsigned long long>(report->edges_checked));
    return kExitOk;
  }
  for (const auto& p : report->problems) std::printf("%s\n", p.c_str());
  if (report->truncated) std::printf("(more problems not listed)\n");
  return kExitIntegrity;
}

int RunSettle(const SettleArgs& args) {
  if (args.commit == args.rollback) {
    return Fail(Status::InvalidArgument("settle needs one of --commit and --rollback"),
                kExitUsage);
  }
  int code = kExitOk;
  std::vector<PreparedTransaction> undecided;
  {
    // Read-only first: a path that is not a graph is refused, not created.
    auto db = OpenGraph(args.graph, /*write=*/false, &code);
    if (!db) return code;
    undecided = db->PreparedTransactions();
  }
  std::string listed;
  for (const auto& p : undecided) listed += (listed.empty() ? "" : ", ") + ("'" + p.xid + "'");
  if (undecided.empty()) {
    std::printf("nothing to settle: graph '%s' has no undecided transaction\n",
                args.graph.c_str());
    return args.xid.empty() ? kExitOk : kExitBadInput;
  }
  std::string xid = args.xid;
  if (xid.empty()) {
    if (undecided.size() > 1) {
      return Fail(Status::InvalidArgument("graph '" + args.graph + "' has " +
                                          std::to_string(undecided.size()) +
                                          " undecided transactions (" + listed +
                                          "): name the one to settle"),
                  kExitUsage);
    }
    xid = undecided.front().xid;
  } else if (std::none_of(undecided.begin(), undecided.end(),
                          [&](const PreparedTransaction& p) { return p.xid == xid; })) {
    return Fail(Status::NotFound("graph '" + args.graph + "' has no undecided transaction '" +
                                 xid + "' (it has " + listed + ")"),
                kExitBadInput);
  }
  std::unique_ptr<WritingMark> writing;
  auto db = OpenForWriting(args.graph, args.wait_ms, &writing, &code);
  if (!db) return code;
  Status s = db->SettlePrepared(xid, args.commit);
  if (!s.ok()) return Fail(s, ExitFor(s));
  std::printf("settled: transaction '%s' %s\n", xid.c_str(),
              args.commit ? "committed" : "rolled back");
  return kExitOk;
}

}  // namespace samverkan::cli
