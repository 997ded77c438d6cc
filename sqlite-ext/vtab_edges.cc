// vtab_edges.cc: the `samverkan_edges` module: a graph's edges as a table.
//
// USAGE
//
// CREATE VIRTUAL TABLE kg USING samverkan(...) creates kg_edges, as
//
//   CREATE VIRTUAL TABLE kg_edges USING samverkan_edges(graph=kg, path=...)
//
// SCHEMA
//
//   CREATE TABLE x(src TEXT, type TEXT, dst TEXT, rank INTEGER, weight REAL,
//                  valid_from TEXT, valid_to TEXT, props TEXT, sources TEXT,
//                  batch INTEGER)
//
//   rowid       the edge's internal id
//   src, dst    the keys of the nodes it joins (directed src -> dst)
//   type        'participates_in', 'funds', ... (any label)
//   rank        0 by default; tells apart edges of one type between one pair
//               of nodes (two roles, two years). (src, type, dst, rank) is
//               the edge's identity.
//   weight      NULL or a number (used by kg_shortest_path(cost => 'weight'))
//   valid_from  NULL or an ISO date 'YYYY-MM-DD' ('YYYY' and 'YYYY-MM' are
//   valid_to    accepted on input); both ends inclusive
//   props       JSON object, read with ->>
//   sources     JSON array of the keys of the nodes the edge cites
//   batch       the engine transaction that last wrote it (read-only)
//
// QUERIES
//
// Answered from the adjacency indexes (see the idxNum table above
// EdgesBestIndex): src = (out-edges of a node), dst = (in-edges), either with
// type =, and rowid =. type = alone filters a scan of every edge without
// loading properties. Anything else scans every edge, ordered by
// (src, type, dst, rank).
//
// CHANGES
//
//   INSERT INTO kg_edges(src, type, dst, props)
//     VALUES ('org:msi', 'participates_in', 'proj:mora', '{"role":"lead"}');
//
// (src, type, dst, rank) is unique, and a conflict is handled as by SQLite's
// own tables (sqlite3_vtab_on_conflict, see UniqueConflict in vtab_base.h):
// INSERT of an edge the graph has fails with "UNIQUE constraint failed:
// kg_edges.src, kg_edges.type, kg_edges.dst, kg_edges.rank (...)", INSERT OR
// IGNORE keeps the edge as it is, INSERT OR REPLACE replaces it (keeping its
// rowid). Both nodes must exist: "kg_edges: unknown node 'org:x'". UPDATE
// that changes src, type, dst or rank deletes the edge and inserts a new one
// (with a new rowid), under the same rule if another edge has the new
// identity; otherwise it keeps the id. DELETE removes the edge. SQLite has
// no ON CONFLICT DO UPDATE for virtual tables.
#include <unordered_map>

#include "graph_table.h"
#include "held_props.h"
#include "modules.h"
#include "snapshot_scan.h"
#include "values.h"

namespace samverkan::sql {
namespace {

// The table's columns, in the order of its declaration.
enum Column : int {
  kSrc, kType, kDst, kRank, kWeight, kValidFrom, kValidTo, kProps, kSources, kBatch
};

constexpr const char* kModule = "samverkan_edges";

// idxNum bits; the xFilter arguments come in this order.
enum PlanBit : int { kPlanRowid = 0x01, kPlanSrc = 0x02, kPlanDst = 0x04, kPlanType = 0x08 };

struct EdgesCursor {
  sqlite3_vtab_cursor base;             // Base class - must be first
  ReadView view;                        // what the rows are read through
  std::unique_ptr<EdgeCursor> scan;     // positioned at the current row
  std::optional<Edge> point;            // rowid lookups: the one row
  std::optional<NodeId> want_src;       // filters the scan does not apply
  std::optional<NodeId> want_dst;
  std::optional<SymbolId> want_type;
  EdgeRef ref;                          // the current row's traversal fields
  std::optional<Edge> loaded;           // the current row, loaded in full
  std::unordered_map<NodeId, std::string> keys;  // node id -> key, per scan
  bool eof = true;

