// modules.h: the modules and functions each file defines, for the
// registration tables in extension.cc.
#pragma once

#include "vtab_base.h"

namespace samverkan::sql {

extern const sqlite3_module kGraphModule;         // vtab_graph.cc: samverkan
extern const sqlite3_module kNodesModule;         // vtab_nodes.cc: samverkan_nodes
extern const sqlite3_module kEdgesModule;         // vtab_edges.cc: samverkan_edges
extern const sqlite3_module kNeighborsModule;     // tvf_neighbors.cc: kg_neighbors
extern const sqlite3_module kShortestPathModule;  // tvf_shortest_path.cc: kg_shortest_path
extern const sqlite3_module kAllShortestPathsModule;  // tvf_shortest_path.cc
extern const sqlite3_module kFindModule;          // tvf_find.cc: kg_find

// fn_meta.cc
void KgVersion(sqlite3_context* ctx, int argc, sqlite3_value** argv);
void KgDebug(sqlite3_context* ctx, int argc, sqlite3_value** argv);
void KgStats(sqlite3_context* ctx, int argc, sqlite3_value** argv);
void KgIntegrityCheck(sqlite3_context* ctx, int argc, sqlite3_value** argv);

}  // namespace samverkan::sql
