// fn_import_export.cc: importing and exporting files from SQL.
//
//   SELECT kg_import('kg', 'msi.json', 'case');
//     -> '{"nodes":51,"edges":69,"mode":"transaction","graph_nodes":48,"graph_edges":69}'
//   SELECT kg_import('kg', 'orgs.csv', 'csv', '{"null": "NA", "source": "cordis"}');
//   SELECT kg_export('kg', 'graphml', 'msi.graphml');   -> '{"nodes":48,"edges":69}'
//   SELECT kg_export('kg', 'html', 'msi.html', '{"color":"community"}');
//   SELECT kg_add_sector('kg', 'research_institute');
//     -> '["academia","business","public","nonprofit","research_institute"]'
//
// kg_add_sector extends the graph's list of sectors (a controlled
// vocabulary: a node may name only a sector on it), for nodes written with
// INSERT INTO kg_nodes or Cypher afterwards; kg_import's add_sectors option
// does the same as part of an import.
//
// kg_import takes an optional fourth argument, its options as a JSON object
// (samverkan/import.h ParseImportOptions; docs/formats.md).
// The pictures ('svg', 'html', 'report'; samverkan/drawing.h) take an
// optional fourth argument, their options as a JSON object
// (docs/pictures.md); the other formats take none. A long drawing or report
// stops when the statement is interrupted.
//
// Both call the file libraries' public APIs (samverkan/import.h, export.h,
// drawing.h), the same code as the `samverkan` command-line tool. The format may be NULL
// or 'auto' (from the file name). Relative file names are resolved against
// the process's working directory, as SQLite's own file functions do.
//
// They read and write files, a capability a database schema must not be
// able to grant (an attacker who controls a schema could otherwise read or
// overwrite files through a view or trigger), so they are registered
// SQLITE_DIRECTONLY, as SQLite's csv extension is.
//
// kg_export creates or replaces regular files only (samverkan/export.h): it
// refuses links, FIFOs and devices, paths inside a graph directory, and
// this connection's own database files.
//
// kg_import and kg_add_sector commit in a transaction of their own (all of
// the files or none), independent of any SQL transaction; they refuse to
// run while this connection has uncommitted writes to the graph. kg_export reads the
// committed graph from a snapshot.
#include <nlohmann/json.hpp>

#include "graph_registry.h"
#include "modules.h"
#include "samverkan/drawing.h"
#include "samverkan/export.h"
#include "samverkan/import.h"
#include "sql_interrupt.h"

namespace samverkan::sql {
namespace {

void Error(sqlite3_context* ctx, const char* fn, const std::string& message) {
  std::string msg = std::string(fn) + ": " + message;
  ResultError(ctx, msg);
}

// The graph named by argv[0], or null with the error reported.
std::shared_ptr<GraphHandle> Graph(sqlite3_context* ctx, const char* fn, sqlite3_value* arg) {
  auto* conn = static_cast<Connection*>(sqlite3_user_data(ctx));
  auto found = conn->Find(ValueText(arg));
  if (!found.ok()) {
    Error(ctx, fn, "graph: " + found.status().message());
    return nullptr;
  }
  auto graph = std::move(*found);
  if (Status s = graph->StartStatement(); !s.ok()) {
    Error(ctx, fn, s.message());
    return nullptr;
  }
  return graph;
}

// The message for a graph that has a write transaction open.
std::string OpenTransactionMessage(const GraphHandle& graph) {
  return "graph '" + graph.name() + "' has an open write transaction (uncommitted "
         "writes in this or another connection); COMMIT first";
}

// Every file of every database of this connection (main, temp, attached),
// with its journal, WAL and shared-memory files: an export must not
// overwrite the database it is run from.
std::vector<std::string> DatabaseFiles(sqlite3* db) {
  std::vector<std::string> files;
  for (int i = 0;; ++i) {
    const char* name = sqlite3_db_name(db, i);
    if (name == nullptr) break;
    const char* file = sqlite3_db_filename(db, name);
    if (file == nullptr || file[0] == '\0') continue;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
      files.push_back(std::string(file) + suffix);
    }
  }
  return files;
}

}  // namespace