  // A scan of every edge (or of one type) over the snapshot
  // (snapshot_scan.h): the current row is the edge at position `pos`,
  // whose source has dense index `v`, its out-edges at [v_begin, v_end).
  std::shared_ptr<const CsrGraph> csr;
  std::shared_ptr<const GraphView> state;  // the state of `csr` (SnapshotRead)
  uint32_t pos = 0, v = 0;
  uint64_t v_begin = 0, v_end = 0;
  // Columns, fetched as the statement first reads their field.
  std::shared_ptr<const PropertyColumn> node_keys, rank, weight, valid_from, valid_to;
  // Records in step with the positions, for props, sources and batch.
  std::unique_ptr<EdgeCursor> records;
  uint32_t records_pos = 0;
  DateTexts dates;
  // Props of this state held for the process (held_props.h): read from
  // here, not from records. Else, while the record cursor walks every
  // record, `holding` collects them (`collected`: how many), to be held
  // when the scan reaches its end.
  uint64_t sequence = 0;
  std::shared_ptr<const HeldProps> held;
  std::unique_ptr<HeldProps::Builder> holding;
  uint32_t collected = 0;
};

GraphTable* AsTable(sqlite3_vtab* vtab) { return reinterpret_cast<GraphTable*>(vtab); }
EdgesCursor* AsCursor(sqlite3_vtab_cursor* cur) { return reinterpret_cast<EdgesCursor*>(cur); }

int EdgesConnect(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out,
                 char** err) {
  // INSERT OR IGNORE/REPLACE/...: see CHANGES above.
  sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  return ConnectGraphTable(kModule,
                          "CREATE TABLE x(src TEXT, type TEXT, dst TEXT, rank INTEGER, "
                          "weight REAL, valid_from TEXT, valid_to TEXT, props TEXT, "
                          "sources TEXT, batch INTEGER)",
                          db, aux, argc, argv, out, err);
}

// idxNum is a bitmask of the equality constraints handed to xFilter, whose
// arguments come in the order of the bits:
//
//   0x01  rowid = $id     point lookup (GetEdge); nothing else is passed
//   0x02  src = $key      out-edges of src (with 0x08: of that type only)
//   0x04  dst = $key      in-edges of dst, unless src drives; then a filter
//   0x08  type = $type    narrows the src/dst scan; alone, filters a scan
//                         of every edge on the type id
//
// src, dst and type are enforced here exactly (omit=1). idxStr spells the
// plan out for EXPLAIN QUERY PLAN, e.g. "src=,type=".
int EdgesBestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info) {
  return Guard(vtab, [&] {
    int found[4] = {-1, -1, -1, -1};
    for (int i = 0; i < info->nConstraint; ++i) {
      const auto& c = info->aConstraint[i];
      if (!c.usable || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
      int bit = c.iColumn == -1              ? 0
                : c.iColumn == kSrc  ? 1
                : c.iColumn == kDst  ? 2
                : c.iColumn == kType ? 3
                                              : -1;
      if (bit >= 0 && found[bit] < 0) found[bit] = i;
    }
    int plan = 0;
    if (found[0] >= 0) {
      plan = kPlanRowid;
    } else {
      for (int bit = 1; bit < 4; ++bit) {
        if (found[bit] >= 0) plan |= 1 << bit;
      }
    }
    static const char* kNames[4] = {"rowid=", "src=", "dst=", "type="};
    std::string idx_str;
    int argv_index = 0;
    for (int bit = 0; bit < 4; ++bit) {
      if (!(plan & (1 << bit))) continue;
      auto& usage = info->aConstraintUsage[found[bit]];
      usage.argvIndex = ++argv_index;
      usage.omit = 1;
      idx_str += (idx_str.empty() ? "" : ",") + std::string(kNames[bit]);
    }
    info->idxNum = plan;
    if (!idx_str.empty()) {
      info->idxStr = sqlite3_mprintf("%s", idx_str.c_str());
      info->needToFreeIdxStr = 1;
    }
    const bool by_node = plan & (kPlanSrc | kPlanDst);
    if (plan & kPlanRowid) {
      info->estimatedCost = 1;
      info->estimatedRows = 1;
      info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    } else if ((plan & kPlanSrc) && (plan & kPlanDst)) {
      info->estimatedCost = 5;
      info->estimatedRows = 2;
    } else if (by_node && (plan & kPlanType)) {
      info->estimatedCost = 20;
      info->estimatedRows = 10;
    } else if (by_node) {
      info->estimatedCost = 50;
      info->estimatedRows = 25;
    } else if (plan & kPlanType) {
      info->estimatedCost = 200000;
      info->estimatedRows = 10000;
    } else {
      info->estimatedCost = 1000000;
      info->estimatedRows = 100000;
    }
    return SQLITE_OK;
  });
}

bool Wanted(const EdgesCursor& c, const EdgeRef& e) {
  return (!c.want_src || e.src == *c.want_src) && (!c.want_dst || e.dst == *c.want_dst) &&
         (!c.want_type || e.type == *c.want_type);
}

// Skips scan entries that fail the filters; sets eof at the end.
Status SettleScan(EdgesCursor* c) {
  c->loaded.reset();
  for (; c->scan->Valid(); c->scan->Next()) {
    if (Wanted(*c, c->scan->edge())) {
      c->ref = c->scan->edge();
      c->eof = false;
      return Status::OK();
    }
  }
  c->eof = true;
  return c->scan->status();
}

// Over the snapshot: moves to the first position from c->pos on that
// passes the type filter (src, dst and rowid never come here), or to eof.
void SettleSnapshot(EdgesCursor* c) {
  const CsrGraph& g = *c->csr;
  c->loaded.reset();
  for (const uint64_t n = g.num_edges(); c->pos < n; ++c->pos) {
    while (c->pos >= c->v_end) {
      ++c->v;
      c->v_begin = g.out_edge(c->v, 0);
      c->v_end = c->v_begin + g.out_degree(c->v);
    }
    if (!c->want_type || g.out_types(c->v)[c->pos - c->v_begin] == *c->want_type) {
      c->eof = false;
      return;
    }
  }
  c->eof = true;
}

// Sets *id to the node with `key`, or returns false when there is none.
Result<bool> LookupNode(const GraphView& view, sqlite3_value* key, NodeId* id) {
  if (IsNull(key)) return false;
  auto found = view.FindKey(ValueText(key));
  if (found.ok()) {
    *id = *found;
    return true;
  }
  if (found.status().IsNotFound()) return false;
  return found.status();
}

// See the idxNum table above EdgesBestIndex.
Status StartScan(EdgesCursor* c, int plan, sqlite3_value** argv) {
  const GraphView& view = *c->view.view;
  c->eof = true;
  int arg = 0;
  if (plan & kPlanRowid) {
    sqlite3_value* rowid = argv[arg];
    if (sqlite3_value_numeric_type(rowid) != SQLITE_INTEGER || sqlite3_value_int64(rowid) <= 0) {
      return Status::OK();
    }
    auto edge = view.GetEdge(static_cast<EdgeId>(sqlite3_value_int64(rowid)));
    if (!edge.ok()) return edge.status().IsNotFound() ? Status::OK() : edge.status();
    auto type = view.schema().EdgeType(edge->type);
    c->ref = EdgeRef{edge->id, edge->src, type.value_or(0), edge->dst, edge->rank, edge->weight,
                     edge->validity};
    c->point = std::move(*edge);
    c->loaded = c->point;
    c->eof = false;
    return Status::OK();
  }
  sqlite3_value* src = (plan & kPlanSrc) ? argv[arg++] : nullptr;
  sqlite3_value* dst = (plan & kPlanDst) ? argv[arg++] : nullptr;
  sqlite3_value* type = (plan & kPlanType) ? argv[arg++] : nullptr;
  NodeId id = kNoNode;
  if (src != nullptr) {
    auto ok = LookupNode(view, src, &id);
    if (!ok.ok()) return ok.status();
    if (!*ok) return Status::OK();
    c->want_src = id;
  }
  if (dst != nullptr) {
    auto ok = LookupNode(view, dst, &id);
    if (!ok.ok()) return ok.status();
    if (!*ok) return Status::OK();
    c->want_dst = id;
  }
  if (type != nullptr) {
    if (IsNull(type)) return Status::OK();
    c->want_type = view.schema().EdgeType(ValueText(type));
    if (!c->want_type) return Status::OK();  // a type never used has no edges
  }
  if (c->want_src) {
    c->scan = view.Edges(*c->want_src, Direction::kOut, c->want_type);
  } else if (c->want_dst) {
    c->scan = view.Edges(*c->want_dst, Direction::kIn, c->want_type);
  } else if (SnapshotRead read = ScanSnapshot(c->view, /*with_state=*/true); read.csr) {
    c->csr = std::move(read.csr);
    c->state = std::move(read.state);
    c->sequence = read.sequence;
    c->pos = 0;
    c->v = 0;
    c->v_begin = 0;
    c->v_end = c->csr->num_nodes() == 0 ? 0 : c->csr->out_degree(0);
    SettleSnapshot(c);
    return Status::OK();
  } else {
    c->scan = view.AllEdges();
  }
  return SettleScan(c);
}

int EdgesFilter(sqlite3_vtab_cursor* cur, int idx_num, const char*, int, sqlite3_value** argv) {
  sqlite3_vtab* vtab = cur->pVtab;
  return Guard(vtab, [&] {
    auto* c = AsCursor(cur);
    auto* t = AsTable(vtab);
    c->view = t->graph->View();
    c->scan.reset();
    c->point.reset();
    c->loaded.reset();
    c->want_src.reset();
    c->want_dst.reset();
    c->want_type.reset();
    if (c->keys.size() > 4096) c->keys.clear();
    c->csr.reset();
    c->state.reset();
    c->records.reset();
    c->held.reset();
    c->holding.reset();
    for (auto* col : {&c->node_keys, &c->rank, &c->weight, &c->valid_from, &c->valid_to}) {
      col->reset();
    }
    Status s = StartScan(c, idx_num, argv);
    if (c->csr) {
      t->graph->CountSnapshotRead();
      c->held = t->graph->held_edge_props().Find(c->sequence);
      if (c->held && c->held->rows() != c->csr->num_edges()) c->held.reset();
    }
    return s.ok() ? SQLITE_OK : StatusError(vtab, t->table_name, s);
  });
}

Status FinishHolding(EdgesCursor* c, GraphHandle& graph);

int EdgesNext(sqlite3_vtab_cursor* cur) {
  return Guard(cur->pVtab, [&] {
    auto* c = AsCursor(cur);
    if (c->csr) {
      ++c->pos;
      SettleSnapshot(c);
      if (!c->eof || !c->holding) return SQLITE_OK;
      Status s = FinishHolding(c, *AsTable(cur->pVtab)->graph);
      return s.ok() ? SQLITE_OK : StatusError(cur->pVtab, AsTable(cur->pVtab)->table_name, s);
    }
    if (!c->scan) {
      c->eof = true;
      return SQLITE_OK;
    }
    c->scan->Next();
    Status s = SettleScan(c);
    return s.ok() ? SQLITE_OK : StatusError(cur->pVtab, AsTable(cur->pVtab)->table_name, s);
  });
}

int EdgesEof(sqlite3_vtab_cursor* cur) { return AsCursor(cur)->eof; }

Result<std::string> NodeKey(EdgesCursor* c, NodeId id) {
  auto it = c->keys.find(id);
  if (it != c->keys.end()) return it->second;
  auto node = (c->state ? *c->state : *c->view.view).GetNode(id);
  if (!node.ok()) return node.status();
  c->keys.emplace(id, node->key);
  return node->key;
}

// Adds the props of the record cursor's current record to c->holding, once.
// A record that is not the snapshot's edge at its position ends the
// collecting: the texts must be the positions' own.
Status CollectProps(EdgesCursor* c) {
  if (c->collected != c->records_pos || !c->records->Valid()) return Status::OK();
  if (c->records_pos >= c->csr->num_edges() ||
      c->records->edge().id != c->csr->edge_id(c->records_pos)) {
    c->holding.reset();
    return Status::OK();
  }
  SV_ASSIGN_OR_RETURN(EdgeCursor::RecordFields fields, c->records->Record());
  if (!c->holding->Add(fields.props)) c->holding.reset();
  ++c->collected;
  return Status::OK();
}

// Over the snapshot: moves the record cursor, which follows the positions
// (AllEdges comes in their order), to the edge at c->pos. False when it is
// not there (the scan and the snapshot disagree): read the edge by id.
// The first such cursor of a statement that reads props, when none are
// held for its state, collects every record's props on its way.
Result<bool> RecordsAtPosition(EdgesCursor* c, bool for_props) {
  if (!c->records) {
    c->records = c->state->AllEdges();
    c->records_pos = 0;
    c->collected = 0;
    if (for_props && !c->held) {
      c->holding = std::make_unique<HeldProps::Builder>(c->csr->num_edges());
    }
  }
  for (;;) {
    if (c->holding) SV_RETURN_IF_ERROR(CollectProps(c));
    if (!c->records->Valid() || c->records_pos >= c->pos) break;
    c->records->Next();
    ++c->records_pos;
  }
  SV_RETURN_IF_ERROR(c->records->status());
  return c->records->Valid() && c->records_pos == c->pos &&
         c->records->edge().id == c->csr->edge_id(c->pos);
}

// At the end of a scan that collected props: collects the records after
// the last row (the type filter skipped them), and holds the texts for the
// process when they are every position's.
Status FinishHolding(EdgesCursor* c, GraphHandle& graph) {
  while (c->holding && c->records->Valid()) {
    SV_RETURN_IF_ERROR(CollectProps(c));
    c->records->Next();
    ++c->records_pos;
  }
  SV_RETURN_IF_ERROR(c->records->status());
  if (!c->holding) return Status::OK();
  std::unique_ptr<HeldProps::Builder> holding = std::move(c->holding);
  if (auto held = holding->Finish(); held && c->records_pos == c->csr->num_edges()) {
    graph.held_edge_props().Hold(c->sequence, std::move(held));
  }
  return Status::OK();
}

// Over the snapshot: the whole record of the edge at c->pos.
Status LoadSnapshotEdge(EdgesCursor* c) {
  SV_ASSIGN_OR_RETURN(bool in_step, RecordsAtPosition(c, /*for_props=*/false));
  SV_ASSIGN_OR_RETURN(Edge edge,
                      in_step ? c->records->Load() : c->state->GetEdge(c->csr->edge_id(c->pos)));
  c->loaded = std::move(edge);
  return Status::OK();
}

// Over the snapshot: props and batch of the edge at c->pos, read in place
// from the record cursor (EdgeCursor::Record: no Edge built, no copy of
// props) unless the row has been loaded whole. A statement reading `props`
// over the snapshot spends its time here.
Result<EdgeCursor::RecordFields> SnapshotRecordFields(EdgesCursor* c, bool for_props) {
  if (!c->loaded) {
    SV_ASSIGN_OR_RETURN(bool in_step, RecordsAtPosition(c, for_props));
    if (in_step) return c->records->Record();
    SV_RETURN_IF_ERROR(LoadSnapshotEdge(c));
  }
  return EdgeCursor::RecordFields{c->loaded->props, c->loaded->batch, c->loaded->sources};
}

Result<const Edge*> LoadedEdge(EdgesCursor* c) {
  if (!c->loaded && c->csr) {
    Status s = LoadSnapshotEdge(c);
    if (!s.ok()) return s;
  }
  if (!c->loaded) {
    auto edge = c->scan->Load();
    if (!edge.ok()) return edge.status();
    c->loaded = std::move(*edge);
  }
  return &*c->loaded;
}

void ResultDate(sqlite3_context* ctx, const std::optional<Date>& date) {
  if (date) {
    ResultText(ctx, date->ToString());
  } else {
    sqlite3_result_null(ctx);
  }
}

// The column `field` of the snapshot's edges in *slot, fetched (built on
// first use) if need be; null when it has a type the row path's field
// never has.
Result<const PropertyColumn*> EdgeColumnOf(EdgesCursor* c, EdgeField field, ColumnType want,
                                           std::shared_ptr<const PropertyColumn>* slot) {
  if (!*slot) {
    SV_ASSIGN_OR_RETURN(*slot, c->csr->EdgeColumn(*c->state, field));
  }
  return ColumnIs(**slot, want) ? slot->get() : nullptr;
}

// xColumn over the snapshot: the arrays and columns give every field but
// props, sources and batch, which come from the record. SQLITE_OK, or
// SQLITE_NOTFOUND for a column left to the record path.
int SnapshotColumn(EdgesCursor* c, sqlite3_context* ctx, int col, Status* error) {
  const CsrGraph& g = *c->csr;
  const size_t slot = c->pos - c->v_begin;
  auto column = [&](EdgeField field, ColumnType want,
                    std::shared_ptr<const PropertyColumn>* cache) {
    auto got = EdgeColumnOf(c, field, want, cache);
    if (!got.ok()) {
      *error = got.status();
      return SQLITE_ERROR;
    }
    if (*got == nullptr || !ResultColumnValue(ctx, **got, c->pos, c->dates)) {
      return SQLITE_NOTFOUND;
    }
    return SQLITE_OK;
  };
  switch (col) {
    case kSrc:
    case kDst: {
      if (!c->node_keys) {
        auto keys = g.NodeColumn(*c->state, NodeField::kKey);
        if (!keys.ok()) {
          *error = keys.status();
          return SQLITE_ERROR;
        }
        c->node_keys = std::move(*keys);
      }
      if (c->node_keys->type() != ColumnType::kString) return SQLITE_NOTFOUND;
      const uint32_t v = col == kSrc ? c->v : g.out_neighbors(c->v)[slot];
      if (c->node_keys->is_null(v)) return SQLITE_NOTFOUND;
      ResultText(ctx, c->node_keys->text(v));
      return SQLITE_OK;
    }
    case kType:
      ResultText(ctx, c->view.view->schema().EdgeTypeName(g.out_types(c->v)[slot]));
      return SQLITE_OK;
    case kRank: return column(EdgeField::kRank, ColumnType::kInt, &c->rank);
    case kWeight: return column(EdgeField::kWeight, ColumnType::kDouble, &c->weight);
    case kValidFrom: return column(EdgeField::kValidFrom, ColumnType::kDate, &c->valid_from);
    case kValidTo: return column(EdgeField::kValidTo, ColumnType::kDate, &c->valid_to);
    default: return SQLITE_NOTFOUND;
  }
}

// The current row's traversal fields from its record (over the snapshot,
// for a column SnapshotColumn leaves to the record).
Status RefFromRecord(EdgesCursor* c) {
  auto edge = LoadedEdge(c);
  if (!edge.ok()) return edge.status();
  const Edge& e = **edge;
  c->ref = EdgeRef{e.id, e.src, c->view.view->schema().EdgeType(e.type).value_or(0), e.dst,
                   e.rank, e.weight, e.validity};
  return Status::OK();
}

int EdgesColumn(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
  return Guard(cur->pVtab, [&] {
    auto* c = AsCursor(cur);
    const EdgeRef& e = c->ref;
    auto fail = [&](const Status& s) {
      return StatusError(cur->pVtab, AsTable(cur->pVtab)->table_name, s);
    };
    if (c->csr) {
      Status error;
      const int rc = SnapshotColumn(c, ctx, col, &error);
      if (rc == SQLITE_OK) return SQLITE_OK;
      if (rc != SQLITE_NOTFOUND) return fail(error);
      if (col != kProps && col != kSources && col != kBatch) {
        Status s = RefFromRecord(c);
        if (!s.ok()) return fail(s);
      }
    }
    switch (col) {
      case kSrc:
      case kDst: {
        auto key = NodeKey(c, col == kSrc ? e.src : e.dst);
        if (!key.ok()) return fail(key.status());
        ResultText(ctx, *key);
        break;
      }
      case kType: ResultText(ctx, c->view.view->schema().EdgeTypeName(e.type)); break;
      case kRank: sqlite3_result_int64(ctx, e.rank); break;
      case kWeight:
        if (e.weight) {
          sqlite3_result_double(ctx, *e.weight);
        } else {
          sqlite3_result_null(ctx);
        }
        break;
      case kValidFrom: ResultDate(ctx, e.validity.from); break;
      case kValidTo: ResultDate(ctx, e.validity.to); break;
      case kProps:
      case kSources:
      case kBatch: {
        if (c->csr && col == kProps && c->held) {
          ResultText(ctx, c->held->text(c->pos));
          AsTable(cur->pVtab)->graph->CountHeldPropsRead();
          break;
        }
        if (c->csr) {
          const bool in_place = !c->loaded;
          auto fields = SnapshotRecordFields(c, col == kProps);
          if (!fields.ok()) return fail(fields.status());
          if (in_place && !c->loaded) AsTable(cur->pVtab)->graph->CountRecordFieldRead();
          if (col == kProps) {
            ResultText(ctx, fields->props);
          } else if (col == kBatch) {
            sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(fields->batch));
          } else {
            auto keys = SourceKeysJson(*c->state, fields->sources);
            if (!keys.ok()) return fail(keys.status());
            ResultText(ctx, *keys);
          }
          break;
        }
        auto edge = LoadedEdge(c);
        if (!edge.ok()) return fail(edge.status());
        if (col == kProps) {
          ResultText(ctx, PropsText((*edge)->props));
        } else if (col == kBatch) {
          sqlite3_result_int64(ctx, static_cast<sqlite3_int64>((*edge)->batch));
        } else {
          auto keys = SourceKeysJson(c->state ? *c->state : *c->view.view, (*edge)->sources);
          if (!keys.ok()) return fail(keys.status());
          ResultText(ctx, *keys);
        }
        break;
      }
      default: sqlite3_result_null(ctx); break;
    }
    return SQLITE_OK;
  });
}

int EdgesRowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid) {
  const EdgesCursor* c = AsCursor(cur);
  *rowid = static_cast<sqlite3_int64>(c->csr ? c->csr->edge_id(c->pos) : c->ref.id);
  return SQLITE_OK;
}

