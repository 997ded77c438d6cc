// procedures_table.cc: the analytics procedures, one entry each: columns,
// arguments and compute. What each measure means is said in
// samverkan/analytics.h and docs/analytics.md; here is only how a call's
// arguments become its options and its results rows.
#include <fmt/format.h>

#include "samverkan/analytics.h"
#include "samverkan/procedures.h"

namespace samverkan {
namespace {

// Which shared arguments a procedure takes, besides types, valid_on, year.
struct Shared {
  bool direction = false;
  bool weight = false;
  bool kinds = true;
};

// The argument list: own, shared, then late (see procedures.h).
std::vector<ProcArg> Args(std::vector<ProcArg> own, Shared shared, std::vector<ProcArg> late = {}) {
  std::vector<ProcArg> args = std::move(own);
  if (shared.direction) {
    args.push_back({"direction", ProcArgType::kText, "'both'",
                    "'out' follows edges as stored, 'in' reversed, 'both' reads them as "
                    "undirected ties",
                    0, 0, {"out", "in", "both"}});
  }
  if (shared.weight) {
    args.push_back({"weight", ProcArgType::kText, "NULL",
                    "'weight': use the edges' weights (1 when an edge has none)", 0, 0,
                    {"weight"}});
  }
  if (shared.kinds) {
    args.push_back({"kinds", ProcArgType::kNames, "NULL", "only nodes of these kinds"});
  }
  args.push_back({"types", ProcArgType::kNames, "NULL", "only edges of these types"});
  args.push_back({"valid_on", ProcArgType::kDate, "NULL", "only edges valid on this date"});
  args.push_back({"year", ProcArgType::kYear, "NULL", "only edges valid at some time in this year"});
  for (auto& a : late) args.push_back(std::move(a));
  return args;
}

const ProcArg kSeedArg = {"seed", ProcArgType::kCount, "42", "the random seed"};

// --- pagerank ---------------------------------------------------------------------------------

Result<std::vector<double>> Personalization(const ProcCall& call) {
  std::vector<double> p(call.csr().num_nodes(), 0.0);
  for (const auto& [key, share] : call.Shares("personalization")) {
    auto id = call.view().FindKey(key);
    if (!id.ok()) return id.status().WithContext("personalization");
    auto v = call.csr().index_of(*id);
    if (!v) {
      return Status::InvalidArgument("personalization: node '" + key + "' is not in the subgraph");
    }
    p[*v] += share;
  }
  return p;
}

Result<ProcResult> ComputePageRank(const ProcCall& call) {
  PageRankOptions o;
  o.damping = call.Number("damping", 0.85);
  o.max_iterations = call.Count("iterations", o.max_iterations);
  o.tolerance_per_node = call.Text("convergence", "sum") == "networkx";
  o.tolerance = call.Number("tolerance", o.tolerance_per_node ? 1e-6 : o.tolerance);
  o.direction = call.direction();
  o.weighted = call.weighted();
  if (call.Has("personalization")) {
    SV_ASSIGN_OR_RETURN(o.personalization, Personalization(call));
  }
  SV_ASSIGN_OR_RETURN(PageRankResult pr, PageRank(call.csr(), o, call.interrupt()));
  if (!pr.converged) {
    return Status::InvalidArgument(fmt::format(
        "did not converge in {} iterations (the ranks still changed by {:.3g} in the last one, "
        "more than the tolerance {:.3g}); give more iterations or a larger tolerance",
        pr.iterations, pr.last_change,
        o.tolerance_per_node ? o.tolerance * call.csr().num_nodes() : o.tolerance));
  }
  return call.PerNode({std::move(pr.rank)});
}

const Procedure kPageRank = {
    "pagerank",
    "PageRank of every node (also personalised)",
    {{"node", ProcColumnType::kNode}, {"rank", ProcColumnType::kNumber}},
    Args({{"damping", ProcArgType::kNumber, "0.85", "the probability of following an edge", 0, 1},
          {"iterations", ProcArgType::kCount, "1000", "at most this many rounds"},
          {"tolerance", ProcArgType::kNumber, "1e-10",
           "the summed change at which to stop; 0 runs exactly `iterations` rounds", 0, 1},
          {"personalization", ProcArgType::kShares, "NULL",
           "teleport to these nodes only (equal shares, or a share each)"}},
         {.direction = true, .weight = true},
         {{"convergence", ProcArgType::kText, "'sum'",
           "'networkx': tolerance is per node (nx's tol, default 1e-6)", 0, 0,
           {"sum", "networkx"}}}),
    ComputePageRank,
};

// --- components, communities ------------------------------------------------------------------

Result<ProcResult> ComputeComponents(const ProcCall& call) {
  const bool weak = call.Text("mode", "weak") == "weak";
  Components c = weak ? WeakComponents(call.csr()) : StrongComponents(call.csr());
  std::vector<int64_t> size(c.component.size());
  for (size_t v = 0; v < size.size(); ++v) size[v] = c.size[c.component[v]];
  return call.PerNode({ProcInts(c.component), std::move(size)});
}

const Procedure kComponents = {
    "components",
    "the connected components (weak or strong)",
    {{"node", ProcColumnType::kNode},
     {"component", ProcColumnType::kInteger},
     {"size", ProcColumnType::kInteger}},
    Args({{"mode", ProcArgType::kText, "'weak'", "'weak' or 'strong'", 0, 0, {"weak", "strong"}}},
         {}),
    ComputeComponents,
};

Result<ProcResult> ComputeCommunities(const ProcCall& call) {
  LouvainOptions o;
  o.resolution = call.Number("resolution", 1);
  o.seed = call.Count("seed", 42);
  SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(call.csr(), Direction::kBoth, call.weighted()));
  SV_ASSIGN_OR_RETURN(Communities c, Louvain(g, o, call.interrupt()));
  std::vector<int64_t> sizes(c.count, 0);
  for (uint32_t comm : c.community) ++sizes[comm];
  std::vector<int64_t> size(c.community.size());
  for (size_t v = 0; v < size.size(); ++v) size[v] = sizes[c.community[v]];
  std::vector<double> modularity(c.community.size(), c.modularity);
  return call.PerNode({ProcInts(c.community), std::move(size), std::move(modularity)});
}

const Procedure kCommunities = {
    "communities",
    "Louvain communities and their modularity",
    {{"node", ProcColumnType::kNode},
     {"community", ProcColumnType::kInteger},
     {"size", ProcColumnType::kInteger},
     {"modularity", ProcColumnType::kNumber}},
    Args({{"resolution", ProcArgType::kNumber, "1",
           "> 1 favours smaller communities, < 1 larger ones", 0, 1e9},
          {"seed", ProcArgType::kCount, "42", "the random visiting order; 0 visits in id order"}},
         {.weight = true}),
    ComputeCommunities,
};

// --- centralities, cores, clustering ----------------------------------------------------------

Result<ProcResult> ComputeBetweenness(const ProcCall& call) {
  BetweennessOptions o;
  o.normalized = call.Bool("normalized", true);
  o.samples = call.Count("samples", 0);
  o.seed = call.Count("seed", 42);
  o.weighted = call.weighted();
  SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(call.csr(), call.direction(), o.weighted));
  SV_ASSIGN_OR_RETURN(std::vector<double> bc, Betweenness(g, o, call.interrupt()));
  return call.PerNode({std::move(bc)});
}

