// aggregate.cc: AggregateOp, grouping and the aggregation functions.
#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "error.h"
#include "eval.h"
#include "operators.h"

namespace samverkan::cypher {
namespace {

using T = Value::Type;

struct KeyHash {
  size_t operator()(const std::vector<Value>& k) const { return HashAll(k.data(), k.size()); }
};
struct KeyEq {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!Equivalent(a[i], b[i])) return false;
    }
    return true;
  }
};

// The running state of one aggregation call in one group.
struct Accumulator {
  int64_t count = 0;
  bool floating = false;  // sum/avg: a FLOAT was seen
  int64_t isum = 0;
  double fsum = 0;
  Value best;             // min, max
  List items;             // collect; percentiles, stDev keep numbers here
  std::unique_ptr<std::unordered_set<Value, ValueHash, ValueEquivalent>> seen;  // DISTINCT
};

void AddNumber(Accumulator* a, const Value& v, const Expr& call) {
  if (!v.is_number()) {
    TypeError("InvalidArgumentType", call.name + "() takes numbers, not " +
              std::string(TypeName(v.type())), call.pos);
  }
  if (v.type() == T::kFloat || a->floating) {
    if (!a->floating) {
      a->floating = true;
      a->fsum = static_cast<double>(a->isum);
    }
    a->fsum += v.number();
  } else if (__builtin_add_overflow(a->isum, v.integer(), &a->isum)) {
    ArgumentError("NumberOutOfRange", call.name + "(): integer overflow", call.pos);
  }
}

void Accumulate(Accumulator* a, const Expr& call, Row& row, ExecContext& ctx) {
  if (call.kind == ExprKind::kCountStar) {
    ++a->count;
    return;
  }
  Value v = Eval(*call.args[0], row, ctx);
  if (v.is_null()) return;
  if (call.distinct) {
    if (!a->seen) a->seen = std::make_unique<std::unordered_set<Value, ValueHash, ValueEquivalent>>();
    if (!a->seen->insert(v).second) return;
  }
  const std::string& f = call.name;
  ++a->count;
  if (f == "count") return;
  if (f == "sum" || f == "avg") {
    AddNumber(a, v, call);
  } else if (f == "min" || f == "max") {
    if (a->best.is_null()) {
      a->best = v;
    } else {
      int c = OrderCompare(v, a->best);
      if ((f == "min" && c < 0) || (f == "max" && c > 0)) a->best = v;
    }
  } else if (f == "collect") {
    a->items.push_back(std::move(v));
  } else {  // stDev, stDevP, percentileDisc, percentileCont
    if (!v.is_number()) {
      TypeError("InvalidArgumentType", f + "() takes numbers, not " +
                std::string(TypeName(v.type())), call.pos);
    }
    a->items.push_back(std::move(v));
  }
}

Value Finish(Accumulator& a, const Expr& call, Row& row, ExecContext& ctx) {
  if (call.kind == ExprKind::kCountStar) return Value::Int(a.count);
  const std::string& f = call.name;
  if (f == "count") return Value::Int(a.count);
  if (f == "sum") return a.floating ? Value::Float(a.fsum) : Value::Int(a.isum);
  if (f == "avg") {
    if (a.count == 0) return Value();
    double total = a.floating ? a.fsum : static_cast<double>(a.isum);
    return Value::Float(total / static_cast<double>(a.count));
  }
  if (f == "min" || f == "max") return a.best;
  if (f == "collect") return Value::MakeList(std::move(a.items));
  if (f == "stDev" || f == "stDevP") {
    const size_t n = a.items.size();
    if (n == 0 || (f == "stDev" && n == 1)) return Value::Float(0);
    double mean = 0;
    for (const Value& v : a.items) mean += v.number();
    mean /= static_cast<double>(n);
    double sq = 0;
    for (const Value& v : a.items) sq += (v.number() - mean) * (v.number() - mean);
    return Value::Float(std::sqrt(sq / static_cast<double>(f == "stDev" ? n - 1 : n)));
  }
  // percentileDisc, percentileCont: the second argument is the percentile.
  Value p = Eval(*call.args[1], row, ctx);
  if (!p.is_number() || p.number() < 0 || p.number() > 1) {
    ArgumentError("NumberOutOfRange", f + "(): the percentile must be a number from 0 to 1",
                  call.pos);
  }
  if (a.items.empty()) return Value();
  std::vector<double> xs;
  for (const Value& v : a.items) xs.push_back(v.number());
  std::sort(xs.begin(), xs.end());
  const double q = p.number();
  const size_t n = xs.size();
  if (f == "percentileDisc") {
    size_t idx = q == 0 ? 0 : static_cast<size_t>(std::ceil(q * static_cast<double>(n))) - 1;
    idx = std::min(idx, n - 1);
    // Keep the type of the input: an integer percentile of integers.
    for (const Value& v : a.items) {
      if (v.number() == xs[idx]) return v;
    }
    return Value::Float(xs[idx]);
  }
  double pos = q * static_cast<double>(n - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = static_cast<size_t>(std::ceil(pos));
  return Value::Float(xs[lo] + (xs[hi] - xs[lo]) * (pos - static_cast<double>(lo)));
}

}  // namespace

