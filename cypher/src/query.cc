// query.cc: the public entry points (samverkan/cypher.h). Here internal
// CypherErrors and EngineErrors become Status values, with the place in
// the query shown under the message.
#include <algorithm>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "analyzer.h"
#include "call.h"
#include "ast.h"
#include "error.h"
#include "exec.h"
#include "json_value.h"
#include "parser.h"
#include "planner.h"
#include "samverkan/cypher.h"
#include "samverkan/text.h"
#include "value_ops.h"

namespace samverkan::cypher {
namespace {

// Reads of more relationships than this make a query worth a CSR snapshot
// (building one costs about as much as reading this many from the store
// per thousand nodes of graph; see docs/cypher.md).
constexpr double kCsrReads = 20000;

// "line L, column C" for a byte offset, columns counted in characters,
// and the line itself.
void Locate(const std::string& text, size_t pos, size_t* line, size_t* column,
            std::string* source) {
  pos = std::min(pos, text.size());
  size_t start = text.rfind('\n', pos == 0 ? 0 : pos - 1);
  start = (start == std::string::npos || (pos > 0 && start >= pos)) ? 0 : start + 1;
  if (pos > 0 && text[pos - 1] == '\n') start = pos;
  *line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(start), '\n'));
  *column = 1;
  for (size_t i = start; i < pos; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++*column;
  }
  size_t end = text.find('\n', start);
  *source = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

Status ToStatus(const CypherError& e, const std::string& text) {
  std::string msg = e.kind() + " (" + e.code() + ")";
  if (e.position() != kNoPosition) {
    size_t line, column;
    std::string source;
    Locate(text, e.position(), &line, &column, &source);
    msg += " at line " + std::to_string(line) + ", column " + std::to_string(column);
    msg += ": " + std::string(e.what());
    std::string caret(column - 1 + 2, ' ');
    for (size_t i = 0, col = 0; i < source.size() && col + 1 < column; ++i) {
      if ((static_cast<unsigned char>(source[i]) & 0xC0) == 0x80) continue;
      if (source[i] == '\t') caret[col + 2] = '\t';
      ++col;
    }
    msg += "\n  " + source + "\n" + caret + "^";
  } else {
    msg += ": " + std::string(e.what());
  }
  return Status::InvalidArgument(msg);
}

template <typename Body>
auto Guarded(const std::string& text, Body body) -> decltype(body()) {
  try {
    return body();
  } catch (const CypherError& e) {
    return ToStatus(e, text);
  } catch (const EngineError& e) {
    return e.status();
  }
}

// What the planner knows of the graph: counts, and nodes per kind and
// sector, from a CSR snapshot when there is one, else from the indexes.
GraphStats MakeStats(const GraphView& view, const CsrGraph* csr) {
  GraphStats s;
  GraphCounts counts = Unwrap(view.Counts());
  s.nodes = counts.nodes;
  s.edges = counts.edges;
  auto memo = std::make_shared<std::map<std::pair<SymbolSpace, SymbolId>, uint64_t>>();
  s.count = [&view, csr, memo, nodes = s.nodes](SymbolSpace space, SymbolId sym) -> uint64_t {
    auto key = std::make_pair(space, sym);
    auto it = memo->find(key);
    if (it != memo->end()) return it->second;
    uint64_t n = 0;
    if (csr) {
      for (uint32_t v = 0; v < csr->num_nodes(); ++v) {
        n += (space == SymbolSpace::kKind ? csr->kind(v) : csr->sector(v)) == sym;
      }
    } else {
      // An estimate: past this many, only the order of magnitude matters.
      n = Unwrap(view.CountNodes(space, sym, 10000));
      if (n == 10000) n = std::max<uint64_t>(n, nodes / 2);
    }
    (*memo)[key] = n;
    return n;
  };
  return s;
}

std::string FormatRows(double rows) {
  if (rows < 0) return "?";
  char buf[32];
  if (rows < 1e6) {
    std::snprintf(buf, sizeof buf, "%.0f", std::ceil(rows));
  } else {
    std::snprintf(buf, sizeof buf, "%.2g", rows);
  }
  return buf;
}

void PrintPlan(const Operator* op, int depth, std::vector<std::string>* out) {
  for (; op != nullptr; op = op->child(), ++depth) {
    std::string line(static_cast<size_t>(depth) * 2, ' ');
    line += op->Describe();
    if (op->estimated_rows >= 0) line += "  (~" + FormatRows(op->estimated_rows) + " rows)";
    out->push_back(line);
    for (const Operator* nested : op->Nested()) {
      out->push_back(std::string(static_cast<size_t>(depth) * 2 + 2, ' ') + "per row:");
      PrintPlan(nested, depth + 2, out);
    }
  }
}

class Run final : public Cursor {
 public:
  Run(std::shared_ptr<const PreparedQuery> q, Parameters params, const Target& target,
      const RunOptions& options)
      : q_(std::move(q)),
        params_(std::move(params)),
        target_(target),
        options_(options),
        interrupt_(options.interrupt ? *options.interrupt : Interrupt::Never()) {}

