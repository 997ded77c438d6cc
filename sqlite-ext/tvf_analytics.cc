// tvf_analytics.cc: the analytics functions, kg_<name> for each procedure
// of samverkan/procedures.h. See tvf_analytics.h. What follows is each
// function's usage from SQL.
//
// tvf_pagerank.cc: kg_pagerank, PageRank of every node (also personalised).
//
// USAGE
//
//   SELECT * FROM kg_pagerank('kg') ORDER BY rank DESC LIMIT 10;
//   SELECT key, rank FROM kg_pagerank('kg', 0.85, 100)
//     JOIN kg_nodes USING (key) WHERE kind = 'actor';
//   SELECT * FROM kg_pagerank WHERE graph = 'kg' AND personalization = 'org:msi';
//
// nx.pagerank on the subgraph: power iteration from 1/N until the ranks
// change by less than `tolerance` in sum (by default 1e-10, which leaves
// them within about 1e-9 of the exact solution igraph's PRPACK finds), at
// most `iterations` rounds, else an error; dangling nodes spread their rank
// like the teleport. Parallel edges each count (as on a MultiDiGraph); see
// samverkan/analytics.h. convergence = 'networkx' stops as nx.pagerank does
// instead: when the change is less than N * tolerance (default 1e-6), which
// on large graphs stops far from the answer.
//
// ARGUMENTS
//
//   graph            required  a samverkan table of this connection
//   damping          0.85      the probability of following an edge
//   iterations       1000      at most this many rounds
//   tolerance        1e-10     the summed change at which to stop; 0 runs
//                              exactly `iterations` rounds
//   personalization  NULL      teleport to these nodes only: 'a,b' (equal
//                              shares) or a JSON object {"a": 2, "b": 1}
//   direction        'both'    'out' follows edges as stored, 'in' reversed,
//                              'both' reads them as undirected ties
//   weight           NULL      'weight': an edge passes rank in proportion to
//                              its weight (1 when it has none)
//   kinds, types     NULL      only nodes of these kinds / edges of these types
//   valid_on         NULL      only edges valid on this ISO date
//   year             NULL      only edges valid at some time in this year
//   convergence      'sum'     'networkx': tolerance is per node (nx's tol,
//                              default 1e-6)
//
// tvf_components.cc: kg_components, the connected components.
//
// USAGE
//
//   SELECT * FROM kg_components('kg');                      -- weak
//   SELECT component, size FROM kg_components('kg', 'strong') GROUP BY component;
//   SELECT key FROM kg_components('kg') WHERE size = 1;     -- isolated nodes
//
// Weakly connected components ignore edge direction (nx.connected_components
// of the undirected graph); strongly connected ones follow edges as stored
// (nx.strongly_connected_components). Components are numbered 0, 1, ... in
// the order of their first node by internal id.
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   mode          'weak'    'weak' or 'strong'
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// tvf_communities.cc: kg_communities, Louvain communities and their
// modularity.
//
// USAGE
//
//   SELECT * FROM kg_communities('kg');
//   SELECT community, count(*) FROM kg_communities('kg') GROUP BY community;
//   SELECT c.community, n.sector, count(*) FROM kg_communities('kg') c
//     JOIN kg_nodes n USING (key) GROUP BY 1, 2;      -- sector make-up
//
// Louvain (Blondel et al. 2008) on the undirected graph, as
// nx.community.louvain_communities: modularity is maximised greedily, level
// by level. `modularity` (the same on every row) is Newman's modularity of
// the partition found, nx.community.modularity. The result is deterministic
// for a given seed.
//
// ARGUMENTS
//
//   graph       required  a samverkan table of this connection
//   resolution  1         > 1 favours smaller communities, < 1 larger ones
//   seed        42        the random visiting order; 0 visits in id order
//   weight      NULL      'weight': ties count by their edges' weights
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// tvf_betweenness.cc: kg_betweenness, betweenness centrality of every node.
//
// USAGE
//
//   SELECT * FROM kg_betweenness('kg') ORDER BY betweenness DESC LIMIT 10;
//   SELECT * FROM kg_betweenness('kg', 1, 500);   -- estimate from 500 sources
//
// nx.betweenness_centrality (Brandes): the share of shortest paths between
// other pairs that pass through the node. Normalised by (n-1)(n-2) unless
// normalized = 0 (then an undirected graph counts each pair once). With
// samples = k, k random sources stand for all (scaled by n/k): an estimate
// for graphs too large for the exact O(nm).
//
// ARGUMENTS
//
//   graph       required  a samverkan table of this connection
//   normalized  1         0: raw pair counts
//   samples     0         0: exact; k: estimate from k random sources
//   seed        42        the sources' random seed
//   direction   'both'    'out'/'in': directed paths along/against edges
//   weight      NULL      'weight': edge weights are lengths (Dijkstra)
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// tvf_closeness.cc: kg_closeness, closeness centrality of every node.
//
// USAGE
//
//   SELECT * FROM kg_closeness('kg') ORDER BY closeness DESC LIMIT 10;
//
// nx.closeness_centrality: (r-1) / (sum of distances to the r-1 nodes the
// node reaches), scaled by (r-1)/(n-1) (Wasserman-Faust; wf_improved = 0
// turns that off). Distances follow `direction` from the node: 'out' along
// edges; NetworkX's directed closeness uses distances *to* the node, which
// is 'in' here.
//
// ARGUMENTS
//
//   graph        required  a samverkan table of this connection
//   wf_improved  1         0: no scaling for disconnected graphs
//   direction    'both'    'out', 'in' or 'both'
//   weight       NULL      'weight': edge weights are lengths (Dijkstra)
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// tvf_degree.cc: kg_degree, the degrees of every node.
//
// USAGE
//
//   SELECT * FROM kg_degree('kg') ORDER BY degree DESC LIMIT 10;
//   SELECT key, degree FROM kg_degree('kg', NULL, 'participates_in');
//
// out_degree and in_degree count edges as stored (parallel edges each);
// degree is their sum; neighbors counts distinct neighbours either way, and
// centrality is neighbors / (n-1), nx.degree_centrality of the simple
// undirected graph.
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// tvf_kcore.cc: kg_kcore, the core number of every node.
//
// USAGE
//
//   SELECT * FROM kg_kcore('kg') ORDER BY core DESC;
//   SELECT key FROM kg_kcore('kg') WHERE core >= 3;   -- the 3-core
//
// nx.core_number of the simple undirected graph: the largest k such that
// the node is in a subgraph where every node has at least k neighbours.
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// tvf_clustering.cc: kg_clustering, local clustering coefficients.
//
// USAGE
//
//   SELECT * FROM kg_clustering('kg') WHERE triangles > 0;
//   SELECT avg(clustering) FROM kg_clustering('kg');  -- nx.average_clustering
//
// nx.clustering and nx.triangles of the simple undirected graph: the share
// of a node's neighbour pairs that are themselves tied (0 below two
// neighbours).
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// tvf_projection.cc: kg_projection, the bipartite projection of a two-mode
// graph (actors and projects) onto one mode (actor-actor ties).
//
// USAGE
//
//   SELECT * FROM kg_projection('kg') ORDER BY weight DESC;
//   SELECT * FROM kg_projection('kg', 'actor', 'project', 'participates_in', NULL, 2021);
//
// Two `keep` nodes are tied when they share at least one `via` neighbour
// (edges in either direction), weighted by how many they share:
// nx.bipartite.weighted_projected_graph. One row per tie, actor_a < actor_b
// by internal id. With `year`, only edges valid in that year take part: the
// collaboration network of that year.
//
// ARGUMENTS
//
//   graph     required   a samverkan table of this connection
//   keep      'actor'    the kind of node kept
//   via       'project'  the kind of node that ties them
//   types, valid_on, year   the subgraph, as for kg_pagerank
//
// tvf_sector_mixing.cc: kg_sector_mixing, the mixing matrix by sector (or
// by kind, region or any property).
//
// USAGE
//
//   SELECT * FROM kg_sector_mixing('kg', 'sector', 'project');
//   SELECT group_a, group_b, ties FROM kg_sector_mixing('kg', 'region', 'project')
//    WHERE group_a <= group_b;
//   WITH RECURSIVE y(year) AS (SELECT 2018 UNION ALL SELECT year + 1 FROM y WHERE year < 2022)
//   SELECT y.year, m.* FROM y,
//     kg_sector_mixing('kg', 'sector', 'project', NULL, NULL, NULL, NULL, y.year) m;
//
// Counts the ties between members of each pair of groups. Ties are the
// subgraph's edges read as undirected, or, with `via` = 'project', the
// projection through projects (two actors are tied when they share one).
// One row per ordered pair of groups that has ties, so the matrix is
// symmetric; `fraction` is nx.attribute_mixing_matrix(normalized=True)
// (an off-diagonal tie counts half in each of its two cells).
//
// ARGUMENTS
//
//   graph      required  a samverkan table of this connection
//   attribute  'sector'  'sector', 'kind', 'region' (the node located_in)
//                        or 'props.<name>'; nodes without it are left out
//   via        NULL      a node kind: tie nodes that share one (e.g. 'project')
//   weight     NULL      'weight': weigh ties by their edges' weights (with
//                        `via`: by the number of shared `via` nodes)
//
// COLUMNS
//
//   group_a, group_b  the two groups
//   ties              ties between them (inside the group when equal)
//   tie_weight        the sum of those ties' weights with weight = 'weight';
//                     without it every tie weighs 1 and tie_weight = ties
//   fraction          the normalised mixing-matrix entry, from tie_weight
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// tvf_ei_index.cc: kg_ei_index, Krackhardt and Stern's E-I index by sector
// (or kind, region, property).
//
// USAGE
//
//   SELECT * FROM kg_ei_index('kg', 'sector', 'project');
//   SELECT ei_index FROM kg_ei_index('kg') WHERE group_name IS NULL;  -- whole graph
//
// For each group, (E - I) / (E + I) with I its ties inside the group and E
// its ties to other groups: -1 when a group only works within itself, +1
// when it only works across. The row with group_name NULL is the whole
// graph's index (each tie counted once). Ties as for kg_sector_mixing.
//
// ARGUMENTS
//
//   graph, attribute, via, weight, kinds, types, valid_on, year
//       as for kg_sector_mixing
//
// tvf_assortativity.cc: kg_assortativity, Newman's attribute assortativity
// by sector (or kind, region, property).
//
// USAGE
//
//   SELECT * FROM kg_assortativity('kg', 'sector', 'project');
//   WITH RECURSIVE y(year) AS (SELECT 2018 UNION ALL SELECT year + 1 FROM y WHERE year < 2022)
//   SELECT y.year, a.assortativity FROM y,
//     kg_assortativity('kg', 'sector', 'project', NULL, NULL, NULL, NULL, y.year) a;
//
// r = (sum_i e_ii - sum_i a_i^2) / (1 - sum_i a_i^2) over the normalised
// mixing matrix e (a_i its row sums): 1 when ties stay within groups, 0 as
// for random mixing, negative when they prefer other groups.
// nx.attribute_assortativity_coefficient. NULL when undefined (e.g. one
// group). Ties as for kg_sector_mixing. One row.
//
// ARGUMENTS
//
//   graph, attribute, via, weight, kinds, types, valid_on, year
//       as for kg_sector_mixing
//
// tvf_conductance.cc: kg_conductance, how much of each sector's (kind's,
// region's, property value's) tie weight leaves it.
//
// USAGE
//
//   SELECT * FROM kg_conductance('kg', 'sector', 'project');
//   SELECT * FROM kg_conductance('kg', 'region') ORDER BY conductance;
//
// For each group S: cut(S) / min(vol(S), vol(rest)), vol the sum of degrees
// and `rest` every other node (grouped or not): nx.conductance(G, S). 0 for
// a group closed on itself, near 1 for one that mostly works outside. NULL
// when a volume is 0. Ties as for kg_sector_mixing.
//
// ARGUMENTS
//
//   graph, attribute, via, weight, kinds, types, valid_on, year
//       as for kg_sector_mixing
//
// tvf_brokerage.cc: kg_brokerage, Gould-Fernandez brokerage roles between
// sectors (or kinds, regions, property values).
//
// USAGE
//
//   SELECT * FROM kg_brokerage('kg', 'sector', 'project');
//   SELECT key, sum(count) FROM kg_brokerage('kg', 'sector', 'project')
//    WHERE role IN ('liaison', 'itinerant') GROUP BY key ORDER BY 2 DESC;
//
// For each node b, the open two-paths a -> b -> c (a and c not tied) it is
// the middle of, by role: coordinator (a, b, c in one group), itinerant (a
// and c in one group, b in another), representative (b in a's group, c
// not), gatekeeper (b in c's group, a not), liaison (three groups). With
// direction 'both' (the default) a tie is two arcs, so each open path counts
// once each way and representative = gatekeeper. One row per node and role
// with a non-zero count. Ties as for kg_sector_mixing.
//
// ARGUMENTS
//
//   graph, attribute, via, kinds, types, valid_on, year
//       as for kg_sector_mixing
//   direction  'both'   'out': follow edges as stored ('in': reversed);
//                       ignored with `via` (projected ties are undirected)

