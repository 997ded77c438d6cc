// fn_meta.cc: scalar functions about the extension and its graphs.
//
//   kg_version()              'samverkan 0.1.0 (format 1)'
//   kg_debug()                build information, one "name: value" per line
//   kg_stats('kg')            JSON: {"nodes":3,"edges":2,"disk_bytes":...,
//                                    "path":"/abs/msi.kg","read_only":false}
//   kg_integrity_check('kg')  'ok', or the problems found, one per line
//   kg_set('cypher_memory_limit', 104857600)
//                             a setting of this connection; returns the
//                             value now in force (NULL: back to the default)
//   kg_set('cypher_procedure', '{"signature": "test.my.proc(in :: INTEGER?) ::
//          (out :: STRING?)", "rows": [[1, "a"]]}')
//                             declares a table procedure kg_cypher's queries
//                             may CALL (the openCypher TCK's test procedures;
//                             one of the same name is replaced); NULL removes
//                             them all. Returns how many are declared.
//
// kg_stats counts what this connection sees (its own uncommitted writes
// included); kg_integrity_check checks the committed graph.
#include <rocksdb/version.h>

#include <nlohmann/json.hpp>

#include "graph_registry.h"
#include "modules.h"
#include "samverkan/options.h"
#include "samverkan/text.h"
#include "samverkan/version.h"

namespace samverkan::sql {
namespace {

#define SV_STRINGIFY_INNER(x) #x
#define SV_STRINGIFY(x) SV_STRINGIFY_INNER(x)

std::string CompilerName() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " SV_STRINGIFY(__GNUC__) "." SV_STRINGIFY(__GNUC_MINOR__) "." SV_STRINGIFY(
      __GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

// The graph named by the function's first argument, or null with the error
// already reported: "kg_stats: no graph named 'x' in this connection".
std::shared_ptr<GraphHandle> GraphFromArgument(sqlite3_context* ctx, const char* fn,
                                               sqlite3_value* arg) {
  auto* conn = static_cast<Connection*>(sqlite3_user_data(ctx));
  std::string name(ValueText(arg));
  auto found = conn->Find(name);
  if (!found.ok()) {
    std::string msg = std::string(fn) + ": " + found.status().message();
    ResultError(ctx, msg);
    return nullptr;
  }
  auto graph = std::move(*found);
  if (Status s = graph->StartStatement(); !s.ok()) {
    std::string msg = std::string(fn) + ": " + s.message();
    ResultError(ctx, msg);
    sqlite3_result_error_code(ctx, SqliteCode(s));  // SQLITE_BUSY: retry
    return nullptr;
  }
  return graph;
}

void ResultStatusError(sqlite3_context* ctx, const char* fn, const Status& s) {
  std::string msg = std::string(fn) + ": " + s.message();
  ResultError(ctx, msg);
}

}  // namespace

void KgVersion(sqlite3_context* ctx, int, sqlite3_value**) {
  GuardFunction(ctx, [&] {
    ResultText(ctx, "samverkan " + std::string(kVersion) + " (format " +
                        std::to_string(kFormatVersion) + ")");
  });
}

void KgDebug(sqlite3_context* ctx, int, sqlite3_value**) {
  GuardFunction(ctx, [&] {
    std::string text;
    text += "version: " + std::string(kVersion) + "\n";
    text += "format: " + std::to_string(kFormatVersion) + "\n";
    text += "compiler: " + CompilerName() + "\n";
    text += "rocksdb: " SV_STRINGIFY(ROCKSDB_MAJOR) "." SV_STRINGIFY(ROCKSDB_MINOR) "." SV_STRINGIFY(
        ROCKSDB_PATCH) "\n";
    text += "sqlite (compiled against): " SQLITE_VERSION "\n";
    text += "sqlite (running): " + std::string(sqlite3_libversion()) + "\n";
#ifdef NDEBUG
    text += "assertions: off";
#else
    text += "assertions: on";
#endif
    ResultText(ctx, text);
  });
}

void KgStats(sqlite3_context* ctx, int, sqlite3_value** argv) {
  GuardFunction(ctx, [&] {
    auto graph = GraphFromArgument(ctx, "kg_stats", argv[0]);
    if (!graph) return;
    ReadView read = graph->View();
    auto counts = read.view->Counts();
    if (!counts.ok()) return ResultStatusError(ctx, "kg_stats", counts.status());
    auto disk = graph->db()->DiskUsage();
    if (!disk.ok()) return ResultStatusError(ctx, "kg_stats", disk.status());
    nlohmann::ordered_json stats = {{"nodes", counts->nodes},
                                    {"edges", counts->edges},
                                    {"disk_bytes", *disk},
                                    {"path", graph->path()},
                                    {"read_only", graph->read_only()},
                                    {"holds_write_access", graph->holds_write_access()},
                                    {"snapshot_reads", graph->snapshot_reads()},
                                    {"record_field_reads", graph->record_field_reads()},
                                    {"held_props_reads", graph->held_props_reads()},
                                    {"held_props_bytes", graph->held_edge_props().memory_bytes() +
                                                         graph->held_node_props().memory_bytes()}};
    ResultText(ctx, stats.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  });
}

void KgIntegrityCheck(sqlite3_context* ctx, int, sqlite3_value** argv) {
  GuardFunction(ctx, [&] {
    auto graph = GraphFromArgument(ctx, "kg_integrity_check", argv[0]);
    if (!graph) return;
    auto report = graph->db()->CheckIntegrity();
    if (!report.ok()) return ResultStatusError(ctx, "kg_integrity_check", report.status());
    if (report->ok()) return ResultText(ctx, "ok");
    std::string text;
    for (const auto& p : report->problems) text += (text.empty() ? "" : "\n") + p;
    if (report->truncated) text += "\n(more problems not listed)";
    ResultText(ctx, text);
  });
}

namespace {

void SetProcedure(sqlite3_context* ctx, Connection* conn, sqlite3_value* value) {
  cypher::TableProcedures& procs = conn->settings().cypher_procedures;
  if (IsNull(value)) {
    procs.clear();
    return sqlite3_result_int64(ctx, 0);
  }
  const std::string text(ValueText(value));
  nlohmann::json j = JsonNestingExceeds(text)
                         ? nlohmann::json()
                         : nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("signature") || !j["signature"].is_string() ||
      !j.contains("rows")) {
    return ResultError(ctx, "kg_set: cypher_procedure takes a JSON object "
                            "{\"signature\": \"name(in :: TYPE) :: (out :: TYPE)\", \"rows\": [...]}");
  }
  auto proc = cypher::MakeTableProcedure(j["signature"].get<std::string>(), j["rows"].dump());
  if (!proc.ok()) return ResultError(ctx, "kg_set: " + proc.status().message());
  std::erase_if(procs, [&](const auto& p) { return p->name == (*proc)->name; });
  procs.push_back(std::move(*proc));
  sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(procs.size()));
}

}  // namespace