  // Plans; chooses the adjacency; for a query that writes, runs it.
  Status Start(std::vector<std::string>* explain) {
    return Guarded(q_->text(), [&]() -> Status {
      const Query& ast = q_->ast();
      if (ast.writes && !ast.explain && target_.txn == nullptr) {
        return Status::ReadOnly("this query writes (CREATE, MERGE, SET, REMOVE or DELETE), "
                                "but the graph is open read-only");
      }
      const bool writing = ast.writes && !ast.explain;
      const GraphView& view = writing ? *target_.txn : *target_.view;
      std::shared_ptr<const CsrGraph> csr;
      const bool may_use_csr = !writing && target_.db != nullptr &&
                               options_.adjacency != RunOptions::Adjacency::kStored;
      if (may_use_csr && options_.adjacency == RunOptions::Adjacency::kCsr) {
        csr = Unwrap(target_.db->Csr(CsrSpec{}));
      } else if (may_use_csr) {
        csr = target_.db->CsrIfCached(CsrSpec{});
      }
      graph_ = std::make_unique<QueryGraph>(view, csr, writing ? target_.txn : nullptr,
                                            interrupt_);
      planner_ = std::make_unique<Planner>(ast, q_->text(), *graph_, params_,
                                           MakeStats(view, csr.get()));
      ctx_ = std::make_unique<ExecContext>(
          *graph_, params_, planner_.get(),
          MemoryBudget(options_.memory_limit, options_.memory_limit_hint));
      if (!writing) ctx_->db = target_.db;
      for (const auto& part : ast.parts) {
        std::vector<int> slots;
        roots_.push_back(planner_->PlanSingle(part, &slots));
        column_slots_.push_back(std::move(slots));
      }
      if (!csr && may_use_csr && planner_->estimated_reads() > kCsrReads) {
        csr = Unwrap(target_.db->Csr(CsrSpec{}));
        graph_->UseCsr(csr);
      }
      distinct_union_ = !ast.union_all.empty() && !ast.union_all[0];
      if (explain != nullptr || ast.explain) {
        std::vector<std::string> lines;
        char head[160];
        std::snprintf(head, sizeof head, "Plan over %s (about %s relationships read)",
                      graph_->csr() ? "the CSR snapshot" : "the stored adjacency",
                      FormatRows(planner_->estimated_reads()).c_str());
        lines.push_back(head);
        for (size_t i = 0; i < roots_.size(); ++i) {
          if (i > 0) lines.push_back(ast.union_all[i - 1] ? "UNION ALL" : "UNION");
          PrintPlan(roots_[i].get(), 1, &lines);
        }
        for (const auto& w : planner_->warnings()) lines.push_back("warning: " + w);
        if (explain != nullptr) {
          *explain = std::move(lines);
          return Status::OK();
        }
        for (auto& l : lines) rows_.push_back({Value::String(std::move(l))});
        materialized_ = true;
        return Status::OK();
      }
      if (writing) {
        // Writes happen whether or not anyone reads the rows.
        // A query without RETURN returns no rows.
        const bool returns = !q_->columns().empty();
        for (;;) {
          SV_ASSIGN_OR_RETURN(bool more, Pull());
          if (!more) break;
          if (returns) {
            kept_.AddValues(ctx_->memory, current_);
            rows_.push_back(current_);
          }
        }
        graph_->Finish();
        materialized_ = true;
      }
      return Status::OK();
    });
  }

  Result<bool> Next() override {
    if (materialized_) {
      if (pos_ >= rows_.size()) return false;
      current_ = std::move(rows_[pos_++]);
      return true;
    }
    return Guarded(q_->text(), [&]() -> Result<bool> { return Pull(); });
  }