#include "tvf_analytics.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "samverkan/options.h"
#include "samverkan/procedures.h"
#include "samverkan/text.h"
#include "sql_interrupt.h"

namespace samverkan::sql {
namespace {

// `key` in SQL for a node column named `node`; others keep their names.
const char* SqlColumnName(const ProcColumn& c) {
  return c.type == ProcColumnType::kNode && std::string_view(c.name) == "node" ? "key" : c.name;
}

// Node keys with shares, from 'a,b' (equal shares) or {"a": 2, "b": 1}.
Result<ProcValue> SharesArgument(const std::string& name, const std::string& text) {
  if (text.empty() || text.front() != '{') {
    SV_ASSIGN_OR_RETURN(ProcNames keys, ArgumentReader().NameList(text, name));
    return ProcValue(std::move(keys));
  }
  auto json = JsonNestingExceeds(text, 1)
                  ? nlohmann::json()
                  : nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return Status::InvalidArgument(name + " is not a JSON object");
  if (auto duplicate = FindDuplicateJsonKey(text)) {
    return Status::InvalidArgument(name + ": " + DuplicateJsonKeyMessage(*duplicate));
  }
  ProcShares shares;
  for (const auto& [key, value] : json.items()) {
    if (!value.is_number() || value.get<double>() < 0) {
      return Status::InvalidArgument(name + ": the share of '" + key +
                                     "' must be a non-negative number");
    }
    shares.emplace_back(key, value.get<double>());
  }
  return ProcValue(std::move(shares));
}

// An SQL argument as the procedure's argument `arg` takes it.
Result<ProcValue> ArgumentValue(const ProcArg& arg, sqlite3_value* v) {
  if (v == nullptr || IsNull(v)) return ProcValue();
  switch (arg.type) {
    case ProcArgType::kBool: {
      SV_ASSIGN_OR_RETURN(bool yes, ArgumentReader().YesNo(ValueText(v), arg.name));
      return ProcValue(yes);
    }
    case ProcArgType::kNumber:
    case ProcArgType::kCount:
    case ProcArgType::kYear: {
      // Numeric text counts as the number, as SQLite's affinity would make it.
      const int type = sqlite3_value_numeric_type(v);
      if (type == SQLITE_INTEGER) return ProcValue(int64_t{sqlite3_value_int64(v)});
      if (type == SQLITE_FLOAT) return ProcValue(sqlite3_value_double(v));
      return ProcValue(std::string(ValueText(v)));
    }
    case ProcArgType::kNames: {
      SV_ASSIGN_OR_RETURN(ProcNames names, ArgumentReader().NameList(ValueText(v), arg.name));
      return ProcValue(std::move(names));
    }
    case ProcArgType::kShares:
      return SharesArgument(arg.name, std::string(ValueText(v)));
    case ProcArgType::kText:
    case ProcArgType::kDate:
    case ProcArgType::kKind:
      return ProcValue(std::string(ValueText(v)));
  }
  return ProcValue();
}

// A procedure's rows; node keys are looked up only when SQLite asks for them.
class ProcedureRows final : public TvfRows {
 public:
  ProcedureRows(ReadView read, ProcResult result)
      : read_(std::move(read)),
        result_(std::move(result)),
        last_(result_.columns.size(), {UINT32_MAX, std::string()}) {}