// The edge a row of values (argv[2..] of xUpdate) describes. Unknown
// endpoints are reported here, by key, before the engine sees them.
Result<EdgeInput> EdgeFromValues(const GraphView& view, sqlite3_value** values) {
  EdgeInput in;
  for (int col : {kSrc, kType, kDst}) {
    if (IsNull(values[col])) {
      static const char* kNames[] = {"src", "type", "dst"};
      return Status::InvalidArgument(std::string(kNames[col]) + " is required");
    }
  }
  for (int col : {kSrc, kDst}) {
    auto id = view.FindKey(ValueText(values[col]));
    if (!id.ok()) return id.status();
  }
  in.src = NodeRef(ValueText(values[kSrc]));
  in.type = ValueText(values[kType]);
  in.dst = NodeRef(ValueText(values[kDst]));
  if (!IsNull(values[kRank])) {
    sqlite3_value* rank = values[kRank];
    if (sqlite3_value_numeric_type(rank) != SQLITE_INTEGER || sqlite3_value_int64(rank) < 0 ||
        sqlite3_value_int64(rank) > UINT32_MAX) {
      return Status::InvalidArgument("rank must be an integer from 0 to 4294967295");
    }
    in.rank = static_cast<uint32_t>(sqlite3_value_int64(rank));
  }
  if (!IsNull(values[kWeight])) {
    int type = sqlite3_value_numeric_type(values[kWeight]);
    if (type != SQLITE_INTEGER && type != SQLITE_FLOAT) {
      return Status::InvalidArgument("weight must be a number");
    }
    in.weight = sqlite3_value_double(values[kWeight]);
  }
  auto from = ParseOptionalDate(values[kValidFrom], "valid_from", Date::Partial::kFirstDay);
  if (!from.ok()) return from.status();
  auto to = ParseOptionalDate(values[kValidTo], "valid_to", Date::Partial::kLastDay);
  if (!to.ok()) return to.status();
  in.validity = Validity{*from, *to};
  in.props = ValueText(values[kProps]);
  auto sources = ParseStringArray(values[kSources], "sources");
  if (!sources.ok()) return sources.status();
  for (auto& key : *sources) in.sources.emplace_back(std::move(key));
  return in;
}