void KgSet(sqlite3_context* ctx, int, sqlite3_value** argv) {
  GuardFunction(ctx, [&] {
    auto* conn = static_cast<Connection*>(sqlite3_user_data(ctx));
    const std::string name(ValueText(argv[0]));
    // Settings are options of the connection, named as they are written.
    static const options::Reader in(options::Wording(
        "", [](std::string_view s) { return std::string(s); },
        [](std::string_view s) { return "unknown setting '" + std::string(s) + "'"; }));
    if (name == "cypher_procedure") return SetProcedure(ctx, conn, argv[1]);
    if (name != "cypher_memory_limit") {
      return ResultError(ctx, "kg_set: " + in.Unknown(name, {"cypher_memory_limit",
                                                            "cypher_procedure"}).message());
    }
    uint64_t& limit = conn->settings().cypher_memory_limit;
    if (IsNull(argv[1])) {
      limit = cypher::kDefaultMemoryLimit;
    } else if (sqlite3_value_type(argv[1]) != SQLITE_INTEGER || sqlite3_value_int64(argv[1]) <= 0) {
      return ResultError(ctx, "kg_set: " + in.Refuse(name, "must be a positive integer (bytes), "
                                                           "or NULL for the default (2 GiB)")
                                              .message());
    } else {
      limit = static_cast<uint64_t>(sqlite3_value_int64(argv[1]));
    }
    sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(limit));
  });
}

}  // namespace samverkan::sql
