// column_top.cc: see column_top.h.
#include "column_top.h"

#include <algorithm>

#include "column_source.h"
#include "eval.h"

namespace samverkan::cypher {
namespace {

// One ORDER BY item, read from a column.
struct OrderColumn {
  const ColumnRef* col;
  bool descending;
};

// A candidate row: where it is and its place in the row path's order.
struct Candidate {
  At at;
  uint64_t index;
};

}  // namespace

std::optional<std::vector<Row>> TopOverColumns(const Operator& input,
                                               const std::vector<SortKey>& keys, size_t keep,
                                               size_t width, ExecContext& ctx) {
  const CsrGraph* csr = ctx.graph.csr();
  if (!csr || csr->spec() != CsrSpec{} || keys.empty()) return std::nullopt;
  // The Sort's input: a Project over the chain, or the chain itself (RETURN
  // of pattern variables only projects nothing).
  static const std::vector<ProjectItem> kNoItems;
  auto* project = dynamic_cast<const ProjectOp*>(&input);
  const Operator* chain = project ? project->child() : &input;
  const std::vector<ProjectItem>& items = project ? project->items() : kNoItems;
  if (!chain) return std::nullopt;
  ColumnSource source(ctx, *csr);
  // What a RETURN alias stands for.
  auto alias = [&](int slot) -> const Expr* {
    for (const ProjectItem& item : items) {
      if (item.slot == slot) return item.expr;
    }
    return nullptr;
  };
  // The column an ORDER BY item reads: a pattern variable's property, or an
  // alias of one, or a property of an alias of a pattern variable.
  auto column_of = [&](const Expr* e) -> const ColumnRef* {
    if (e->kind == ExprKind::kVariable) {
      if (const Expr* x = alias(e->slot)) e = x;
    }
    if (e->kind != ExprKind::kProperty || e->args[0]->kind != ExprKind::kVariable) return nullptr;
    int slot = e->args[0]->slot;
    if (const Expr* x = alias(slot); x && x->kind == ExprKind::kVariable) slot = x->slot;
    return source.Column(slot, e->name);
  };
  std::vector<OrderColumn> order;
  auto compile = [&]() -> bool {
    if (!source.Recognise(*chain)) return false;
    // Only the chosen rows are projected: the items must be ones that
    // cannot fail on the rows left out (the row path would raise it).
    for (const ProjectItem& item : items) {
      const Expr& e = *item.expr;
      const bool safe = e.kind == ExprKind::kLiteral || e.kind == ExprKind::kParameter ||
                        (e.kind == ExprKind::kVariable && source.WhereOf(e.slot)) ||
                        (e.kind == ExprKind::kProperty && e.args[0]->kind == ExprKind::kVariable &&
                         source.WhereOf(e.args[0]->slot));
      if (!safe) return false;
    }
    for (const SortKey& k : keys) {
      const ColumnRef* c = column_of(k.expr);
      if (!c) return false;
      order.push_back({c, k.descending});
    }
    return true;
  };
  if (!compile()) {
    source.Release();
    return std::nullopt;
  }

  const Reader& reader = source.reader();
  // `a` comes before `b`: ORDER BY's order, then the row path's.
  auto before = [&](const Candidate& a, const Candidate& b) {
    for (const OrderColumn& o : order) {
      const int c = reader.Order(*o.col, a.at.of(o.col->where), b.at.of(o.col->where));
      if (c != 0) return o.descending ? c > 0 : c < 0;
    }
    return a.index < b.index;
  };
  // A max-heap under `before`: its front is the last of the rows kept.
  std::vector<Candidate> heap;
  if (keep > 0) {
    source.Charge(std::min<uint64_t>(keep, 1 << 16) * sizeof(Candidate));
    heap.reserve(std::min<size_t>(keep, 1 << 16));
  }
  uint64_t index = 0;
  source.Scan([&](const At& at) {
    const Candidate c{at, index++};
    if (heap.size() < keep) {
      if (heap.size() == heap.capacity()) source.Charge(heap.size() * sizeof(Candidate));
      heap.push_back(c);
      std::push_heap(heap.begin(), heap.end(), before);
    } else if (keep > 0 && before(c, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), before);
      heap.back() = c;
      std::push_heap(heap.begin(), heap.end(), before);
    }
  });
  std::sort_heap(heap.begin(), heap.end(), before);

  // The chosen rows, bound and projected as the row path's would be.
  std::vector<Row> rows;
  rows.reserve(heap.size());
  for (const Candidate& c : heap) {
    Row row(width);
    source.Bind(c.at, &row);
    for (const ProjectItem& item : items) {
      row[static_cast<size_t>(item.slot)] = Eval(*item.expr, row, ctx);
    }
    rows.push_back(std::move(row));
  }
  source.Release();  // the heap goes; SortOp charges the rows it keeps
  return rows;
}

}  // namespace samverkan::cypher
