// modules.h: the modules and functions each file defines, for the
// registration tables in extension.cc.
#pragma once

#include <string_view>

#include "vtab_base.h"

namespace samverkan::sql {

extern const sqlite3_module kGraphModule;         // vtab_graph.cc: samverkan
extern const sqlite3_module kNodesModule;         // vtab_nodes.cc: samverkan_nodes
extern const sqlite3_module kEdgesModule;         // vtab_edges.cc: samverkan_edges
extern const sqlite3_module kNeighborsModule;     // tvf_neighbors.cc: kg_neighbors
extern const sqlite3_module kShortestPathModule;  // tvf_shortest_path.cc: kg_shortest_path
extern const sqlite3_module kAllShortestPathsModule;  // tvf_shortest_path.cc
extern const sqlite3_module kFindModule;          // tvf_find.cc: kg_find
extern const sqlite3_module kCypherModule;        // tvf_cypher.cc: kg_cypher
extern const sqlite3_module kStoredCypherModule;  // vtab_cypher.cc: samverkan_cypher
// Analytics (tvf_analytics.h), one function per file: tvf_<name>.cc.
extern const sqlite3_module kPageRankModule;       // kg_pagerank
extern const sqlite3_module kComponentsModule;     // kg_components
extern const sqlite3_module kBetweennessModule;    // kg_betweenness
extern const sqlite3_module kClosenessModule;      // kg_closeness
extern const sqlite3_module kDegreeModule;         // kg_degree
extern const sqlite3_module kKCoreModule;          // kg_kcore
extern const sqlite3_module kClusteringModule;     // kg_clustering
extern const sqlite3_module kCommunitiesModule;    // kg_communities
extern const sqlite3_module kProjectionModule;     // kg_projection
extern const sqlite3_module kSectorMixingModule;   // kg_sector_mixing
extern const sqlite3_module kEiIndexModule;        // kg_ei_index
extern const sqlite3_module kAssortativityModule;  // kg_assortativity
extern const sqlite3_module kBrokerageModule;      // kg_brokerage
extern const sqlite3_module kConductanceModule;    // kg_conductance
extern const sqlite3_module kSectorTiesByYearModule;  // kg_sector_ties_by_year

// extension.cc: true for the (lowercase) name of one of the extension's
// functions or table-valued functions.
bool IsFunctionName(std::string_view name);

// fn_meta.cc
void KgVersion(sqlite3_context* ctx, int argc, sqlite3_value** argv);
void KgDebug(sqlite3_context* ctx, int argc, sqlite3_value** argv);
void KgStats(sqlite3_context* ctx, int argc, sqlite3_value** argv);
void KgIntegrityCheck(sqlite3_context* ctx, int argc, sqlite3_value** argv);
void KgSet(sqlite3_context* ctx, int argc, sqlite3_value** argv);

// fn_import_export.cc
void KgImport(sqlite3_context* ctx, int argc, sqlite3_value** argv);
void KgExport(sqlite3_context* ctx, int argc, sqlite3_value** argv);

}  // namespace samverkan::sql
