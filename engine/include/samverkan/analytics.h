// Graph analytics over a CSR snapshot (csr.h): components, centralities,
// cores, clustering, communities, bipartite projection, and the cross-sector
// measures (mixing matrix, E-I index, assortativity, brokerage roles,
// conductance).
//
// Every result is indexed by the CSR's dense node index (0..num_nodes()-1);
// csr.node_id(v) maps it back. Which nodes and edges take part is decided
// when the CSR is built (CsrSpec: node kinds, edge types, valid_on, year,
// with_weights); the functions here take the snapshot as it is.
//
//   SV_ASSIGN_OR_RETURN(auto csr, db->Csr({.edge_types = {"participates_in"}}));
//   PageRankResult pr = *PageRank(*csr, {});
//   SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(*csr, Direction::kBoth, false));
//   std::vector<double> bc = *Betweenness(g, {});
//
// Definitions follow NetworkX (3.x) so that results can be compared with it;
// each function says how. The differences that remain are listed with each
// function and in docs/analytics.md.
//
// Direction. Edges are stored directed (actor participates_in project).
// kBoth (the default of every measure) reads each edge as an undirected tie,
// like nx.Graph(G.to_undirected()); kOut reads edges as stored; kIn reverses
// them.
//
// Weights. Unweighted unless asked; a weighted measure needs a CSR built with
// `with_weights` (InvalidArgument otherwise) and reads each edge's weight (1
// when the edge has none). What the weight means (a strength for PageRank,
// modularity and projections; a length for betweenness and closeness) is said
// per function.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "samverkan/csr.h"
#include "samverkan/graph_view.h"
#include "samverkan/interrupt.h"
#include "samverkan/result.h"
#include "samverkan/types.h"

namespace samverkan {

// ---------------------------------------------------------------------------
// The simple graph most measures run on
// ---------------------------------------------------------------------------

// A graph over a CSR's dense indexes with no parallel arcs and no self-loops:
// neighbours are sorted and distinct. Undirected graphs (directed == false)
// list each tie at both ends.
struct SimpleGraph {
  uint32_t num_nodes = 0;
  bool directed = false;
  std::vector<uint64_t> offsets;  // num_nodes + 1
  std::vector<uint32_t> targets;  // neighbours of v: targets[offsets[v] .. offsets[v+1])
  std::vector<double> weights;    // parallel to targets; empty when unweighted (all 1)