  size_t size() const override { return result_.rows; }

  Result<SqlValue> Column(size_t row, int col) const override {
    const ProcColumnValues& c = result_.columns[static_cast<size_t>(col)];
    if (const auto* d = std::get_if<std::vector<double>>(&c)) {
      const double x = (*d)[row];
      return std::isnan(x) ? SqlValue() : SqlValue(x);
    }
    if (const auto* i = std::get_if<std::vector<int64_t>>(&c)) return SqlValue((*i)[row]);
    if (const auto* s = std::get_if<std::vector<std::optional<std::string>>>(&c)) {
      return (*s)[row] ? SqlValue(*(*s)[row]) : SqlValue();
    }
    const uint32_t v = std::get<std::vector<uint32_t>>(c)[row];
    // SQLite reads a row's columns one after another and consecutive rows
    // often share a node: keep the last key of each node column.
    auto& [cached, key] = last_[static_cast<size_t>(col)];
    if (cached != v) {
      SV_ASSIGN_OR_RETURN(Node node, read_.view->GetNode(result_.csr->node_id(v)));
      cached = v;
      key = std::move(node.key);
    }
    return SqlValue(key);
  }

 private:
  ReadView read_;
  ProcResult result_;
  mutable std::vector<std::pair<uint32_t, std::string>> last_;
};

Result<std::unique_ptr<TvfRows>> Run(const Procedure& proc, Connection* conn,
                                     const TvfArgs& args) {
  std::vector<ProcValue> values(proc.args.size());
  for (size_t i = 0; i < values.size(); ++i) {
    SV_ASSIGN_OR_RETURN(values[i], ArgumentValue(proc.args[i], args.Value(1 + i)));
  }
  SV_ASSIGN_OR_RETURN(auto graph, GraphArgument(conn, args, 0));
  ReadView read = graph->View();
  Interrupt interrupt(InterruptPredicate(conn->db()));
  SV_ASSIGN_OR_RETURN(ProcResult result,
                      RunProcedure(proc, values, *read.view, read.latest, interrupt));
  return std::unique_ptr<TvfRows>(std::make_unique<ProcedureRows>(std::move(read), std::move(result)));
}

TvfSpec MakeTvf(const Procedure& proc, const std::string& name) {
  TvfSpec tvf;
  tvf.name = name.c_str();
  std::string schema = "CREATE TABLE x(";
  for (const ProcColumn& c : proc.columns) schema += std::string(SqlColumnName(c)) + ", ";
  tvf.n_outputs = static_cast<int>(proc.columns.size());
  tvf.args.push_back({"graph", true});
  for (const ProcArg& a : proc.args) tvf.args.push_back({a.name, false});
  for (size_t i = 0; i < tvf.args.size(); ++i) {
    schema += std::string(i ? ", " : "") + tvf.args[i].name + " HIDDEN";
  }
  tvf.schema = schema + ")";
  tvf.run = [&proc](Connection* conn, const TvfArgs& args) { return Run(proc, conn, args); };
  return tvf;
}

// Built on first use (not at load: the procedures' table is another
// file's static data).
const TvfSpec* FindTvf(std::string_view module) {
  struct Entry {
    std::string name;
    TvfSpec tvf;
  };
  static const std::vector<std::unique_ptr<Entry>>* const kTvfs = [] {
    auto* tvfs = new std::vector<std::unique_ptr<Entry>>();
    for (const Procedure* p : Procedures()) {
      auto e = std::make_unique<Entry>();
      e->name = AnalyticsFunctionName(p->name);
      e->tvf = MakeTvf(*p, e->name);
      tvfs->push_back(std::move(e));
    }
    return tvfs;
  }();
  for (const auto& e : *kTvfs) {
    if (e->name == module) return &e->tvf;
  }
  return nullptr;
}

int Connect(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out,
            char** err) {
  const TvfSpec* tvf = argc > 0 ? FindTvf(argv[0]) : nullptr;
  if (tvf == nullptr) {
    *err = FormatError("%sno analytics function %s", kInternalErrorPrefix,
                       argc > 0 ? argv[0] : "?");
    return SQLITE_ERROR;
  }
  return TvfConnect(tvf, db, aux, out, err);
}

}  // namespace

std::string AnalyticsFunctionName(std::string_view procedure) {
  return "kg_" + std::string(procedure);
}

const sqlite3_module kAnalyticsModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