// True when an UPDATE keeps the edge's identity (src, type, dst, rank).
Result<bool> SameIdentity(const Transaction& txn, const Edge& old, const EdgeInput& in) {
  auto src = txn.FindKey(in.src.key);
  if (!src.ok()) return src.status();
  auto dst = txn.FindKey(in.dst.key);
  if (!dst.ok()) return dst.status();
  return *src == old.src && *dst == old.dst && in.type == old.type && in.rank == old.rank;
}

// The edge that already has `in`'s identity, if any.
Result<std::optional<EdgeId>> ExistingEdge(const Transaction& txn, const EdgeInput& in) {
  auto type = txn.schema().EdgeType(in.type);
  if (!type) return std::optional<EdgeId>();  // a type no edge has yet
  auto src = txn.FindKey(in.src.key);
  if (!src.ok()) return src.status();
  auto dst = txn.FindKey(in.dst.key);
  if (!dst.ok()) return dst.status();
  return txn.FindEdge(*src, *type, *dst, in.rank);
}

// The answer to a row that takes the identity of edge `in`, already there.
int EdgeConflict(GraphTable* t, const EdgeInput& in) {
  return UniqueConflict(&t->base, t->conn->db(), t->table_name, {"src", "type", "dst", "rank"},
                        {QuoteLiteral(in.src.key), QuoteLiteral(in.type),
                         QuoteLiteral(in.dst.key), std::to_string(in.rank)});
}