const Procedure kBetweenness = {
    "betweenness",
    "betweenness centrality of every node",
    {{"node", ProcColumnType::kNode}, {"betweenness", ProcColumnType::kNumber}},
    Args({{"normalized", ProcArgType::kBool, "true", "false: raw pair counts"},
          {"samples", ProcArgType::kCount, "0", "0: exact; k: estimate from k random sources"},
          kSeedArg},
         {.direction = true, .weight = true}),
    ComputeBetweenness,
};

Result<ProcResult> ComputeCloseness(const ProcCall& call) {
  ClosenessOptions o;
  o.wf_improved = call.Bool("wf_improved", true);
  o.weighted = call.weighted();
  SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(call.csr(), call.direction(), o.weighted));
  SV_ASSIGN_OR_RETURN(std::vector<double> cc, Closeness(g, o, call.interrupt()));
  return call.PerNode({std::move(cc)});
}

const Procedure kCloseness = {
    "closeness",
    "closeness centrality of every node",
    {{"node", ProcColumnType::kNode}, {"closeness", ProcColumnType::kNumber}},
    Args({{"wf_improved", ProcArgType::kBool, "true", "false: no scaling for disconnected graphs"}},
         {.direction = true, .weight = true}),
    ComputeCloseness,
};

Result<ProcResult> ComputeDegree(const ProcCall& call) {
  Degrees d = DegreesOf(call.csr());
  std::vector<int64_t> total(d.out.size());
  for (size_t v = 0; v < total.size(); ++v) total[v] = static_cast<int64_t>(d.out[v] + d.in[v]);
  return call.PerNode({ProcInts(d.out), ProcInts(d.in), std::move(total), ProcInts(d.neighbors),
                       std::move(d.centrality)});
}

