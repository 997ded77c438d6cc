// tvf_analytics.cc: the arguments and rows the analytics functions share.
// See tvf_analytics.h.
#include "tvf_analytics.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace samverkan::sql {

namespace {

// TvfArgs::Has for an index that may be SIZE_MAX (a function without it).
bool Given(const TvfArgs& args, size_t arg) { return arg != SIZE_MAX && args.Has(arg); }

}  // namespace

Result<AnalyticsInput> AnalyticsArguments(const TvfArgs& args, const AnalyticsArgIndexes& at) {
  AnalyticsInput in;
  if (Given(args, at.direction)) {
    std::string text = args.Text(at.direction);
    auto parsed = ParseDirection(text);
    if (!parsed.ok()) {
      return Status::InvalidArgument("direction must be 'out', 'in' or 'both', not '" + text +
                                     "'");
    }
    in.direction = *parsed;
  }
  if (Given(args, at.types)) {
    SV_ASSIGN_OR_RETURN(in.spec.edge_types, ParseNameList(args.Text(at.types), "types"));
  }
  if (Given(args, at.valid_on)) {
    auto date = Date::Parse(args.Text(at.valid_on));
    if (!date.ok()) return date.status().WithContext("valid_on");
    in.spec.valid_on = *date;
  }
  if (Given(args, at.kinds)) {
    SV_ASSIGN_OR_RETURN(in.spec.node_kinds, ParseNameList(args.Text(at.kinds), "kinds"));
  }
  if (Given(args, at.year)) {
    sqlite3_value* v = args.Value(at.year);
    const int64_t year = sqlite3_value_int64(v);
    if (sqlite3_value_numeric_type(v) != SQLITE_INTEGER || year < 1 || year > 9999) {
      return Status::InvalidArgument("year must be an integer year, not '" +
                                     std::string(ValueText(v)) + "'");
    }
    in.spec.year = static_cast<int>(year);
  }
  if (Given(args, at.weight)) {
    std::string w = args.Text(at.weight);
    if (w != "weight") {
      return Status::InvalidArgument("weight must be NULL or 'weight', not '" + w + "'");
    }
    in.weighted = true;
    in.spec.with_weights = true;
  }
  return in;
}

Result<std::shared_ptr<const CsrGraph>> AnalyticsCsr(const GraphHandle& graph,
                                                     const ReadView& read, const CsrSpec& spec) {
  if (read.view == static_cast<const GraphView*>(&graph.db())) return graph.db().Csr(spec);
  return CsrGraph::Build(*read.view, spec);
}

Result<AnalyticsContext> OpenAnalytics(Connection* conn, const TvfArgs& args, size_t graph_arg,
                                       const AnalyticsArgIndexes& at) {
  AnalyticsContext ctx;
  SV_ASSIGN_OR_RETURN(ctx.input, AnalyticsArguments(args, at));
  SV_ASSIGN_OR_RETURN(ctx.graph, GraphArgument(conn, args, graph_arg));
  ctx.read = ctx.graph->View();
  SV_ASSIGN_OR_RETURN(ctx.csr, AnalyticsCsr(*ctx.graph, ctx.read, ctx.input.spec));
  return ctx;
}

Result<double> NumberArgument(const TvfArgs& args, size_t arg, const char* name, double fallback,
                              double min, double max) {
  if (!args.Has(arg)) return fallback;
  sqlite3_value* v = args.Value(arg);
  const int type = sqlite3_value_numeric_type(v);
  const double x = sqlite3_value_double(v);
  if ((type != SQLITE_INTEGER && type != SQLITE_FLOAT) || !(x >= min && x <= max)) {
    return Status::InvalidArgument(fmt::format("{} must be a number between {} and {}, not '{}'",
                                               name, min, max, ValueText(v)));
  }
  return x;
}

SqlValue NumberValue(double x) { return std::isnan(x) ? SqlValue() : SqlValue(x); }

NodeRows::NodeRows(ReadView read, std::shared_ptr<const CsrGraph> csr, std::vector<uint32_t> nodes,
                   int keys_per_row, ValueFn value)
    : read_(std::move(read)),
      csr_(std::move(csr)),
      nodes_(std::move(nodes)),
      keys_per_row_(keys_per_row),
      value_(std::move(value)),
      last_(static_cast<size_t>(keys_per_row), {UINT32_MAX, std::string()}) {}

Result<SqlValue> NodeRows::Column(size_t row, int col) const {
  if (col >= keys_per_row_) return value_(row, col);
  const uint32_t v = nodes_[row * static_cast<size_t>(keys_per_row_) + static_cast<size_t>(col)];
  auto& [cached, key] = last_[static_cast<size_t>(col)];
  if (cached != v) {
    SV_ASSIGN_OR_RETURN(Node node, read_.view->GetNode(csr_->node_id(v)));
    cached = v;
    key = std::move(node.key);
  }
  return SqlValue(key);
}

Result<SimpleGraph> TieGraph(const AnalyticsContext& ctx, const TvfArgs& args, size_t via_arg,
                             Direction direction) {
  if (args.Has(via_arg)) {
    SimpleGraph g = Project(*ctx.csr, ctx.read.view->schema(), "", args.Text(via_arg));
    if (!ctx.input.weighted) g.weights.clear();
    return g;
  }
  return MakeSimpleGraph(*ctx.csr, direction, ctx.input.weighted);
}

const std::vector<TvfArg>& GroupArgs() {
  static const std::vector<TvfArg> kArgs = {
      {"graph", true},  {"attribute", false}, {"via", false},      {"weight", false},
      {"kinds", false}, {"types", false},     {"valid_on", false}, {"year", false}};
  return kArgs;
}

Result<GroupedTies> OpenGroupedTies(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGroupGraph,
                                    {.weight = kGroupWeight, .kinds = kGroupKinds,
                                     .types = kGroupTypes, .valid_on = kGroupValidOn,
                                     .year = kGroupYear}));
  SV_ASSIGN_OR_RETURN(NodeGroups groups, GroupNodes(*ctx.read.view, *ctx.csr,
                                                    args.Text(kGroupAttribute, "sector")));
  SV_ASSIGN_OR_RETURN(SimpleGraph ties, TieGraph(ctx, args, kGroupVia, Direction::kBoth));
  return GroupedTies{std::move(ctx), std::move(groups), std::move(ties)};
}

}  // namespace samverkan::sql