// xUpdate: argc == 1 is DELETE of rowid argv[0]; argv[0] NULL is INSERT;
// otherwise UPDATE of row argv[0]. argv[2..] are the columns.
int EdgesUpdate(sqlite3_vtab* vtab, int argc, sqlite3_value** argv, sqlite3_int64* rowid) {
  return Guard(vtab, [&] {
    auto* t = AsTable(vtab);
    const char* who = t->table_name.c_str();
    Transaction* txn = nullptr;
    const int rc = BeginTableUpdate(vtab, argc, argv, "edge", &txn);
    if (rc != SQLITE_OK) return rc;
    if (argc == 1) {
      Status s = txn->DeleteEdge(static_cast<EdgeId>(sqlite3_value_int64(argv[0])));
      return s.ok() ? SQLITE_OK : StatusError(vtab, who, s);
    }
    const bool is_insert = IsNull(argv[0]);
    auto input = EdgeFromValues(*txn, argv + 2);
    if (!input.ok()) return StatusError(vtab, who, input.status());
    const bool replace = ReplacesOnConflict(t->conn->db());
    if (is_insert) {
      Status s = CheckBatchUnchanged(argv[2 + kBatch], std::nullopt);
      if (!s.ok()) return StatusError(vtab, who, s);
      auto existing = ExistingEdge(*txn, *input);
      if (!existing.ok()) return StatusError(vtab, who, existing.status());
      if (*existing && !replace) return EdgeConflict(t, *input);
    } else {
      const EdgeId old_id = static_cast<EdgeId>(sqlite3_value_int64(argv[0]));
      auto old = txn->GetEdge(old_id);
      if (!old.ok()) return StatusError(vtab, who, old.status());
      Status batch = CheckBatchUnchanged(argv[2 + kBatch], old->batch);
      if (!batch.ok()) return StatusError(vtab, who, batch);
      auto same = SameIdentity(*txn, *old, *input);
      if (!same.ok()) return StatusError(vtab, who, same.status());
      if (!*same) {
        auto existing = ExistingEdge(*txn, *input);
        if (!existing.ok()) return StatusError(vtab, who, existing.status());
        if (*existing && !replace) return EdgeConflict(t, *input);
        // A new identity is a different edge: replace the old one. The
        // statement's savepoint undoes the delete if the insert fails.
        Status s = txn->DeleteEdge(old_id);
        if (!s.ok()) return StatusError(vtab, who, s);
      }
    }
    auto id = txn->PutEdge(*input);
    if (!id.ok()) return StatusError(vtab, who, id.status());
    *rowid = static_cast<sqlite3_int64>(*id);
    return SQLITE_OK;
  });
}

}  // namespace

