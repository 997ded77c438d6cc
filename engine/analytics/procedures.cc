// procedures.cc: running a procedure of the table (procedures_table.cc):
// its arguments checked, its subgraph's snapshot found, its rows built.
// See samverkan/procedures.h.
#include "samverkan/procedures.h"

#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "samverkan/schema.h"
#include "samverkan/types.h"

namespace samverkan {
namespace {

// "'out', 'in' or 'both'".
std::string Choices(const std::vector<const char*>& choices) {
  std::string out;
  for (size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
    out += "'" + std::string(choices[i]) + "'";
  }
  return out;
}

// Checks `value` against the type of `arg`; an absent value passes.
Status CheckArg(const ProcArg& arg, const ProcValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return Status::OK();
  const std::string name = arg.name;
  const std::string shown = ProcValueText(value);
  const auto* i = std::get_if<int64_t>(&value);
  const auto* d = std::get_if<double>(&value);
  const auto* s = std::get_if<std::string>(&value);
  switch (arg.type) {
    case ProcArgType::kNumber: {
      const double x = i ? static_cast<double>(*i) : d ? *d : NAN;
      if (!(x >= arg.min && x <= arg.max)) {
        return Status::InvalidArgument(fmt::format("{} must be a number between {} and {}, not '{}'",
                                                   name, arg.min, arg.max, shown));
      }
      return Status::OK();
    }
    case ProcArgType::kCount:
      if (!i || *i < 0 || *i > UINT32_MAX) {
        return Status::InvalidArgument(name + " must be a non-negative integer, not '" + shown +
                                       "'");
      }
      return Status::OK();
    case ProcArgType::kBool: {
      if (std::holds_alternative<bool>(value) || (i && (*i == 0 || *i == 1))) return Status::OK();
      if (s) {
        std::string t = *s;
        for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const char* w : {"true", "yes", "on", "false", "no", "off"}) {
          if (t == w) return Status::OK();
        }
      }
      return Status::InvalidArgument(name + " must be 1 or 0 (true or false), not '" + shown + "'");
    }
    case ProcArgType::kText:
    case ProcArgType::kKind: {
      bool ok = s != nullptr;
      if (ok && !arg.choices.empty()) {
        ok = false;
        for (const char* c : arg.choices) ok = ok || *s == c;
      }
      if (ok) return Status::OK();
      if (arg.choices.size() == 1) {
        return Status::InvalidArgument(name + " must be NULL or " + Choices(arg.choices) +
                                       ", not '" + shown + "'");
      }
      if (!arg.choices.empty()) {
        return Status::InvalidArgument(name + " must be " + Choices(arg.choices) + ", not '" +
                                       shown + "'");
      }
      return Status::InvalidArgument(name + " must be a string, not '" + shown + "'");
    }
    case ProcArgType::kNames:
      if (std::holds_alternative<ProcNames>(value)) return Status::OK();
      return Status::InvalidArgument(name + " must be a list of names, not '" + shown + "'");
    case ProcArgType::kShares:
      if (std::holds_alternative<ProcNames>(value) || std::holds_alternative<ProcShares>(value)) {
        for (const auto& [key, share] : std::holds_alternative<ProcShares>(value)
                                            ? std::get<ProcShares>(value)
                                            : ProcShares{}) {
          if (!(share >= 0)) {
            return Status::InvalidArgument(name + ": the share of '" + key +
                                           "' must be a non-negative number");
          }
        }
        return Status::OK();
      }
      return Status::InvalidArgument(name + " must be node keys, or keys with shares, not '" +
                                     shown + "'");
    case ProcArgType::kDate: {
      if (!s) return Status::InvalidArgument(name + " must be an ISO date, not '" + shown + "'");
      auto date = Date::Parse(*s);
      return date.ok() ? Status::OK() : date.status().WithContext(name);
    }
    case ProcArgType::kYear:
      if (!i || *i < 1 || *i > 9999) {
        return Status::InvalidArgument(name + " must be an integer year, not '" + shown + "'");
      }
      return Status::OK();
  }
  return Status::OK();
}

}  // namespace

const char* ProcArgTypeName(ProcArgType type) {
  switch (type) {
    case ProcArgType::kNumber: return "number";
    case ProcArgType::kCount: return "non-negative integer";
    case ProcArgType::kBool: return "boolean";
    case ProcArgType::kText: return "string";
    case ProcArgType::kNames: return "list of names";
    case ProcArgType::kShares: return "node keys (list, or map of shares)";
    case ProcArgType::kDate: return "ISO date";
    case ProcArgType::kYear: return "integer year";
    case ProcArgType::kKind: return "node kind";
  }
  return "?";
}

const char* ProcColumnTypeName(ProcColumnType type) {
  switch (type) {
    case ProcColumnType::kNode: return "node";
    case ProcColumnType::kInteger: return "integer";
    case ProcColumnType::kNumber: return "float";
    case ProcColumnType::kText: return "string";
  }
  return "?";
}

std::string ProcValueText(const ProcValue& value) {
  struct Visit {
    std::string operator()(std::monostate) const { return "NULL"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return fmt::format("{}", d); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const ProcNames& names) const {
      return "[" + fmt::format("{}", fmt::join(names, ", ")) + "]";
    }
    std::string operator()(const ProcShares& shares) const {
      std::string out = "{";
      for (size_t i = 0; i < shares.size(); ++i) {
        out += fmt::format("{}{}: {}", i ? ", " : "", shares[i].first, shares[i].second);
      }
      return out + "}";
    }
  };
  return std::visit(Visit{}, value);
}

std::optional<size_t> Procedure::ArgIndex(std::string_view name) const {
  for (size_t i = 0; i < args.size(); ++i) {
    if (name == args[i].name) return i;
  }
  return std::nullopt;
}

