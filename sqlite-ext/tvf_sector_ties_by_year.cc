// tvf_sector_ties_by_year.cc: kg_sector_ties_by_year, ties per year by
// sector pair (or by kind, region or any property): how the mixing matrix
// moves over the years.
//
// USAGE
//
//   SELECT * FROM kg_sector_ties_by_year('kg', 'sector', 'project');
//   SELECT calendar_year, ties FROM kg_sector_ties_by_year('kg')
//    WHERE group_a = 'academia' AND group_b = 'business' AND first_year = 2015;
//
// For each year, the ties of the graph of the edges valid in that year (an
// edge without dates is valid in every year), between two nodes with a
// group, counted once by the groups of their two ends. Ties are the edges
// read as undirected (several between two nodes are one tie), or, with
// `via` = 'project', two actors sharing a project by edges both valid that
// year. The years run from `first_year` to `last_year`, by default as far
// as the edges' dates reach; at most 1000 of them (the latest).
//
// ARGUMENTS
//
//   graph       required  a samverkan table of this connection
//   attribute   'sector'  as for kg_sector_mixing
//   via         NULL      a node kind: tie nodes that share one (e.g. 'project')
//   first_year  NULL      the first year counted (default: the earliest date's)
//   last_year   NULL      the last year counted (default: the latest date's)
//
// COLUMNS
//
//   calendar_year     the year (`year` is the subgraph argument below)
//   group_a, group_b  the two groups, group_a <= group_b (one row per pair)
//   ties              ties between them that year (inside the group when equal)
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank (a
//                                  `year` counts that year only)
#include <cmath>

#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kAttribute, kVia, kFirstYear, kLastYear };

// A year argument, if given: a whole number.
Result<std::optional<int>> YearArgument(const AnalyticsCall& call, size_t arg, const char* name) {
  if (!call.args.Has(arg)) return std::optional<int>();
  SV_ASSIGN_OR_RETURN(double year, NumberArgument(call.args, arg, name, 0, -9999, 9999));
  if (year != std::floor(year)) {
    return Status::InvalidArgument(std::string(name) + " must be a whole year");
  }
  return std::optional<int>(static_cast<int>(year));
}

Result<std::unique_ptr<TvfRows>> ComputeTiesByYear(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(NodeGroups groups, GroupNodes(call.view(), call.csr(),
                                                    call.args.Text(kAttribute, "sector")));
  YearlyTiesOptions options;
  if (call.args.Has(kVia)) {
    SV_ASSIGN_OR_RETURN(options.through_kind, KindArgument(call, kVia, "via", ""));
  }
  SV_ASSIGN_OR_RETURN(options.first_year, YearArgument(call, kFirstYear, "first_year"));
  SV_ASSIGN_OR_RETURN(options.last_year, YearArgument(call, kLastYear, "last_year"));
  SV_ASSIGN_OR_RETURN(YearlyTies t,
                      TiesPerYear(call.view(), call.csr(), groups, options, call.interrupt));
  std::vector<SqlRow> rows;
  rows.reserve(t.rows.size());
  for (const YearlyTie& r : t.rows) {
    rows.push_back({int64_t{r.year}, groups.names[r.a], groups.names[r.b],
                    static_cast<int64_t>(r.ties)});
  }
  return std::unique_ptr<TvfRows>(std::make_unique<MaterializedRows>(std::move(rows)));
}

const AnalyticsSpec kSpec = {
    "kg_sector_ties_by_year",
    {"calendar_year", "group_a", "group_b", "ties"},
    {{"attribute", false}, {"via", false}, {"first_year", false}, {"last_year", false}},
    {.direction = false, .weight = false, .kinds = true},
    ComputeTiesByYear,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kSectorTiesByYearModule, kSpec)

}  // namespace samverkan::sql