const Procedure kDegree = {
    "degree",
    "the degrees of every node",
    {{"node", ProcColumnType::kNode},
     {"out_degree", ProcColumnType::kInteger},
     {"in_degree", ProcColumnType::kInteger},
     {"degree", ProcColumnType::kInteger},
     {"neighbors", ProcColumnType::kInteger},
     {"centrality", ProcColumnType::kNumber}},
    Args({}, {}),
    ComputeDegree,
};

Result<ProcResult> ComputeKCore(const ProcCall& call) {
  SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(call.csr(), Direction::kBoth, false));
  SV_ASSIGN_OR_RETURN(std::vector<uint32_t> core, CoreNumbers(g));
  return call.PerNode({ProcInts(core)});
}

const Procedure kKCore = {
    "kcore",
    "the core number of every node",
    {{"node", ProcColumnType::kNode}, {"core", ProcColumnType::kInteger}},
    Args({}, {}),
    ComputeKCore,
};

Result<ProcResult> ComputeClustering(const ProcCall& call) {
  SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(call.csr(), Direction::kBoth, false));
  SV_ASSIGN_OR_RETURN(Clustering c, ClusteringOf(g, call.interrupt()));
  return call.PerNode({std::move(c.coefficient), ProcInts(c.triangles)});
}

const Procedure kClustering = {
    "clustering",
    "local clustering coefficients and triangles",
    {{"node", ProcColumnType::kNode},
     {"clustering", ProcColumnType::kNumber},
     {"triangles", ProcColumnType::kInteger}},
    Args({}, {}),
    ComputeClustering,
};

// --- projection -------------------------------------------------------------------------------

Result<ProcResult> ComputeProjection(const ProcCall& call) {
  const std::string keep = call.Text("keep", "actor");
  const std::string via = call.Text("via", "project");
  for (const auto& [arg, kind] : {std::pair{"keep", keep}, std::pair{"via", via}}) {
    SV_RETURN_IF_ERROR(CheckKinds(call.view().schema(), {kind}, arg));
  }
  SV_ASSIGN_OR_RETURN(SimpleGraph g,
                      Project(call.csr(), call.view().schema(), keep, via, call.interrupt()));
  std::vector<uint32_t> pairs;
  std::vector<double> weights;
  for (uint32_t a = 0; a < g.num_nodes; ++a) {
    for (uint64_t i = g.offsets[a]; i < g.offsets[a + 1]; ++i) {
      if (g.targets[i] < a) continue;  // each tie once
      pairs.push_back(a);
      pairs.push_back(g.targets[i]);
      weights.push_back(g.weight(i));
    }
  }
  return call.Keyed(std::move(pairs), 2, {std::move(weights)});
}

const Procedure kProjection = {
    "projection",
    "the bipartite projection of a two-mode graph onto one mode",
    {{"actor_a", ProcColumnType::kNode},
     {"actor_b", ProcColumnType::kNode},
     {"weight", ProcColumnType::kNumber}},
    Args({{"keep", ProcArgType::kKind, "'actor'", "the kind of node kept"},
          {"via", ProcArgType::kKind, "'project'", "the kind of node that ties them"}},
         {.kinds = false}),
    ComputeProjection,
};

// --- the group measures -----------------------------------------------------------------------

// The ties the cross-sector measures count: with `via` (a node kind) the
// projection through nodes of that kind, weighted by the number shared; else
// the subgraph's edges in `direction`. Unweighted unless weight is given.
Result<SimpleGraph> TieGraph(const ProcCall& call, Direction direction) {
  if (call.Has("via")) {
    SV_ASSIGN_OR_RETURN(SimpleGraph g, Project(call.csr(), call.view().schema(), "",
                                               call.Text("via", ""), call.interrupt()));
    if (!call.weighted()) g.weights.clear();
    return g;
  }
  return MakeSimpleGraph(call.csr(), direction, call.weighted());
}

std::vector<ProcArg> GroupArgs() {
  return {{"attribute", ProcArgType::kText, "'sector'",
           "'sector', 'kind', 'region' (the node located_in) or 'props.<name>'"},
          {"via", ProcArgType::kKind, "NULL", "a node kind: tie nodes that share one"}};
}

// Late: after the shared arguments, so positional SQL calls keep working.
std::vector<ProcArg> LevelArg() {
  return {{"level", ProcArgType::kText, "NULL",
           "with attribute 'region': roll regions up part_of to this level ('county'), "
           "named by the regions' level property or kind"}};
}

struct GroupedTies {
  NodeGroups groups;
  SimpleGraph ties;
};

