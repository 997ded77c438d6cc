// tvf_analytics.cc: the arguments, calls and rows the analytics functions
// share. See tvf_analytics.h.
#include "tvf_analytics.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sql_interrupt.h"

namespace samverkan::sql {
namespace {

// Where a function keeps the shared arguments; SIZE_MAX when it lacks one.
struct SharedIndexes {
  size_t direction = SIZE_MAX;
  size_t weight = SIZE_MAX;
  size_t kinds = SIZE_MAX;
  size_t types = SIZE_MAX;
  size_t valid_on = SIZE_MAX;
  size_t year = SIZE_MAX;
  size_t late = SIZE_MAX;  // the first of the late arguments
};

SharedIndexes IndexesOf(const AnalyticsSpec& spec) {
  SharedIndexes at;
  size_t next = 1 + spec.own_args.size();
  if (spec.shared.direction) at.direction = next++;
  if (spec.shared.weight) at.weight = next++;
  if (spec.shared.kinds) at.kinds = next++;
  at.types = next++;
  at.valid_on = next++;
  at.year = next++;
  at.late = next;
  return at;
}

// TvfArgs::Has for an index that may be SIZE_MAX (a function without it).
bool Given(const TvfArgs& args, size_t arg) { return arg != SIZE_MAX && args.Has(arg); }

// InvalidArgument names the argument: "direction must be 'out', 'in' or
// 'both', not 'up'", "weight must be NULL or 'weight', not 'x'", "year must
// be an integer year, not 'x'", "valid_on: invalid date ...".
Result<AnalyticsInput> SharedArguments(const TvfArgs& args, const SharedIndexes& at) {
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

Result<std::unique_ptr<TvfRows>> Run(const AnalyticsSpec& spec, Connection* conn,
                                     const TvfArgs& args) {
  AnalyticsContext ctx;
  const SharedIndexes at = IndexesOf(spec);
  SV_ASSIGN_OR_RETURN(ctx.input, SharedArguments(args, at));
  SV_ASSIGN_OR_RETURN(ctx.graph, GraphArgument(conn, args, 0));
  ctx.read = ctx.graph->View();
  const Schema& schema = ctx.read.view->schema();
  SV_RETURN_IF_ERROR(CheckEdgeTypes(schema, ctx.input.spec.edge_types, "types"));
  SV_RETURN_IF_ERROR(CheckKinds(schema, ctx.input.spec.node_kinds, "kinds"));
  SV_ASSIGN_OR_RETURN(ctx.csr, AnalyticsCsr(ctx.read, ctx.input.spec));
  Interrupt interrupt(InterruptPredicate(conn->db()));
  AnalyticsCall call{args, std::move(ctx), interrupt, at.late};
  return spec.compute(call);
}

// Rows whose first `keys_per_row` columns are node keys, looked up only when
// SQLite asks for them, and the rest come from result columns.
class KeyedColumnRows final : public TvfRows {
 public:
  KeyedColumnRows(const AnalyticsCall& call, std::vector<uint32_t> nodes, int keys_per_row,
                  std::vector<ResultColumn> columns)
      : read_(call.ctx.read),
        csr_(call.ctx.csr),
        nodes_(std::move(nodes)),
        keys_per_row_(keys_per_row),
        columns_(std::move(columns)),
        last_(static_cast<size_t>(keys_per_row), {UINT32_MAX, std::string()}) {}

  size_t size() const override { return nodes_.size() / static_cast<size_t>(keys_per_row_); }

  Result<SqlValue> Column(size_t row, int col) const override {
    if (col >= keys_per_row_) {
      const ResultColumn& c = columns_[static_cast<size_t>(col - keys_per_row_)];
      if (const auto* d = std::get_if<std::vector<double>>(&c)) {
        return NumberValue((*d)[row]);
      }
      if (const auto* i = std::get_if<std::vector<int64_t>>(&c)) return SqlValue((*i)[row]);
      return SqlValue(std::get<std::vector<std::string>>(c)[row]);
    }
    const uint32_t v = nodes_[row * static_cast<size_t>(keys_per_row_) + static_cast<size_t>(col)];
    // SQLite reads a row's columns one after another and consecutive rows
    // often share a node: keep the last key of each key column.
    auto& [cached, key] = last_[static_cast<size_t>(col)];
    if (cached != v) {
      SV_ASSIGN_OR_RETURN(Node node, read_.view->GetNode(csr_->node_id(v)));
      cached = v;
      key = std::move(node.key);
    }
    return SqlValue(key);
  }

 private:
  ReadView read_;
  std::shared_ptr<const CsrGraph> csr_;
  std::vector<uint32_t> nodes_;
  int keys_per_row_;
  std::vector<ResultColumn> columns_;
  mutable std::vector<std::pair<uint32_t, std::string>> last_;
};

}  // namespace

TvfSpec AnalyticsTvf(const AnalyticsSpec& spec) {
  TvfSpec tvf;
  tvf.name = spec.name;
  std::string schema = "CREATE TABLE x(";
  for (const char* c : spec.columns) schema += std::string(c) + ", ";
  tvf.n_outputs = static_cast<int>(spec.columns.size());
  tvf.args.push_back({"graph", true});
  for (const auto& a : spec.own_args) tvf.args.push_back(a);
  if (spec.shared.direction) tvf.args.push_back({"direction", false});
  if (spec.shared.weight) tvf.args.push_back({"weight", false});
  if (spec.shared.kinds) tvf.args.push_back({"kinds", false});
  for (const char* a : {"types", "valid_on", "year"}) tvf.args.push_back({a, false});
  for (const auto& a : spec.late_args) tvf.args.push_back(a);
  for (size_t i = 0; i < tvf.args.size(); ++i) {
    schema += std::string(i ? ", " : "") + tvf.args[i].name + " HIDDEN";
  }
  tvf.schema = schema + ")";
  tvf.run = [&spec](Connection* conn, const TvfArgs& args) { return Run(spec, conn, args); };
  return tvf;
}

Result<std::shared_ptr<const CsrGraph>> AnalyticsCsr(const ReadView& read, const CsrSpec& spec) {
  if (read.latest != nullptr) return read.latest->Csr(spec);
  return CsrGraph::Build(*read.view, spec);
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

Result<std::string> KindArgument(const AnalyticsCall& call, size_t arg, const char* name,
                                 std::string_view fallback) {
  std::string kind = call.args.Text(arg, fallback);
  SV_RETURN_IF_ERROR(CheckKinds(call.view().schema(), {kind}, name));
  return kind;
}

SqlValue NumberValue(double x) { return std::isnan(x) ? SqlValue() : SqlValue(x); }

std::vector<int64_t> Ints(const std::vector<uint32_t>& values) {
  return std::vector<int64_t>(values.begin(), values.end());
}

std::vector<int64_t> Ints(const std::vector<uint64_t>& values) {
  return std::vector<int64_t>(values.begin(), values.end());
}

std::unique_ptr<TvfRows> PerNodeRows(const AnalyticsCall& call, std::vector<ResultColumn> columns) {
  std::vector<uint32_t> nodes(call.csr().num_nodes());
  for (uint32_t v = 0; v < nodes.size(); ++v) nodes[v] = v;
  return KeyedRows(call, std::move(nodes), std::move(columns));
}

std::unique_ptr<TvfRows> PerPairRows(const AnalyticsCall& call, std::vector<uint32_t> nodes,
                                     std::vector<ResultColumn> columns) {
  return std::make_unique<KeyedColumnRows>(call, std::move(nodes), 2, std::move(columns));
}

std::unique_ptr<TvfRows> KeyedRows(const AnalyticsCall& call, std::vector<uint32_t> nodes,
                                   std::vector<ResultColumn> columns) {
  return std::make_unique<KeyedColumnRows>(call, std::move(nodes), 1, std::move(columns));
}

Result<SimpleGraph> TieGraph(const AnalyticsCall& call, size_t via_arg, Direction direction) {
  if (call.args.Has(via_arg)) {
    SV_ASSIGN_OR_RETURN(std::string via, KindArgument(call, via_arg, "via", ""));
    SV_ASSIGN_OR_RETURN(SimpleGraph g,
                        Project(call.csr(), call.view().schema(), "", via, call.interrupt));
    if (!call.ctx.input.weighted) g.weights.clear();
    return g;
  }
  return MakeSimpleGraph(call.csr(), direction, call.ctx.input.weighted);
}

const std::vector<TvfArg>& GroupArgs() {
  static const std::vector<TvfArg> kArgs = {{"attribute", false}, {"via", false}};
  return kArgs;
}

Result<GroupedTies> OpenGroupedTies(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(NodeGroups groups, GroupNodes(call.view(), call.csr(),
                                                    call.args.Text(kGroupAttribute, "sector")));
  SV_ASSIGN_OR_RETURN(SimpleGraph ties, TieGraph(call, kGroupVia, Direction::kBoth));
  return GroupedTies{std::move(groups), std::move(ties)};
}

}  // namespace samverkan::sql
