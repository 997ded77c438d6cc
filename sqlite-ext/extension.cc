// extension.cc: the entry point and the registration tables.
//
// The only SQLITE_EXTENSION_INIT1 of the extension lives here; every other
// file reaches SQLite through the same routine table (vtab_base.h).
//
// Everything registered, for the exact list the tests check:
//
//   modules    samverkan, samverkan_nodes, samverkan_edges      (tables)
//              samverkan_cypher                                 (stored queries)
//              kg_neighbors, kg_shortest_path, kg_all_shortest_paths,
//              kg_find, kg_cypher                               (functions)
//              kg_pagerank, kg_components, kg_betweenness, kg_closeness,
//              kg_degree, kg_kcore, kg_clustering, kg_communities,
//              kg_projection, kg_sector_mixing, kg_ei_index,
//              kg_assortativity, kg_brokerage, kg_conductance,
//              kg_sector_ties_by_year                 (analytics:
//              kg_<name> for each procedure of samverkan/procedures.h)
//   functions  kg_version(), kg_debug(), kg_stats(graph),
//              kg_integrity_check(graph), kg_set(name, value)
//              kg_import(graph, file, format [, options]),
//              kg_add_sector(graph, sector [, sector ...]),
//              kg_export(graph, format, file [, options])      (files)
//
// Each connection that loads the extension gets one Connection object
// (graph_registry.h), passed as pAux/pApp to every registration; each holds
// a reference, released by SQLite through the registration's destructor.
#ifndef SQLITE_CORE
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#else
#include <sqlite3.h>
#endif

#include <exception>

#include "graph_registry.h"
#include "modules.h"
#include "samverkan/memory_reserve.h"
#include "samverkan/parallel.h"
#include "samverkan/procedures.h"
#include "samverkan_ext.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

// kg_version and kg_debug depend on nothing but the build.
constexpr int kPureFlags = SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC;
// The others open graphs, and read or write files: no schema may call them.
// SQLITE_DIRECTONLY alone does not ensure that. SQLite (3.40 and later)
// marks a function call in a CHECK constraint as coming from the schema only
// when the function is deterministic, so a DIRECTONLY function that is not
// runs from a CHECK constraint of a hostile .db. Declared deterministic,
// every schema place refuses them: CHECK, DEFAULT, generated columns,
// index expressions, partial indexes ("unsafe use of kg_export()"), as
// triggers and views already did. At the top level, deterministic only
// allows SQLite to call one of them once per statement for the same
// arguments, which is what a statement that names it once expects.
constexpr int kGraphFlags = SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC;

const FunctionEntry kFunctions[] = {
    {"kg_version", 0, kPureFlags, KgVersion},
    {"kg_debug", 0, kPureFlags, KgDebug},
    // Read graphs of this connection; DIRECTONLY like the tables.
    {"kg_stats", 1, kGraphFlags, KgStats},
    {"kg_integrity_check", 1, kGraphFlags, KgIntegrityCheck},
    // Changes this connection's settings: no schema may (a view raising
    // the memory limit of the user's queries).
    {"kg_set", 2, kGraphFlags, KgSet},
    // Read and write files: DIRECTONLY so that no schema can grant it
    // (fn_import_export.cc).
    {"kg_import", 3, kGraphFlags, KgImport},
    {"kg_import", 4, kGraphFlags, KgImport},  // options (fn_import_export.cc)
    {"kg_export", 3, kGraphFlags, KgExport},
    {"kg_export", 4, kGraphFlags, KgExport},  // pictures' options (fn_import_export.cc)
    // Writes the graph's vocabulary, in a transaction of its own.
    {"kg_add_sector", -1, kGraphFlags, KgAddSector},
};

const ModuleEntry kModules[] = {
    {"samverkan", &kGraphModule},
    {"samverkan_nodes", &kNodesModule},
    {"samverkan_edges", &kEdgesModule},
    {"kg_neighbors", &kNeighborsModule},
    {"kg_shortest_path", &kShortestPathModule},
    {"kg_all_shortest_paths", &kAllShortestPathsModule},
    {"kg_find", &kFindModule},
    {"kg_cypher", &kCypherModule},
    {"samverkan_cypher", &kStoredCypherModule},
};

}  // namespace

bool IsFunctionName(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (name == f.name) return true;
  }
  for (const auto& m : kModules) {
    if (name == m.name && !name.starts_with("samverkan")) return true;
  }
  for (const Procedure* p : Procedures()) {
    if (name == AnalyticsFunctionName(p->name)) return true;
  }
  return false;
}

namespace {

int Register(sqlite3* db, char** err) {
  auto* conn = new (std::nothrow) Connection(db);
  if (conn == nullptr) return SQLITE_NOMEM;
  conn->Retain();  // ours, until registration is done
  int rc = SQLITE_OK;
  for (const auto& m : kModules) {
    conn->Retain();  // released by SQLite, also when registration fails
    rc = sqlite3_create_module_v2(db, m.name, m.module, conn, Connection::Release);
    if (rc != SQLITE_OK) {
      *err = FormatError("error creating module %s: %s", m.name, sqlite3_errmsg(db));
      break;
    }
  }
  for (const Procedure* p : Procedures()) {
    if (rc != SQLITE_OK) break;
    const std::string name = AnalyticsFunctionName(p->name);
    conn->Retain();
    rc = sqlite3_create_module_v2(db, name.c_str(), &kAnalyticsModule, conn, Connection::Release);
    if (rc != SQLITE_OK) {
      *err = FormatError("error creating module %s: %s", name.c_str(), sqlite3_errmsg(db));
    }
  }
  for (const auto& f : kFunctions) {
    if (rc != SQLITE_OK) break;
    conn->Retain();
    rc = sqlite3_create_function_v2(db, f.name, f.n_args, f.flags, conn, f.fn, nullptr, nullptr,
                                    Connection::Release);
    if (rc != SQLITE_OK) {
      *err = FormatError("error creating function %s: %s", f.name, sqlite3_errmsg(db));
    }
  }
  Connection::Release(conn);
  return rc;
}

}  // namespace
}  // namespace samverkan::sql

extern "C" int sqlite3_samverkan_init(sqlite3* db, char** err, const sqlite3_api_routines* api) {
  SQLITE_EXTENSION_INIT2(api);
  samverkan::AllocateExceptionState();
  // Memory that running out of memory gives back, so that what runs while
  // a statement fails (RocksDB, destructors) finds some: the host lives on.
  samverkan::InstallMemoryReserve();
  try {
    return samverkan::sql::Register(db, err);
  } catch (...) {
    *err = samverkan::sql::FormatError("kg internal error: cannot register the extension");
    return SQLITE_ERROR;
  }
}