  std::span<const uint32_t> neighbors(uint32_t v) const {
    return {targets.data() + offsets[v], targets.data() + offsets[v + 1]};
  }
  uint64_t degree(uint32_t v) const { return offsets[v + 1] - offsets[v]; }
  // The weight of the i-th entry of `targets`.
  double weight(uint64_t i) const { return weights.empty() ? 1.0 : weights[i]; }
  bool weighted() const { return !weights.empty(); }
  // Ties (undirected) or arcs (directed).
  uint64_t num_ties() const { return directed ? targets.size() : targets.size() / 2; }
};

// The simple graph of `csr` read in `direction` (kBoth: undirected). Parallel
// edges become one tie whose weight is the sum of theirs (NetworkX keeps the
// last one instead; a multigraph's parallel edges then count once with the
// summed weight, as nx.Graph(multigraph) does not); self-loops are dropped.
// InvalidArgument if `weighted` and the CSR has no weights.
Result<SimpleGraph> MakeSimpleGraph(const CsrGraph& csr, Direction direction, bool weighted);

// The same graph with every arc reversed (an undirected graph is returned as is).
SimpleGraph Transpose(const SimpleGraph& g);

// ---------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------

struct Components {
  // Component of each node. Components are numbered 0, 1, ... in the order
  // of their smallest dense index, so the numbering is deterministic.
  std::vector<uint32_t> component;
  std::vector<uint32_t> size;  // nodes per component
};

// Weakly connected components (edge direction ignored): the node sets of
// nx.weakly_connected_components / nx.connected_components. Union-find over
// the CSR's edges.
Components WeakComponents(const CsrGraph& csr);
// The same over a simple graph (its ties or arcs, direction ignored): the
// connected components of an undirected one.
Components WeakComponents(const SimpleGraph& g);

// Strongly connected components following edges as stored: the node sets of
// nx.strongly_connected_components. Boost.Graph's strong_components (Tarjan).
Components StrongComponents(const CsrGraph& csr);

// ---------------------------------------------------------------------------
// PageRank
// ---------------------------------------------------------------------------

struct PageRankOptions {
  double damping = 0.85;
  uint32_t max_iterations = 1000;
  // Stops when the ranks change by less than `tolerance` in sum
  // (sum_v |x_v - x_v'|). The error left is then below about
  // tolerance * damping / (1 - damping): the default agrees with an exact
  // solver (igraph's PRPACK) to 1e-9 in sum on any graph. 0 runs exactly
  // max_iterations rounds.
  double tolerance = 1e-10;
  // NetworkX's rule instead: stop when the change is less than
  // num_nodes * tolerance (nx.pagerank's tol, 1e-6 there). Quicker, but on a
  // graph of 100,000 nodes it stops after a few rounds, far from the answer.
  bool tolerance_per_node = false;
  Direction direction = Direction::kBoth;
  bool weighted = false;  // an arc's share is its weight over its source's total
  // Teleport (and dangling-node) distribution over dense indexes; empty:
  // uniform. Normalised to sum 1; all-zero or negative is InvalidArgument.
  std::vector<double> personalization;
  unsigned threads = 2;
};

struct PageRankResult {
  std::vector<double> rank;  // sums to 1
  uint32_t iterations = 0;
  // False when max_iterations ran out first (NetworkX raises then); always
  // true with tolerance 0.
  bool converged = false;
  double last_change = 0;  // sum_v |x_v - x_v'| in the last round
};

// nx.pagerank(G, alpha=damping, personalization=p, weight=...) on the
// directed multigraph the CSR holds: start at 1/N, power iteration, dangling
// nodes (no out-arcs) spread their rank by the personalization vector.
// Unlike the other measures PageRank keeps parallel edges (each counts, as on
// an nx.MultiDiGraph) and self-loops (once, also in kBoth); on a simple graph
// that is nx.pagerank exactly. Pull-based, `threads` threads. When the
// stopping threshold is 1e-6 or more, or tolerance == 0, the per-arc share is
// rounded to float (ranks then carry a relative error near 1e-7). Polls
// `interrupt` every round.
Result<PageRankResult> PageRank(const CsrGraph& csr, const PageRankOptions& options,
                                const Interrupt& interrupt = Interrupt::Never());

// The same on an undirected simple graph (a projection, a drawing's ties):
// each tie is an arc both ways, weighted by its weight when `weighted` (the
// graph must have weights then). `direction`, `threads` and
// `personalization` do not apply: a directed graph or a personalization is
// InvalidArgument.
Result<PageRankResult> PageRank(const SimpleGraph& g, const PageRankOptions& options,
                                const Interrupt& interrupt = Interrupt::Never());

// ---------------------------------------------------------------------------
// Shortest-path centralities
// ---------------------------------------------------------------------------

struct BetweennessOptions {
  // Divide by (n-1)(n-2), the number of ordered pairs a node can lie between
  // (NetworkX's normalized=True, its default); undirected graphs are then
  // on the same scale as directed ones. Not normalised: undirected values
  // count each pair once (NetworkX's normalized=False).
  bool normalized = true;
  // Weights are edge lengths (Dijkstra). REQUIRES: positive weights.
  bool weighted = false;
  // 0: exact (Brandes, all sources). k > 0: k sources drawn without
  // replacement with `seed`, scaled by n/k (nx's k=...): an unbiased estimate
  // for large graphs.
  uint32_t samples = 0;
  uint64_t seed = 42;
  unsigned threads = 2;
};

// nx.betweenness_centrality(G, normalized, weight, k, endpoints=False).
// InvalidArgument for a negative or zero weight.
Result<std::vector<double>> Betweenness(const SimpleGraph& g, const BetweennessOptions& options,
                                        const Interrupt& interrupt = Interrupt::Never());

struct ClosenessOptions {
  bool weighted = false;    // weights are edge lengths
  bool wf_improved = true;  // Wasserman-Faust scaling for disconnected graphs (nx default)
  unsigned threads = 2;
};

// Closeness of u over the distances d(u, v) along g's arcs:
// (r-1)/sum_v d(u,v), times (r-1)/(n-1) when wf_improved, where r is the
// number of nodes u reaches (itself included); 0 when it reaches none.
// nx.closeness_centrality uses *inward* distances on a directed graph, so it
// equals this on Transpose(g) (e.g. MakeSimpleGraph(csr, kIn, ...)).
Result<std::vector<double>> Closeness(const SimpleGraph& g, const ClosenessOptions& options,
                                      const Interrupt& interrupt = Interrupt::Never());

// ---------------------------------------------------------------------------
// Local structure
// ---------------------------------------------------------------------------

struct Degrees {
  std::vector<uint64_t> out, in;     // edges as stored, parallel edges counted
  std::vector<uint64_t> neighbors;   // distinct neighbours, either direction, self excluded
  // neighbors / (n-1): nx.degree_centrality on the simple undirected graph.
  std::vector<double> centrality;
};
Degrees DegreesOf(const CsrGraph& csr);

// Core numbers of an undirected graph: the largest k such that v belongs to
// a subgraph in which every node has degree >= k. nx.core_number
// (Batagelj-Zaversnik bucket algorithm, O(m)). InvalidArgument if directed.
Result<std::vector<uint32_t>> CoreNumbers(const SimpleGraph& g);

struct Clustering {
  std::vector<uint64_t> triangles;  // nx.triangles
  std::vector<double> coefficient;  // nx.clustering: 2T/(d(d-1)), 0 when d < 2
};
// Unweighted local clustering of an undirected graph. InvalidArgument if
// directed.
Result<Clustering> ClusteringOf(const SimpleGraph& g,
                                const Interrupt& interrupt = Interrupt::Never());

// ---------------------------------------------------------------------------
// Communities
// ---------------------------------------------------------------------------

struct LouvainOptions {
  double resolution = 1.0;  // gamma in the modularity below
  // A level counts as an improvement only if modularity grows by more than
  // this (nx's threshold).
  double threshold = 1e-7;
  // Nodes are visited in a random order drawn from `seed`; 0 visits them in
  // index order. The result is deterministic for a given seed.
  uint64_t seed = 42;
};

struct Communities {
  std::vector<uint32_t> community;  // numbered 0.. by smallest member index
  uint32_t count = 0;
  double modularity = 0;  // of this partition, Modularity() below
  uint32_t levels = 0;    // aggregation levels that improved modularity
};

// Louvain (Blondel et al. 2008) on an undirected graph, weighted when g is:
// local moving until no node moves, then aggregation, repeated until a level
// improves modularity by no more than `threshold`. Like
// nx.community.louvain_communities; the partition differs with the visiting
// order, its modularity is comparable. InvalidArgument if directed.
Result<Communities> Louvain(const SimpleGraph& g, const LouvainOptions& options,
                            const Interrupt& interrupt = Interrupt::Never());

// Newman's modularity of a partition of an undirected graph:
// Q = sum_c [ L_c/m - gamma (d_c / 2m)^2 ], L_c the (weight of) ties inside c,
// d_c the total degree of c, m the total weight. nx.community.modularity.
double Modularity(const SimpleGraph& g, std::span<const uint32_t> community,
                  double resolution = 1.0);

// ---------------------------------------------------------------------------
// Bipartite projection
// ---------------------------------------------------------------------------

// Projects the two-mode graph of `keep_kind` nodes (e.g. actors) linked to
// `through_kind` nodes (e.g. projects), in either direction, onto the
// `keep_kind` nodes: two of them are tied when they share at least one
// `through_kind` neighbour, with weight the number they share
// (nx.bipartite.weighted_projected_graph). Undirected, over the CSR's dense
// indexes (other nodes have no ties). An empty `keep_kind` keeps every kind
// but `through_kind`. Unknown kinds give an empty graph.
// Cost: the sum over `through_kind` nodes of their degree squared.
Result<SimpleGraph> Project(const CsrGraph& csr, const Schema& schema,
                            std::string_view keep_kind, std::string_view through_kind,
                            const Interrupt& interrupt = Interrupt::Never());

// ---------------------------------------------------------------------------
// Cross-sector measures
// ---------------------------------------------------------------------------

// The levels of the region hierarchy: which regions a region rolls up to
// at a level ("county") along its part_of out-edges. A region's level is its
// `level` property (text), else its kind's name. The walk goes up from the
// region until it meets regions at the level (a region at the level is its
// own ancestor; what lies above a region at the level is not walked):
//   RegionLevels counties(view, "county");
//   SV_ASSIGN_OR_RETURN(std::vector<NodeId> up, counties.AncestorsAt(malmo));
// Several parents: every ancestor at the level that any path reaches, once
// each, in the order met. None: an empty list (the caller decides; grouping
// keeps the region as itself, see GroupNodes). A cycle met on the way up is
// InvalidArgument naming it: "part_of has a cycle: reg:a -> reg:b -> reg:a".
// Walks are remembered, so asking for many regions reads each node once.
class RegionLevels {
 public:
  RegionLevels(const GraphView& view, std::string level);
  Result<std::vector<NodeId>> AncestorsAt(NodeId region);
  // The region's level: its `level` property, else its kind.
  Result<std::string> LevelOf(NodeId region);
  Result<std::string> KeyOf(NodeId region);
  const std::string& level() const { return level_; }