const Procedure* FindProcedure(std::string_view name) {
  for (const Procedure* p : Procedures()) {
    if (name == p->name) return p;
  }
  return nullptr;
}

Result<ProcResult> RunProcedure(const Procedure& proc, std::span<const ProcValue> args,
                                const GraphView& view, const Db* latest,
                                const Interrupt& interrupt) {
  if (args.size() != proc.args.size()) {
    return Status::InvalidArgument(fmt::format("{} takes {} arguments, not {}", proc.name,
                                               proc.args.size(), args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) SV_RETURN_IF_ERROR(CheckArg(proc.args[i], args[i]));
  auto arg = [&](const char* name) -> const ProcValue* {
    auto at = proc.ArgIndex(name);
    return at && !std::holds_alternative<std::monostate>(args[*at]) ? &args[*at] : nullptr;
  };
  CsrSpec spec;
  Direction direction = Direction::kBoth;
  bool weighted = false;
  if (const ProcValue* v = arg("direction")) direction = *ParseDirection(std::get<std::string>(*v));
  if (const ProcValue* v = arg("types")) spec.edge_types = std::get<ProcNames>(*v);
  if (const ProcValue* v = arg("valid_on")) spec.valid_on = *Date::Parse(std::get<std::string>(*v));
  if (const ProcValue* v = arg("kinds")) spec.node_kinds = std::get<ProcNames>(*v);
  if (const ProcValue* v = arg("year")) spec.year = static_cast<int>(std::get<int64_t>(*v));
  if (arg("weight") != nullptr) weighted = spec.with_weights = true;
  const Schema& schema = view.schema();
  SV_RETURN_IF_ERROR(CheckEdgeTypes(schema, spec.edge_types, "types"));
  SV_RETURN_IF_ERROR(CheckKinds(schema, spec.node_kinds, "kinds"));
  for (size_t i = 0; i < args.size(); ++i) {
    if (proc.args[i].type == ProcArgType::kKind && arg(proc.args[i].name) != nullptr) {
      SV_RETURN_IF_ERROR(CheckKinds(schema, {std::get<std::string>(args[i])}, proc.args[i].name));
    }
  }
  std::shared_ptr<const CsrGraph> csr;
  if (latest != nullptr) {
    SV_ASSIGN_OR_RETURN(csr, latest->Adjacency(spec));
  } else {
    SV_ASSIGN_OR_RETURN(csr, CsrGraph::Build(view, spec));
  }
  ProcCall call(proc, args, view, std::move(csr), direction, weighted, interrupt);
  return proc.compute(call);
}

// --- ProcCall ---------------------------------------------------------------------------------

const ProcValue& ProcCall::Arg(std::string_view name) const {
  static const ProcValue kAbsent;
  auto at = proc_.ArgIndex(name);
  return at ? args_[*at] : kAbsent;
}

bool ProcCall::Has(std::string_view name) const {
  return !std::holds_alternative<std::monostate>(Arg(name));
}

double ProcCall::Number(std::string_view name, double fallback) const {
  const ProcValue& v = Arg(name);
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return fallback;
}

uint32_t ProcCall::Count(std::string_view name, uint32_t fallback) const {
  const ProcValue& v = Arg(name);
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<uint32_t>(*i);
  return fallback;
}

bool ProcCall::Bool(std::string_view name, bool fallback) const {
  const ProcValue& v = Arg(name);
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* i = std::get_if<int64_t>(&v)) return *i == 1;
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::string t = *s;
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t == "true" || t == "yes" || t == "on";
  }
  return fallback;
}

std::string ProcCall::Text(std::string_view name, std::string_view fallback) const {
  const ProcValue& v = Arg(name);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::string(fallback);
}

ProcShares ProcCall::Shares(std::string_view name) const {
  const ProcValue& v = Arg(name);
  if (const auto* s = std::get_if<ProcShares>(&v)) return *s;
  ProcShares shares;
  if (const auto* n = std::get_if<ProcNames>(&v)) {
    for (const auto& key : *n) shares.emplace_back(key, 1.0);
  }
  return shares;
}

ProcResult ProcCall::PerNode(std::vector<ProcColumnValues> columns) const {
  std::vector<uint32_t> nodes(csr().num_nodes());
  std::iota(nodes.begin(), nodes.end(), 0u);
  return Keyed(std::move(nodes), 1, std::move(columns));
}

ProcResult ProcCall::Keyed(std::vector<uint32_t> nodes, int nodes_per_row,
                           std::vector<ProcColumnValues> columns) const {
  ProcResult r;
  r.csr = csr_;
  const size_t per_row = static_cast<size_t>(nodes_per_row);
  r.rows = nodes.size() / per_row;
  if (per_row == 1) {
    r.columns.emplace_back(std::move(nodes));
  } else {
    for (size_t k = 0; k < per_row; ++k) {
      std::vector<uint32_t> column(r.rows);
      for (size_t row = 0; row < r.rows; ++row) column[row] = nodes[row * per_row + k];
      r.columns.emplace_back(std::move(column));
    }
  }
  for (auto& c : columns) r.columns.push_back(std::move(c));
  return r;
}

ProcResult ProcCall::Plain(size_t rows, std::vector<ProcColumnValues> columns) const {
  ProcResult r;
  r.csr = csr_;
  r.rows = rows;
  r.columns = std::move(columns);
  return r;
}

std::vector<int64_t> ProcInts(const std::vector<uint32_t>& values) {
  return std::vector<int64_t>(values.begin(), values.end());
}

std::vector<int64_t> ProcInts(const std::vector<uint64_t>& values) {
  return std::vector<int64_t>(values.begin(), values.end());
}

}  // namespace samverkan