  const std::vector<Value>& row() const override { return current_; }
  const std::vector<std::string>& columns() const override { return q_->columns(); }

  Result<std::string> Json(const Value& v) override {
    return Guarded(q_->text(), [&]() -> Result<std::string> {
      CheckRendering(v);
      std::string out;
      AppendJson(v, &out, [this](const Value& e, std::string* o) { Entity(e, o); });
      return out;
    });
  }

  Result<std::string> RowJson() override {
    return Guarded(q_->text(), [&]() -> Result<std::string> {
      std::string out = "{";
      const auto& names = columns();
      for (size_t i = 0; i < names.size() && i < current_.size(); ++i) {
        CheckRendering(current_[i]);
        if (i > 0) out += ",";
        AppendJsonString(names[i], &out);
        out += ":";
        AppendJson(current_[i], &out, [this](const Value& e, std::string* o) { Entity(e, o); });
      }
      return out + "}";
    });
  }

 private:
  // A list or map whose parts are shared may print as far more than it
  // holds (WITH [a, a] AS a, again and again): what printing it walks must
  // fit in the working memory left.
  void CheckRendering(const Value& v) {
    if (ctx_ != nullptr && ContainerOf(v) != nullptr) {
      ctx_->memory.Fits(ShapeOf(v, SIZE_MAX).bytes());
    }
  }

  Result<bool> Pull() {
    const size_t width = static_cast<size_t>(q_->ast().num_slots);
    while (part_ < roots_.size()) {
      // One buffer per part, kept between pulls: the pipeline works in it.
      if (buffer_part_ != part_) {
        buffer_.assign(width, Value());
        buffer_part_ = part_;
      }
      if (!roots_[part_]->Next(*ctx_, &buffer_)) {
        ++part_;
        continue;
      }
      current_.clear();
      for (int s : column_slots_[part_]) current_.push_back(buffer_[static_cast<size_t>(s)]);
      if (distinct_union_) {
        if (!seen_.insert(current_).second) continue;
        kept_.AddValues(ctx_->memory, current_);
      }
      return true;
    }
    return false;
  }

  void Entity(const Value& v, std::string* out) {
    QueryGraph& g = *graph_;
    auto props = [&](const Value& m) {
      AppendJson(m, out, [this](const Value& e, std::string* o) { Entity(e, o); });
    };
    switch (v.type()) {
      case Value::Type::kNode: {
        NodeId id = v.node();
        *out += "{\"id\":" + std::to_string(id) + ",\"key\":";
        if (g.IsDeleted(id)) {
          *out += "null,\"labels\":[],\"properties\":{}}";
          return;
        }
        AppendJsonString(g.NodeKey(id), out);
        *out += ",\"labels\":";
        props(g.NodeLabels(id));
        *out += ",\"properties\":";
        props(g.NodeProperties(id));
        *out += "}";
        return;
      }
      case Value::Type::kRelationship: {
        const Relationship& r = v.rel();
        if (g.IsDeleted(r)) {
          *out += "{\"id\":null,\"type\":";
          AppendJsonString(g.TypeName(r.type), out);
          *out += ",\"properties\":{}}";
          return;
        }
        *out += "{\"id\":" + std::to_string(g.EdgeIdOf(r)) + ",\"type\":";
        AppendJsonString(g.TypeName(r.type), out);
        *out += ",\"start\":";
        AppendJsonString(g.NodeKey(r.src), out);
        *out += ",\"end\":";
        AppendJsonString(g.NodeKey(r.dst), out);
        *out += ",\"properties\":";
        props(g.RelProperties(r));
        *out += "}";
        return;
      }
      case Value::Type::kPath: {
        const Path& p = v.path();
        *out += "{\"nodes\":[";
        for (size_t i = 0; i < p.nodes.size(); ++i) {
          if (i) *out += ",";
          Entity(Value::Node(p.nodes[i]), out);
        }
        *out += "],\"relationships\":[";
        for (size_t i = 0; i < p.relationships.size(); ++i) {
          if (i) *out += ",";
          Entity(Value::Rel(p.relationships[i]), out);
        }
        *out += "]}";
        return;
      }
      default: *out += "null";
    }
  }

