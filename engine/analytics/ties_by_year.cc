// Ties per year by group, in one pass over the edges: the years a tie
// exists in are an interval (the union of its edges' validities, or of the
// overlaps of the two edges through a shared node), so no year's graph is
// ever built.
#include <algorithm>
#include <climits>
#include <tuple>

#include "samverkan/hash_table.h"
#include <fmt/format.h>

#include "samverkan/analytics.h"

namespace samverkan {
namespace {

// An edge or a tie between dense indexes, in the years [from, to]; an open
// end is INT_MIN or INT_MAX.
struct Span {
  uint32_t u, v;
  int from, to;
};

Span SpanOf(uint32_t u, uint32_t v, const Validity& validity) {
  return {u, v, validity.from ? validity.from->Year() : INT_MIN,
          validity.to ? validity.to->Year() : INT_MAX};
}

// The edges `csr` holds, with their years.
Result<std::vector<Span>> ReadEdges(const GraphView& view, const CsrGraph& csr,
                                    const Interrupt& interrupt) {
  const CsrSpec& spec = csr.spec();
  std::vector<SymbolId> types;
  for (const auto& name : spec.edge_types) {
    if (auto id = view.schema().Find(SymbolSpace::kEdgeType, name)) types.push_back(*id);
  }
  std::vector<Span> edges;
  uint64_t seen = 0;
  auto it = view.AllEdges();
  for (; it->Valid(); it->Next()) {
    if (++seen % 4096 == 0) SV_RETURN_IF_ERROR(interrupt.Check());
    const EdgeRef& e = it->edge();
    if (!spec.edge_types.empty() && std::find(types.begin(), types.end(), e.type) == types.end()) {
      continue;
    }
    if (spec.valid_on && !e.validity.Contains(*spec.valid_on)) continue;
    auto u = csr.index_of(e.src);
    auto v = csr.index_of(e.dst);
    if (u && v) edges.push_back(SpanOf(*u, *v, e.validity));
  }
  SV_RETURN_IF_ERROR(it->status());
  return edges;
}

// The years counted: as asked, else as far as the edges' dates reach.
// Empty (first > last) when neither says.
std::pair<int, int> YearRange(const std::vector<Span>& edges, const CsrSpec& spec,
                              const YearlyTiesOptions& options) {
  int earliest = INT_MAX, latest = INT_MIN;
  for (const Span& e : edges) {
    for (int y : {e.from, e.to}) {
      if (y == INT_MIN || y == INT_MAX) continue;
      earliest = std::min(earliest, y);
      latest = std::max(latest, y);
    }
  }
  int first = options.first_year.value_or(earliest);
  int last = options.last_year.value_or(latest);
  if (spec.year) {
    first = std::max(first, *spec.year);
    last = std::min(last, *spec.year);
  }
  if (first == INT_MAX || last == INT_MIN) return {0, -1};
  return {first, last};
}

// The ties between grouped nodes: the edges themselves (undirected, no
// self-loops), or pairs sharing a `through` node by edges valid together.
Result<std::vector<Span>> Ties(const std::vector<Span>& edges, const CsrGraph& csr,
                               const Schema& schema, const std::vector<int32_t>& group,
                               const YearlyTiesOptions& options, const Interrupt& interrupt) {
  std::vector<Span> ties;
  if (options.through_kind.empty()) {
    for (const Span& e : edges) {
      if (e.u == e.v || group[e.u] < 0 || group[e.v] < 0) continue;
      ties.push_back({std::min(e.u, e.v), std::max(e.u, e.v), e.from, e.to});
    }
    return ties;
  }
  // As Project: unknown kinds tie nobody.
  auto through = schema.Find(SymbolSpace::kKind, options.through_kind);
  std::optional<SymbolId> keep;
  if (!options.keep_kind.empty()) keep = schema.Find(SymbolSpace::kKind, options.keep_kind);
  if (!through || (!options.keep_kind.empty() && !keep)) return ties;
  auto kept = [&](uint32_t v) { return keep ? csr.kind(v) == *keep : csr.kind(v) != *through; };
  // (through node, member, years), by through node.
  std::vector<Span> members;
  for (const Span& e : edges) {
    for (auto [p, x] : {std::pair{e.u, e.v}, std::pair{e.v, e.u}}) {
      if (csr.kind(p) == *through && kept(x) && group[x] >= 0) members.push_back({p, x, e.from, e.to});
    }
  }
  std::sort(members.begin(), members.end(),
            [](const Span& a, const Span& b) { return std::tie(a.u, a.v) < std::tie(b.u, b.v); });
  for (size_t begin = 0, end; begin < members.size(); begin = end) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    end = begin;
    while (end < members.size() && members[end].u == members[begin].u) ++end;
    for (size_t i = begin; i < end; ++i) {
      for (size_t j = i + 1; j < end; ++j) {
        const Span& a = members[i];
        const Span& b = members[j];
        const int from = std::max(a.from, b.from), to = std::min(a.to, b.to);
        if (a.v == b.v || from > to) continue;
        ties.push_back({std::min(a.v, b.v), std::max(a.v, b.v), from, to});
      }
    }
  }
  return ties;
}

// Each pair's spans merged (sorted by pair, then from), so that a pair tied
// twice in a year holds the year once; `visit(u, v, from, to)` sees each
// maximal run of years of each pair, in pair order.
template <typename Visit>
Status MergeSpans(std::vector<Span> ties, const Interrupt& interrupt, Visit visit) {
  std::sort(ties.begin(), ties.end(), [](const Span& a, const Span& b) {
    return std::tie(a.u, a.v, a.from) < std::tie(b.u, b.v, b.from);
  });
  uint64_t runs = 0;
  for (size_t i = 0; i < ties.size();) {
    if (++runs % 4096 == 0) SV_RETURN_IF_ERROR(interrupt.Check());
    Span run = ties[i++];
    while (i < ties.size() && ties[i].u == run.u && ties[i].v == run.v) {
      const Span& next = ties[i++];
      if (run.to != INT_MAX && next.from > run.to + 1) {
        visit(run.u, run.v, run.from, run.to);
        run = next;
      } else {
        run.to = std::max(run.to, next.to);
      }
    }
    visit(run.u, run.v, run.from, run.to);
  }
  return Status::OK();
}

}  // namespace