Result<GroupedTies> OpenGroupedTies(const ProcCall& call, Direction direction) {
  SV_ASSIGN_OR_RETURN(NodeGroups groups,
                      GroupNodes(call.view(), call.csr(), call.Text("attribute", "sector"),
                                 call.Text("level", "")));
  SV_ASSIGN_OR_RETURN(SimpleGraph ties, TieGraph(call, direction));
  return GroupedTies{std::move(groups), std::move(ties)};
}

Result<ProcResult> ComputeMixing(const ProcCall& call) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(call, Direction::kBoth));
  SV_ASSIGN_OR_RETURN(Mixing m, MixingOf(t.ties, t.groups));
  std::vector<std::optional<std::string>> group_a, group_b;
  std::vector<int64_t> ties;
  std::vector<double> weight, fraction;
  for (uint32_t a = 0; a < m.num_groups; ++a) {
    for (uint32_t b = 0; b < m.num_groups; ++b) {
      const size_t at = static_cast<size_t>(a) * m.num_groups + b;
      if (m.ties[at] == 0) continue;
      group_a.emplace_back(t.groups.names[a]);
      group_b.emplace_back(t.groups.names[b]);
      ties.push_back(static_cast<int64_t>(m.ties[at]));
      weight.push_back(m.weight[at]);
      fraction.push_back(m.fraction(a, b));
    }
  }
  const size_t rows = ties.size();
  return call.Plain(rows, {std::move(group_a), std::move(group_b), std::move(ties),
                           std::move(weight), std::move(fraction)});
}

const Procedure kSectorMixing = {
    "sector_mixing",
    "the mixing matrix by sector (or kind, region, property)",
    {{"group_a", ProcColumnType::kText},
     {"group_b", ProcColumnType::kText},
     {"ties", ProcColumnType::kInteger},
     {"tie_weight", ProcColumnType::kNumber},
     {"fraction", ProcColumnType::kNumber}},
    Args(GroupArgs(), {.weight = true}, LevelArg()),
    ComputeMixing,
};

Result<ProcResult> ComputeEiIndex(const ProcCall& call) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(call, Direction::kBoth));
  SV_ASSIGN_OR_RETURN(Mixing m, MixingOf(t.ties, t.groups));
  EiIndex ei = EiIndexOf(m);
  std::vector<std::optional<std::string>> names = {std::nullopt};
  std::vector<double> internal = {ei.internal_total}, external = {ei.external_total};
  std::vector<double> index = {ei.index_total};
  for (uint32_t a = 0; a < m.num_groups; ++a) {
    names.emplace_back(t.groups.names[a]);
    internal.push_back(ei.internal[a]);
    external.push_back(ei.external[a]);
    index.push_back(ei.index[a]);
  }
  const size_t rows = names.size();
  return call.Plain(rows, {std::move(names), std::move(internal), std::move(external),
                           std::move(index)});
}

const Procedure kEiIndex = {
    "ei_index",
    "Krackhardt and Stern's E-I index by sector (or kind, region, property)",
    {{"group_name", ProcColumnType::kText},
     {"internal", ProcColumnType::kNumber},
     {"external", ProcColumnType::kNumber},
     {"ei_index", ProcColumnType::kNumber}},
    Args(GroupArgs(), {.weight = true}, LevelArg()),
    ComputeEiIndex,
};

Result<ProcResult> ComputeAssortativity(const ProcCall& call) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(call, Direction::kBoth));
  SV_ASSIGN_OR_RETURN(Mixing m, MixingOf(t.ties, t.groups));
  int64_t ties = 0;
  for (uint32_t a = 0; a < m.num_groups; ++a) {
    for (uint32_t b = a; b < m.num_groups; ++b) {
      ties += static_cast<int64_t>(m.ties[static_cast<size_t>(a) * m.num_groups + b]);
    }
  }
  return call.Plain(1, {std::vector<double>{Assortativity(m)},
                        std::vector<int64_t>{static_cast<int64_t>(m.num_groups)},
                        std::vector<int64_t>{ties}});
}

const Procedure kAssortativity = {
    "assortativity",
    "Newman's attribute assortativity by sector (or kind, region, property)",
    {{"assortativity", ProcColumnType::kNumber},
     {"groups", ProcColumnType::kInteger},
     {"ties", ProcColumnType::kInteger}},
    Args(GroupArgs(), {.weight = true}, LevelArg()),
    ComputeAssortativity,
};