void KgImport(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  GuardFunction(ctx, [&] {
    auto graph = Graph(ctx, "kg_import", argv[0]);
    if (!graph) return;
    if (IsNull(argv[1]) || ValueText(argv[1]).empty()) {
      return Error(ctx, "kg_import", "file: expected a file name");
    }
    auto format = ParseImportFormat(IsNull(argv[2]) ? "auto" : ValueText(argv[2]));
    if (!format.ok()) return Error(ctx, "kg_import", "format: " + format.status().message());
    if (graph->read_only()) {
      return Error(ctx, "kg_import", "graph '" + graph->path() + "' is open read-only");
    }
    ImportOptions options;
    if (argc > 3 && !IsNull(argv[3])) {
      auto parsed = ParseImportOptions(ValueText(argv[3]));
      if (!parsed.ok()) return Error(ctx, "kg_import", parsed.status().message());
      options = std::move(*parsed);
    }
    sqlite3* sqlite = sqlite3_context_db_handle(ctx);
    auto writable = graph->BeginWriting(sqlite);
    if (!writable.ok()) {
      ResultError(ctx, "kg_import: " + writable.status().message());
      sqlite3_result_error_code(ctx, SqliteCode(writable.status()));
      return;
    }
    Interrupt interrupt(InterruptPredicate(sqlite));
    auto summary = ImportFiles(**writable, {{std::string(ValueText(argv[1])), *format}}, options,
                               interrupt);
    graph->EndWriting();
    if (!summary.ok()) {
      const Status& s = summary.status();
      std::string msg = s.message();
      if (s.code() == Status::Code::kBusy) {
        msg = OpenTransactionMessage(*graph);
      } else if (s.code() == Status::Code::kIOError) {
        msg = "file: " + msg;
      }
      Error(ctx, "kg_import", msg);
      if (s.IsInterrupted()) sqlite3_result_error_code(ctx, SQLITE_INTERRUPT);
      return;
    }
    ResultText(ctx, summary->ToJson());
  });
}

void KgExport(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  GuardFunction(ctx, [&] {
    auto graph = Graph(ctx, "kg_export", argv[0]);
    if (!graph) return;
    if (IsNull(argv[2]) || ValueText(argv[2]).empty()) {
      return Error(ctx, "kg_export", "file: expected a file name");
    }
    std::string path(ValueText(argv[2]));
    auto format = IsNull(argv[1]) || ValueText(argv[1]) == "auto"
                      ? ExportFormatFromPath(path)
                      : ParseExportFormat(ValueText(argv[1]));
    if (!format.ok()) return Error(ctx, "kg_export", "format: " + format.status().message());
    const bool picture = IsPictureFormat(*format);
    DrawingOptions options;
    if (argc > 3 && !IsNull(argv[3])) {
      if (!picture) {
        return Error(ctx, "kg_export", "options: only the svg, html and report formats take options");
      }
      auto parsed = ParseDrawingOptions(ValueText(argv[3]));
      if (!parsed.ok()) return Error(ctx, "kg_export", parsed.status().message());
      options = std::move(*parsed);
    }
    std::shared_ptr<Db> db = graph->db();
    auto snapshot = db->GetSnapshot();
    ExportOptions export_options;
    export_options.protected_files = DatabaseFiles(sqlite3_context_db_handle(ctx));
    Interrupt interrupt(InterruptPredicate(sqlite3_context_db_handle(ctx)));
    auto summary = picture
                       ? ExportPicture(*snapshot, *format, path, options, export_options, interrupt)
                       : ExportGraph(*snapshot, *format, path, export_options, interrupt);
    if (!summary.ok()) {
      const Status& s = summary.status();
      Error(ctx, "kg_export", (s.code() == Status::Code::kIOError ? "file: " : "") + s.message());
      if (s.IsInterrupted()) sqlite3_result_error_code(ctx, SQLITE_INTERRUPT);
      return;
    }
    ResultText(ctx, summary->ToJson());
  });
}

void KgAddSector(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  GuardFunction(ctx, [&] {
    auto graph = Graph(ctx, "kg_add_sector", argv[0]);
    if (!graph) return;
    if (argc < 2) return Error(ctx, "kg_add_sector", "expected a graph and one or more sectors");
    std::vector<std::string> sectors;
    for (int i = 1; i < argc; ++i) {
      if (IsNull(argv[i]) || ValueText(argv[i]).empty()) {
        return Error(ctx, "kg_add_sector", "sector " + std::to_string(i) + ": expected a name");
      }
      sectors.emplace_back(ValueText(argv[i]));
    }
    if (graph->read_only()) {
      return Error(ctx, "kg_add_sector", "graph '" + graph->path() + "' is open read-only");
    }
    sqlite3* sqlite = sqlite3_context_db_handle(ctx);
    auto writable = graph->BeginWriting(sqlite);
    if (!writable.ok()) {
      ResultError(ctx, "kg_add_sector: " + writable.status().message());
      sqlite3_result_error_code(ctx, SqliteCode(writable.status()));
      return;
    }
    Db& db = **writable;
    Status s = [&]() -> Status {
      SV_ASSIGN_OR_RETURN(auto txn, db.BeginTransaction("kg_add_sector"));
      for (const auto& name : sectors) {
        SV_RETURN_IF_ERROR(txn->AddSector(name).WithContext("sector '" + name + "'"));
      }
      return txn->Commit();
    }();
    graph->EndWriting();
    if (!s.ok()) {
      return Error(ctx, "kg_add_sector",
                   s.code() == Status::Code::kBusy ? OpenTransactionMessage(*graph) : s.message());
    }
    ResultText(ctx, nlohmann::json(db.schema().Names(SymbolSpace::kSector)).dump());
  });
}

}  // namespace samverkan::sql