struct AggregateOp::State {
  struct Group {
    Row representative;
    std::vector<Accumulator> accs;
  };
  std::unordered_map<std::vector<Value>, size_t, KeyHash, KeyEq> index;
  std::vector<std::pair<std::vector<Value>, Group>> groups;
  bool consumed = false;
  size_t pos = 0;
};

AggregateOp::AggregateOp(OpPtr child, std::vector<ProjectItem> keys,
                         std::vector<const Expr*> aggregates, std::vector<ProjectItem> outputs,
                         size_t width, std::string describe)
    : Operator(std::move(child)),
      keys_(std::move(keys)),
      aggregates_(std::move(aggregates)),
      outputs_(std::move(outputs)),
      width_(width),
      describe_(std::move(describe)),
      state_(std::make_unique<State>()) {}

AggregateOp::~AggregateOp() = default;

void AggregateOp::Reset() {
  Operator::Reset();
  state_ = std::make_unique<State>();
}

void AggregateOp::Consume(ExecContext& ctx) {
  Row row(width_);
  std::vector<Value> key;
  size_t n = 0;
  while (child_->Next(ctx, &row)) {
    if ((++n & 1023) == 0) ctx.graph.CheckInterrupt();
    key.clear();
    for (const auto& k : keys_) {
      key.push_back(k.expr ? Eval(*k.expr, row, ctx) : row[static_cast<size_t>(k.slot)]);
    }
    auto it = state_->index.find(key);
    size_t g;
    if (it == state_->index.end()) {
      g = state_->groups.size();
      state_->index.emplace(key, g);
      State::Group group;
      group.representative = row;
      group.accs.resize(aggregates_.size());
      state_->groups.emplace_back(key, std::move(group));
    } else {
      g = it->second;
    }
    auto& accs = state_->groups[g].second.accs;
    for (size_t i = 0; i < aggregates_.size(); ++i) Accumulate(&accs[i], *aggregates_[i], row, ctx);
  }
  // Without grouping keys there is one group even when there were no rows.
  if (keys_.empty() && state_->groups.empty()) {
    State::Group group;
    group.representative = Row(width_);
    group.accs.resize(aggregates_.size());
    state_->groups.emplace_back(std::vector<Value>(), std::move(group));
  }
  state_->consumed = true;
}

bool AggregateOp::Next(ExecContext& ctx, Row* row) {
  if (!state_->consumed) Consume(ctx);
  if (state_->pos >= state_->groups.size()) return false;
  auto& [key, group] = state_->groups[state_->pos++];
  *row = std::move(group.representative);
  row->resize(width_);
  for (size_t i = 0; i < keys_.size(); ++i) (*row)[static_cast<size_t>(keys_[i].slot)] = key[i];
  std::vector<Value> values;
  values.reserve(aggregates_.size());
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    values.push_back(Finish(group.accs[i], *aggregates_[i], *row, ctx));
  }
  ctx.agg_values = &values;
  for (const auto& out : outputs_) {
    (*row)[static_cast<size_t>(out.slot)] = Eval(*out.expr, *row, ctx);
  }
  ctx.agg_values = nullptr;
  return true;
}

}  // namespace samverkan::cypher