const sqlite3_module kEdgesModule = {
    /* iVersion    */ 3,
    /* xCreate     */ EdgesConnect,
    /* xConnect    */ EdgesConnect,
    /* xBestIndex  */ EdgesBestIndex,
    /* xDisconnect */ DeleteTable<GraphTable>,
    /* xDestroy    */ GraphTableDestroy<DeleteTable<GraphTable>>,
    /* xOpen       */ GraphTableOpen<EdgesCursor>,
    /* xClose      */ CloseCursor<EdgesCursor>,
    /* xFilter     */ EdgesFilter,
    /* xNext       */ EdgesNext,
    /* xEof        */ EdgesEof,
    /* xColumn     */ EdgesColumn,
    /* xRowid      */ EdgesRowid,
    /* xUpdate     */ EdgesUpdate,
    /* xBegin      */ GraphTableBegin,
    /* xSync       */ GraphTableSync,
    /* xCommit     */ GraphTableCommit,
    /* xRollback   */ GraphTableRollback,
    /* xFindMethod */ nullptr,
    /* xRename     */ GraphTableRenameSibling,
    /* xSavepoint  */ GraphTableSavepoint,
    /* xRelease    */ GraphTableRelease,
    /* xRollbackTo */ GraphTableRollbackTo,
    /* xShadowName */ nullptr,
};

}  // namespace samverkan::sql