 private:
  Status Walk(NodeId region, std::vector<NodeId>& path, std::vector<NodeId>& found);

  const GraphView& view_;
  std::string level_;
  std::optional<SymbolId> part_of_;
  std::unordered_map<NodeId, std::string> levels_, keys_;
  std::unordered_map<NodeId, std::vector<NodeId>> ancestors_;
};

// Which group each node belongs to, by an attribute:
//   "sector"        the actor's sector
//   "kind"          the node's kind
//   "region"        the key of the node it is located_in (its first
//                   located_in out-edge in the stored graph)
//   "props.<name>"  a property of the node (text as is, numbers and booleans
//                   as JSON text)
// Nodes without the attribute are in no group (-1) and are left out of every
// measure below.
//
// With `level` (attribute "region" only), a node's region is rolled up to
// its ancestors at that level (RegionLevels): kommune to fylke. A region
// with several ancestors at the level puts the node in each of them (the
// first by name in `group`, the others in `more`); a region with none is
// kept as itself and flagged in its group's name, "<key> (no <level>)".
struct NodeGroups {
  std::vector<int32_t> group;      // per dense index; -1: none
  std::vector<std::string> names;  // group id -> name, sorted by name
  // Empty, or per dense index the node's further groups (several parents
  // at a level). MixingOf counts a tie in every pair of its ends' groups;
  // brokerage and conductance use `group` alone.
  std::vector<std::vector<int32_t>> more;
};
// InvalidArgument for an unknown attribute: "attribute must be 'sector',
// 'kind', 'region' or 'props.<name>', not 'x'"; for a level with another
// attribute; for a cycle in part_of (see RegionLevels).
Result<NodeGroups> GroupNodes(const GraphView& view, const CsrGraph& csr,
                              std::string_view attribute, std::string_view level = {});

// The mixing matrix of an undirected graph by group (ties whose two ends
// both have a group). A node in several groups (NodeGroups::more) counts a
// tie once for each pair (a group of one end, a group of the other), so the
// matrix may then hold more ties than the graph.
struct Mixing {
  uint32_t num_groups = 0;
  // ties[a*k+b] = ties[b*k+a]: ties between a member of a and one of b
  // (within a group: ties inside it), each tie counted once.
  std::vector<uint64_t> ties;
  std::vector<double> weight;  // the same, summing tie weights
  double total_weight = 0;     // every counted tie once
  // nx.attribute_mixing_matrix(normalized=True) entry e_ab: weight[a][b]
  // over twice the total for a != b, weight[a][a] over the total.
  double fraction(uint32_t a, uint32_t b) const;
};
Result<Mixing> MixingOf(const SimpleGraph& g, const NodeGroups& groups);

struct EiIndex {
  std::vector<double> internal, external;  // per group: tie weight inside / to other groups
  std::vector<double> index;  // per group: (E - I) / (E + I); NaN without ties
  double internal_total = 0, external_total = 0;
  double index_total = 0;  // the whole graph's E-I index; NaN without ties
};
// Krackhardt & Stern's E-I index, from the mixing matrix.
EiIndex EiIndexOf(const Mixing& mixing);

// Newman's attribute assortativity r = (sum_i e_ii - sum_i a_i b_i) /
// (1 - sum_i a_i b_i) over the normalised mixing matrix:
// nx.attribute_assortativity_coefficient. NaN when undefined (one group).
double Assortativity(const Mixing& mixing);

// Gould & Fernandez (1989) brokerage roles. Node b brokers on an open
// two-path a -> b -> c (arcs a->b and b->c, no arc a->c, a != c); by groups:
//   coordinator     a, b, c in one group
//   itinerant       a and c in one group, b in another ("consultant")
//   representative  b in a's group, c in another
//   gatekeeper      b in c's group, a in another
//   liaison         all three in different groups
// On an undirected graph a tie is two arcs, so each open path counts once in
// each direction: representative and gatekeeper counts are then equal (as
// with statnet's brokerage on a symmetric network). Nodes without a group
// neither broker nor count as ends. Cost: sum of in-degree x out-degree.
enum class BrokerRole : uint8_t { kCoordinator, kItinerant, kRepresentative, kGatekeeper, kLiaison };
inline constexpr int kBrokerRoles = 5;
std::string_view BrokerRoleName(BrokerRole role);  // "coordinator", ...
struct Brokerage {
  // counts[v * kBrokerRoles + role]
  std::vector<uint64_t> counts;
  uint64_t count(uint32_t v, BrokerRole role) const {
    return counts[static_cast<size_t>(v) * kBrokerRoles + static_cast<size_t>(role)];
  }
};
Result<Brokerage> BrokerageOf(const SimpleGraph& g, const NodeGroups& groups,
                              const Interrupt& interrupt = Interrupt::Never());

// Conductance of each group S of an undirected graph: cut(S, rest) /
// min(vol(S), vol(rest)), vol the sum of (weighted) degrees and `rest` every
// other node, grouped or not: nx.conductance(G, S). NaN when a volume is 0.
struct Conductance {
  std::vector<uint64_t> nodes;  // per group
  std::vector<double> volume, cut, conductance;
};
Result<Conductance> ConductanceOf(const SimpleGraph& g, const NodeGroups& groups);

// Ties per year by group: how the mixing matrix moves over the years. For
// each year, the graph of the edges valid in it (whose validity overlaps the
// year; an edge without dates is valid in every year) is taken as
// undirected ties, as MakeSimpleGraph(kBoth) does: nodes tied by several
// edges are one tie, self-loops none. With `through_kind`, as Project: two
// nodes are tied in a year when they share a `through_kind` neighbour by
// edges both valid in that year. A tie counts once, by the groups of its two
// ends, when both have one.
//
// The edges are those `csr` holds (its spec's edge types and valid_on,
// between its nodes); they are read once from `view`, which must be the
// state `csr` was built from, since the CSR keeps no dates: no snapshot is
// built per year. A spec with a `year` counts that year only.
struct YearlyTiesOptions {
  std::string keep_kind;     // with through_kind: as Project's (empty: all but through_kind)
  std::string through_kind;  // empty: the edges themselves are the ties
  // The years counted; each defaults to the earliest / latest year of a date
  // on the edges. A longer range is cut to its latest `max_years`.
  std::optional<int> first_year, last_year;
  int max_years = 1000;
};
struct YearlyTie {
  int year;
  uint32_t a, b;  // groups, a <= b
  uint64_t ties;  // > 0
};
struct YearlyTies {
  // The years counted, first to last; none (last < first) when no edge has
  // a date and no year was asked for.
  int first_year = 0, last_year = -1;
  // By year, then a, then b; pairs without ties in a year are left out.
  std::vector<YearlyTie> rows;
};
// InvalidArgument when max_years is not positive.
Result<YearlyTies> TiesPerYear(const GraphView& view, const CsrGraph& csr,
                               const NodeGroups& groups, const YearlyTiesOptions& options,
                               const Interrupt& interrupt = Interrupt::Never());

// The years each tie between grouped nodes exists in, by TiesPerYear's rule
// (the same edges, projection through `options.through_kind` and merging;
// its year options are not used): one TieSpan per pair and maximal run of
// years, by pair (a < b, dense indexes) then year. A pair tied only through
// edges never valid together has none. `from`/`to` are INT_MIN/INT_MAX for
// an open end (an edge without dates is valid in every year); a spec with a
// `year` keeps that year only. What the HTML drawing's year slider filters by.
struct TieSpan {
  uint32_t a, b;
  int from, to;
};
Result<std::vector<TieSpan>> TieSpans(const GraphView& view, const CsrGraph& csr,
                                      const NodeGroups& groups, const YearlyTiesOptions& options,
                                      const Interrupt& interrupt = Interrupt::Never());

}  // namespace samverkan