  std::shared_ptr<const PreparedQuery> q_;
  Parameters params_;
  Target target_;
  RunOptions options_;
  const Interrupt& interrupt_;
  std::unique_ptr<QueryGraph> graph_;
  std::unique_ptr<Planner> planner_;
  std::unique_ptr<ExecContext> ctx_;
  std::vector<OpPtr> roots_;
  std::vector<std::vector<int>> column_slots_;
  size_t part_ = 0;
  Row buffer_;
  size_t buffer_part_ = SIZE_MAX;
  std::vector<Value> current_;
  bool distinct_union_ = false;
  std::unordered_set<std::vector<Value>, ValuesHash, ValuesEquivalent> seen_;
  bool materialized_ = false;
  std::vector<std::vector<Value>> rows_;
  MemoryCharge kept_;  // for rows_ and seen_
  size_t pos_ = 0;
};

}  // namespace

Result<Parameters> ParseParameters(std::string_view json) {
  Parameters params;
  std::string_view t = json;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  if (t.empty() || t == "null") return params;
  if (auto at = JsonNestingExceeds(json)) {
    return Status::InvalidArgument("parameters nest deeper than " + std::to_string(kMaxJsonDepth) +
                                   " levels (at byte " + std::to_string(*at) + ")");
  }
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("parameters must be a JSON object, as in '{\"name\": \"x\"}'");
  }
  if (auto duplicate = FindDuplicateJsonKey(json)) {
    return Status::InvalidArgument("parameters: " + DuplicateJsonKeyMessage(*duplicate) +
                                   " (at byte " + std::to_string(duplicate->offset) + ")");
  }
  for (auto it = j.begin(); it != j.end(); ++it) params.emplace(it.key(), FromJson(it.value()));
  return params;
}

PreparedQuery::~PreparedQuery() = default;

Result<std::shared_ptr<const PreparedQuery>> PreparedQuery::Prepare(
    std::string_view text, const Interrupt& interrupt, const TableProcedures& procedures) {
  std::string owned(text);
  return Guarded(owned, [&]() -> Result<std::shared_ptr<const PreparedQuery>> {
    if (!IsValidText(owned)) {
      return Status::InvalidArgument("a query must be UTF-8 text without NUL characters");
    }
    std::shared_ptr<PreparedQuery> q(new PreparedQuery());
    q->text_ = owned;
    q->ast_ = std::make_unique<Query>(Parse(q->text_, interrupt));
    auto callables = std::make_shared<const std::vector<CallableProcedure>>(
        TableCallables(procedures));
    q->procedures_ = callables;
    Analysis analysis = Analyze(q->ast_.get(), callables.get());
    q->parameters_.assign(analysis.parameters.begin(), analysis.parameters.end());
    if (q->ast_->explain) q->ast_->columns = {"plan"};
    return std::shared_ptr<const PreparedQuery>(std::move(q));
  });
}

const std::vector<std::string>& PreparedQuery::columns() const { return ast_->columns; }
bool PreparedQuery::writes() const { return ast_->writes && !ast_->explain; }
bool PreparedQuery::explain() const { return ast_->explain; }

Result<std::unique_ptr<Cursor>> Execute(std::shared_ptr<const PreparedQuery> query,
                                        const Target& target, const Parameters& params,
                                        const RunOptions& options) {
  if (target.view == nullptr && target.txn == nullptr) {
    return Status::InvalidArgument("no graph to run the query on");
  }
  for (const auto& name : query->parameters()) {
    if (!params.count(name)) {
      return Status::InvalidArgument("SemanticError (ParameterMissing): no value for parameter $" +
                                     name);
    }
  }
  Target t = target;
  if (t.view == nullptr) t.view = t.txn;
  auto run = std::make_unique<Run>(std::move(query), params, t, options);
  SV_RETURN_IF_ERROR(run->Start(nullptr));
  return std::unique_ptr<Cursor>(std::move(run));
}

Result<std::vector<std::string>> Explain(std::shared_ptr<const PreparedQuery> query,
                                         const Target& target, const Parameters& params,
                                         const RunOptions& options) {
  Target t = target;
  if (t.view == nullptr) t.view = t.txn;
  if (t.view == nullptr) return Status::InvalidArgument("no graph to plan the query for");
  Run run(std::move(query), params, t, options);
  std::vector<std::string> lines;
  SV_RETURN_IF_ERROR(run.Start(&lines));
  return lines;
}

}  // namespace samverkan::cypher