Result<ProcResult> ComputeConductance(const ProcCall& call) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(call, Direction::kBoth));
  SV_ASSIGN_OR_RETURN(Conductance c, ConductanceOf(t.ties, t.groups));
  std::vector<std::optional<std::string>> names(t.groups.names.begin(), t.groups.names.end());
  const size_t rows = names.size();
  return call.Plain(rows, {std::move(names), ProcInts(c.nodes), std::move(c.volume),
                           std::move(c.cut), std::move(c.conductance)});
}

const Procedure kConductance = {
    "conductance",
    "how much of each group's tie weight leaves it",
    {{"group_name", ProcColumnType::kText},
     {"nodes", ProcColumnType::kInteger},
     {"volume", ProcColumnType::kNumber},
     {"cut", ProcColumnType::kNumber},
     {"conductance", ProcColumnType::kNumber}},
    Args(GroupArgs(), {.weight = true}, LevelArg()),
    ComputeConductance,
};

Result<ProcResult> ComputeBrokerage(const ProcCall& call) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(call, call.direction()));
  SV_ASSIGN_OR_RETURN(Brokerage b, BrokerageOf(t.ties, t.groups, call.interrupt()));
  std::vector<uint32_t> nodes;
  std::vector<std::optional<std::string>> roles;
  std::vector<int64_t> counts;
  for (uint32_t v = 0; v < t.ties.num_nodes; ++v) {
    for (int r = 0; r < kBrokerRoles; ++r) {
      auto role = static_cast<BrokerRole>(r);
      if (uint64_t n = b.count(v, role)) {
        nodes.push_back(v);
        roles.emplace_back(std::string(BrokerRoleName(role)));
        counts.push_back(static_cast<int64_t>(n));
      }
    }
  }
  return call.Keyed(std::move(nodes), 1, {std::move(roles), std::move(counts)});
}

const Procedure kBrokerage = {
    "brokerage",
    "Gould-Fernandez brokerage roles between sectors (or kinds, regions, properties)",
    {{"node", ProcColumnType::kNode},
     {"role", ProcColumnType::kText},
     {"count", ProcColumnType::kInteger}},
    Args(GroupArgs(), {.direction = true}, LevelArg()),
    ComputeBrokerage,
};

// Ties per year by group pair (analytics.h's TiesPerYear): how the mixing
// matrix moves over the years. The output column is calendar_year because
// `year` is the shared subgraph argument.
Result<ProcResult> ComputeSectorTiesByYear(const ProcCall& call) {
  SV_ASSIGN_OR_RETURN(NodeGroups groups,
                      GroupNodes(call.view(), call.csr(), call.Text("attribute", "sector")));
  YearlyTiesOptions options;
  options.through_kind = call.Text("via", "");
  for (auto [name, year] : {std::pair{"first_year", &options.first_year},
                            std::pair{"last_year", &options.last_year}}) {
    if (call.Has(name)) *year = static_cast<int>(call.Number(name, 0));
  }
  SV_ASSIGN_OR_RETURN(YearlyTies t,
                      TiesPerYear(call.view(), call.csr(), groups, options, call.interrupt()));
  std::vector<int64_t> years, ties;
  std::vector<std::optional<std::string>> group_a, group_b;
  for (const YearlyTie& r : t.rows) {
    years.push_back(r.year);
    group_a.emplace_back(groups.names[r.a]);
    group_b.emplace_back(groups.names[r.b]);
    ties.push_back(static_cast<int64_t>(r.ties));
  }
  const size_t rows = years.size();
  return call.Plain(rows, {std::move(years), std::move(group_a), std::move(group_b),
                           std::move(ties)});
}

const Procedure kSectorTiesByYear = {
    "sector_ties_by_year",
    "ties per year by sector pair (or kind, region, property): the mixing matrix over time",
    {{"calendar_year", ProcColumnType::kInteger},
     {"group_a", ProcColumnType::kText},
     {"group_b", ProcColumnType::kText},
     {"ties", ProcColumnType::kInteger}},
    Args({GroupArgs()[0], GroupArgs()[1],
          {"first_year", ProcArgType::kYear, "NULL",
           "the first year counted (default: the earliest date's)"},
          {"last_year", ProcArgType::kYear, "NULL",
           "the last year counted (default: the latest date's); at most 1000 years, the latest"}},
         {}),
    ComputeSectorTiesByYear,
};

const Procedure* const kAll[] = {
    &kPageRank,  &kComponents,    &kCommunities,    &kBetweenness, &kCloseness,
    &kDegree,    &kKCore,         &kClustering,     &kProjection,  &kSectorMixing,
    &kEiIndex,   &kAssortativity, &kConductance,    &kBrokerage,  &kSectorTiesByYear,
};

}  // namespace

std::span<const Procedure* const> Procedures() { return kAll; }

}  // namespace samverkan
