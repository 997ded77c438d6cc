// tvf_find.cc: kg_find, nodes by name.
//
// USAGE
//
//   SELECT * FROM kg_find('kg', 'orebro universitet');
//
// Every node whose name or one of whose aliases equals `query` once both are
// folded: case, diacritics and runs of spaces and punctuation are ignored,
// so 'orebro  UNIVERSITET' finds 'Örebro universitet'. In id order.
// (SELECT ... FROM kg_nodes WHERE name = ... does the same.)
//
// SCHEMA
//
//   CREATE TABLE x(key, kind, name, sector, graph HIDDEN, query HIDDEN)
//
// ARGUMENTS
//
//   graph  required  the name of a samverkan table of this connection
//   query  required  the name to look for. (Called `query`, not `name`, so
//                    that it does not clash with the output column.)
#include "modules.h"
#include "tvf_base.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kQuery };

Result<std::unique_ptr<TvfRows>> RunFind(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(auto graph, GraphArgument(conn, args, kGraph));
  ReadView read = graph->View();
  SV_ASSIGN_OR_RETURN(std::vector<NodeId> ids, read.view->FindByName(args.Text(kQuery)));
  std::vector<SqlRow> rows;
  for (NodeId id : ids) {
    SV_ASSIGN_OR_RETURN(Node node, read.view->GetNode(id));
    SqlRow row{node.key, node.kind, node.name, {}};
    if (!node.sector.empty()) row[3] = node.sector;
    rows.push_back(std::move(row));
  }
  return std::unique_ptr<TvfRows>(std::make_unique<MaterializedRows>(std::move(rows)));
}

const TvfSpec kSpec = {
    "kg_find",
    "CREATE TABLE x(key, kind, name, sector, graph HIDDEN, query HIDDEN)",
    4,
    {{"graph", true}, {"query", true}},
    RunFind,
};

int FindConnect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kFindModule = SAMVERKAN_TVF_MODULE(FindConnect);

}  // namespace samverkan::sql