Result<YearlyTies> TiesPerYear(const GraphView& view, const CsrGraph& csr,
                               const NodeGroups& groups, const YearlyTiesOptions& options,
                               const Interrupt& interrupt) {
  if (groups.group.size() != csr.num_nodes()) {
    return Status::InvalidArgument("groups: not made for this CSR snapshot");
  }
  if (options.max_years < 1) {
    return Status::InvalidArgument(
        fmt::format("max_years must be at least 1, not {}", options.max_years));
  }
  SV_ASSIGN_OR_RETURN(std::vector<Span> edges, ReadEdges(view, csr, interrupt));
  YearlyTies out;
  std::tie(out.first_year, out.last_year) = YearRange(edges, csr.spec(), options);
  if (out.first_year > out.last_year) return out;
  if (int64_t{out.last_year} - out.first_year >= options.max_years) {
    out.first_year = out.last_year - options.max_years + 1;
  }
  SV_ASSIGN_OR_RETURN(std::vector<Span> ties,
                      Ties(edges, csr, view.schema(), groups.group, options, interrupt));
  edges = {};
  // Each of a pair's years counts once, for its two groups.
  HashMap<std::tuple<int, uint32_t, uint32_t>, uint64_t> counts;
  SV_RETURN_IF_ERROR(MergeSpans(std::move(ties), interrupt,
                                [&](uint32_t u, uint32_t v, int from, int to) {
    const auto ga = static_cast<uint32_t>(groups.group[u]);
    const auto gb = static_cast<uint32_t>(groups.group[v]);
    from = std::max(from, out.first_year);
    to = std::min(to, out.last_year);
    for (int y = from; y <= to; ++y) ++counts[{y, std::min(ga, gb), std::max(ga, gb)}];
  }));
  out.rows.reserve(counts.size());
  for (const auto& [key, ties_in_year] : counts) {
    const auto& [year, a, b] = key;
    out.rows.push_back({year, a, b, ties_in_year});
  }
  std::sort(out.rows.begin(), out.rows.end(), [](const YearlyTie& x, const YearlyTie& y) {
    return std::tie(x.year, x.a, x.b) < std::tie(y.year, y.a, y.b);
  });
  return out;
}

Result<std::vector<TieSpan>> TieSpans(const GraphView& view, const CsrGraph& csr,
                                      const NodeGroups& groups, const YearlyTiesOptions& options,
                                      const Interrupt& interrupt) {
  if (groups.group.size() != csr.num_nodes()) {
    return Status::InvalidArgument("groups: not made for this CSR snapshot");
  }
  SV_ASSIGN_OR_RETURN(std::vector<Span> edges, ReadEdges(view, csr, interrupt));
  SV_ASSIGN_OR_RETURN(std::vector<Span> ties,
                      Ties(edges, csr, view.schema(), groups.group, options, interrupt));
  edges = {};
  std::vector<TieSpan> out;
  const CsrSpec& spec = csr.spec();
  SV_RETURN_IF_ERROR(MergeSpans(std::move(ties), interrupt,
                                [&](uint32_t u, uint32_t v, int from, int to) {
    if (spec.year) {  // the snapshot's year only
      from = std::max(from, *spec.year);
      to = std::min(to, *spec.year);
      if (from > to) return;
    }
    out.push_back({u, v, from, to});
  }));
  return out;
}

}  // namespace samverkan
