// vtab_nodes.cc: the `samverkan_nodes` module: a graph's nodes as a table.
//
// USAGE
//
// CREATE VIRTUAL TABLE kg USING samverkan(...) creates kg_nodes, as
//
//   CREATE VIRTUAL TABLE kg_nodes USING samverkan_nodes(graph=kg, path=...)
//
// with the arguments of kg; you do not create it yourself.
//
// SCHEMA
//
//   CREATE TABLE x(key TEXT, kind TEXT, name TEXT, sector TEXT,
//                  aliases TEXT, props TEXT, sources TEXT, batch INTEGER)
//
//   rowid    the node's internal id (dense, from 1)
//   key      the stable external key, e.g. 'org:msi'
//   kind     'actor', 'project', 'region', ... (any label)
//   name     display name; defaults to the key
//   sector   NULL, or one of the graph's sectors ('academia', 'business',
//            'public', 'nonprofit', ...)
//   aliases  JSON array of other names: '["MSI"]'
//   props    JSON object: read with ->> ('props ->> ''$.founded''')
//   sources  JSON array of the keys of the nodes this node cites
//   batch    the engine transaction that last wrote the node (read-only)
//
// QUERIES
//
// These constraints are answered from the graph's indexes (see the idxNum
// table above NodesBestIndex); everything else scans all nodes in id order:
//
//   WHERE key = 'org:msi'       point lookup
//   WHERE rowid = 3             point lookup
//   WHERE name = 'orebro univ'  name index: matches the name or an alias
//                               after folding case, diacritics and spacing,
//                               so it finds 'Örebro universitet'. This is
//                               not SQL's '=': it is folded wherever the
//                               constraint reaches the table.
//   WHERE kind = 'actor'        kind index
//   WHERE sector = 'nonprofit'  sector index
//
// CHANGES
//
//   INSERT INTO kg_nodes(key, kind, name, sector, aliases, props)
//     VALUES ('org:msi', 'actor', 'MSI', 'nonprofit', '["M.S.I."]', '{"founded":1998}');
//
// The key is unique, and a conflict is handled as by SQLite's own tables
// (sqlite3_vtab_on_conflict, see UniqueConflict in vtab_base.h): INSERT of
// a key the graph has fails with "UNIQUE constraint failed: kg_nodes.key
// ('org:msi')", INSERT OR IGNORE keeps the node as it is, and INSERT OR
// REPLACE replaces it (it keeps its id and its edges). UPDATE replaces the
// row's fields but cannot change the key (delete and insert instead: edges
// are not moved). DELETE removes the node and every edge at it. SQLite has
// no ON CONFLICT DO UPDATE for virtual tables.
#include <algorithm>
#include <limits>

#include "graph_table.h"
#include "held_props.h"
#include "modules.h"
#include "samverkan/text.h"
#include "snapshot_scan.h"
#include "values.h"

namespace samverkan::sql {
namespace {

// The table's columns, in the order of its declaration.
enum Column : int { kKey, kKind, kName, kSector, kAliases, kProps, kSources, kBatch };

constexpr const char* kModule = "samverkan_nodes";

// idxNum bits; the xFilter arguments come in this order.
enum PlanBit : int {
  kPlanRowid = 0x01,
  kPlanKey = 0x02,
  kPlanName = 0x04,
  kPlanKind = 0x08,
  kPlanSector = 0x10,
};

struct NodesCursor {
  sqlite3_vtab_cursor base;           // Base class - must be first
  ReadView view;                      // what the rows are read through
  std::vector<Node> listed;           // point and name lookups: all the rows
  size_t next_listed = 0;             // position in `listed`
  std::unique_ptr<NodeCursor> scan;   // index and full scans
  std::optional<std::string> folded;  // name= as a filter: the folded name
  Node row;                           // the current row
  bool eof = true;

  // Over the snapshot (snapshot_scan.h): the current row is the node of
  // dense index `v`; `row` is loaded only when a column needs its record.
  std::shared_ptr<const CsrGraph> csr;
  uint32_t v = 0;
  std::optional<SymbolId> want_kind, want_sector;  // kind= / sector= plans
  bool single = false;                // a key= lookup: the one row, then eof
  bool row_loaded = false;
  const Node* loaded = nullptr;       // once row_loaded: `row` or the record cursor's
  std::shared_ptr<const CsrGraph> columns_of;  // the snapshot of these columns
  std::shared_ptr<const GraphView> state;       // and its state (SnapshotRead)
  std::shared_ptr<const PropertyColumn> names, key_column;
  std::optional<NodeKeyIndex> keys;
  std::string last_key;                     // the last key= looked up in `keys`
  std::optional<uint32_t> last_key_node;    // and what it found
  bool last_key_valid = false;
  // Records in step with the scan, for aliases, props, sources and batch.
  std::unique_ptr<NodeCursor> records;
  // Props of this state held for the process (held_props.h): read from
  // here, not from records. Else, while the record cursor walks every
  // record, `holding` collects them (`collected`: how many), to be held
  // when the scan reaches its end.
  uint64_t sequence = 0;  // of `state`
  std::shared_ptr<const HeldProps> held;
  std::unique_ptr<HeldProps::Builder> holding;
  uint32_t collected = 0;
  // key= lookups this cursor made (a join makes one per outer row): past
  // kLookupsBeforeSnapshot they use the key column, whose one-off cost a
  // single lookup would not repay.
  uint64_t key_lookups = 0;
};

constexpr uint64_t kLookupsBeforeSnapshot = 64;

GraphTable* AsTable(sqlite3_vtab* vtab) { return reinterpret_cast<GraphTable*>(vtab); }
NodesCursor* AsCursor(sqlite3_vtab_cursor* cur) { return reinterpret_cast<NodesCursor*>(cur); }

int NodesConnect(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out,
                 char** err) {
  // INSERT OR IGNORE/REPLACE/...: see CHANGES above.
  sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  return ConnectGraphTable(kModule,
                          "CREATE TABLE x(key TEXT, kind TEXT, name TEXT, sector TEXT, "
                          "aliases TEXT, props TEXT, sources TEXT, batch INTEGER)",
                          db, aux, argc, argv, out, err);
}

// idxNum is a bitmask of the equality constraints handed to xFilter, whose
// arguments come in the order of the bits:
//
//   0x01  rowid = $id        point lookup (GetNode)
//   0x02  key = $key         point lookup (FindKey)
//   0x04  name = $name       folded name lookup (FindByName), or a folded
//                            filter when rowid/key drive; always omit=1, as
//                            SQLite's own '=' would drop folded matches
//   0x08  kind = $kind       kind index scan
//   0x10  sector = $sector   sector index scan (with 0x08: both)
//
// The plan uses the first of rowid, key, name, kind/sector that is present;
// with none it scans every node. idxStr spells the plan out for EXPLAIN
// QUERY PLAN, e.g. "key=" or "kind=,sector=".
int NodesBestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info) {
  return Guard(vtab, [&] {
    int found[5] = {-1, -1, -1, -1, -1};  // constraint index per bit
    for (int i = 0; i < info->nConstraint; ++i) {
      const auto& c = info->aConstraint[i];
      if (!c.usable || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
      int bit = c.iColumn == -1               ? 0
                : c.iColumn == kKey    ? 1
                : c.iColumn == kName   ? 2
                : c.iColumn == kKind   ? 3
                : c.iColumn == kSector ? 4
                                                : -1;
      if (bit >= 0 && found[bit] < 0) found[bit] = i;
    }
    int plan = 0;
    if (found[0] >= 0) {
      plan = kPlanRowid;
    } else if (found[1] >= 0) {
      plan = kPlanKey;
    } else if (found[2] < 0) {
      if (found[3] >= 0) plan |= kPlanKind;
      if (found[4] >= 0) plan |= kPlanSector;
    }
    if (found[2] >= 0) plan |= kPlanName;

    static const char* kNames[5] = {"rowid=", "key=", "name=", "kind=", "sector="};
    std::string idx_str;
    int argv_index = 0;
    for (int bit = 0; bit < 5; ++bit) {
      if (!(plan & (1 << bit))) continue;
      auto& usage = info->aConstraintUsage[found[bit]];
      usage.argvIndex = ++argv_index;
      usage.omit = (bit == 2);  // the folded name= must not be re-checked exactly
      idx_str += (idx_str.empty() ? "" : ",") + std::string(kNames[bit]);
    }
    info->idxNum = plan;
    if (!idx_str.empty()) {
      info->idxStr = sqlite3_mprintf("%s", idx_str.c_str());
      info->needToFreeIdxStr = 1;
    }

    if (plan & (kPlanRowid | kPlanKey)) {
      info->estimatedCost = 1;
      info->estimatedRows = 1;
      info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    } else if (plan & kPlanName) {
      info->estimatedCost = 10;
      info->estimatedRows = 2;
    } else if ((plan & kPlanKind) && (plan & kPlanSector)) {
      info->estimatedCost = 2000;
      info->estimatedRows = 500;
    } else if (plan & (kPlanKind | kPlanSector)) {
      info->estimatedCost = 5000;
      info->estimatedRows = 1000;
    } else {
      info->estimatedCost = 1000000;
      info->estimatedRows = 100000;
    }
    // Every plan returns rows in id order.
    if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == -1 && !info->aOrderBy[0].desc) {
      info->orderByConsumed = 1;
    }
    return SQLITE_OK;
  });
}

// True when the folded name filter (if any) accepts `node`.
Result<bool> MatchesFoldedName(const NodesCursor& c, const Node& node) {
  if (!c.folded) return true;
  auto name = FoldName(node.name);
  if (!name.ok()) return name.status();
  if (*name == *c.folded) return true;
  for (const auto& alias : node.aliases) {
    auto folded = FoldName(alias);
    if (!folded.ok()) return folded.status();
    if (*folded == *c.folded) return true;
  }
  return false;
}

// Moves to the next row that passes the name filter, or to eof.
Status Advance(NodesCursor* c) {
  while (true) {
    if (c->scan) {
      if (!c->scan->Valid()) {
        c->eof = true;
        return c->scan->status();
      }
      c->row = c->scan->node();
      c->scan->Next();
    } else {
      if (c->next_listed >= c->listed.size()) {
        c->eof = true;
        return Status::OK();
      }
      c->row = std::move(c->listed[c->next_listed++]);
    }
    auto match = MatchesFoldedName(*c, c->row);
    if (!match.ok()) return match.status();
    if (*match) {
      c->eof = false;
      return Status::OK();
    }
  }
}

// Appends the node with `id` to c->listed; a missing node is no row.
Status ListNode(NodesCursor* c, NodeId id) {
  auto node = c->view.view->GetNode(id);
  if (node.ok()) {
    c->listed.push_back(std::move(*node));
    return Status::OK();
  }
  return node.status().IsNotFound() ? Status::OK() : node.status();
}

// Over the snapshot: moves to the first node from c->v on that the kind
// and sector filters accept, or to eof.
void SettleSnapshot(NodesCursor* c) {
  const CsrGraph& g = *c->csr;
  c->row_loaded = false;
  for (; c->v < g.num_nodes(); ++c->v) {
    if ((!c->want_kind || g.kind(c->v) == *c->want_kind) &&
        (!c->want_sector || g.sector(c->v) == *c->want_sector)) {
      c->eof = false;
      return;
    }
  }
  c->eof = true;
}

// A scan or key= lookup over the snapshot (no rowid= or name=); `key`,
// `kind` and `sector` are the plan's values or null, none of them NULL.
Status StartSnapshotScan(NodesCursor* c, std::shared_ptr<const GraphView> state,
                         uint64_t sequence, sqlite3_value* key, sqlite3_value* kind, sqlite3_value* sector) {
  if (c->columns_of != c->csr) {  // a new snapshot has its own columns
    c->names.reset();
    c->key_column.reset();
    c->keys.reset();
    c->last_key_valid = false;
    c->columns_of = c->csr;
    c->state = state;  // ScanSnapshot gave it: the columns were not built
    c->sequence = sequence;
  } else if (state) {
    c->state = state;  // the same graph state, taken again
    c->sequence = sequence;
  }
  const GraphView& view = *c->state;
  c->v = 0;
  c->single = false;
  c->want_kind.reset();
  c->want_sector.reset();
  if (key != nullptr) {
    if (!c->keys) {
      SV_ASSIGN_OR_RETURN(auto column, c->csr->NodeColumn(view, NodeField::kKey));
      c->keys = NodeKeyIndex::Of(std::move(column));
      if (!c->keys) return Status::OK();  // no nodes: no key matches
    }
    // A join over edges in src order asks for one key several times in a row.
    const std::string_view wanted = ValueText(key);
    std::optional<uint32_t> v = c->last_key_node;
    if (!c->last_key_valid || wanted != c->last_key) {
      v = c->keys->Find(wanted);
      c->last_key.assign(wanted);
      c->last_key_node = v;
      c->last_key_valid = true;
    }
    c->eof = !v;
    c->v = v.value_or(0);
    c->single = true;
    c->row_loaded = false;
    return Status::OK();
  }
  if (kind != nullptr) {
    c->want_kind = view.schema().Find(SymbolSpace::kKind, ValueText(kind));
    if (!c->want_kind) return Status::OK();  // a kind no node has
  }
  if (sector != nullptr) {
    c->want_sector = view.schema().Find(SymbolSpace::kSector, ValueText(sector));
    if (!c->want_sector) return Status::OK();
  }
  SettleSnapshot(c);
  return Status::OK();
}

// See the idxNum table above NodesBestIndex.
Status StartScan(NodesCursor* c, int plan, sqlite3_value** argv) {
  const GraphView& view = *c->view.view;
  int arg = 0;
  sqlite3_value* rowid = (plan & kPlanRowid) ? argv[arg++] : nullptr;
  sqlite3_value* key = (plan & kPlanKey) ? argv[arg++] : nullptr;
  sqlite3_value* name = (plan & kPlanName) ? argv[arg++] : nullptr;
  sqlite3_value* kind = (plan & kPlanKind) ? argv[arg++] : nullptr;
  sqlite3_value* sector = (plan & kPlanSector) ? argv[arg++] : nullptr;
  // x = NULL is never true.
  for (sqlite3_value* v : {rowid, key, name, kind, sector}) {
    if (v != nullptr && IsNull(v)) return Status::OK();
  }

  if (rowid == nullptr && name == nullptr &&
      (key == nullptr || ++c->key_lookups > kLookupsBeforeSnapshot)) {
    // A join's lookups take the graph state only to build their columns.
    SnapshotRead read = ScanSnapshot(c->view, /*with_state=*/key == nullptr || !c->keys);
    if (read.csr && !read.state && read.csr != c->columns_of) {
      read = ScanSnapshot(c->view, /*with_state=*/true);
    }
    if (read.csr) {
      c->csr = std::move(read.csr);
      return StartSnapshotScan(c, std::move(read.state), read.sequence, key, kind, sector);
    }
  }
  if (rowid != nullptr) {
    if (sqlite3_value_numeric_type(rowid) != SQLITE_INTEGER) return Status::OK();
    sqlite3_int64 id = sqlite3_value_int64(rowid);
    if (id <= 0) return Status::OK();
    SV_RETURN_IF_ERROR(ListNode(c, static_cast<NodeId>(id)));
  } else if (key != nullptr) {
    auto id = view.FindKey(ValueText(key));
    if (!id.ok()) return id.status().IsNotFound() ? Status::OK() : id.status();
    SV_RETURN_IF_ERROR(ListNode(c, *id));
  } else if (name != nullptr) {
    auto ids = view.FindByName(ValueText(name));
    if (!ids.ok()) return ids.status();
    for (NodeId id : *ids) SV_RETURN_IF_ERROR(ListNode(c, id));
    return Status::OK();  // FindByName did the folding
  } else {
    NodeFilter filter;
    if (kind != nullptr) filter.kind = std::string(ValueText(kind));
    if (sector != nullptr) filter.sector = std::string(ValueText(sector));
    c->scan = view.Nodes(filter);
  }
  if (name != nullptr) {
    auto folded = FoldName(ValueText(name));
    if (!folded.ok()) return Status::OK();  // not UTF-8: matches nothing
    c->folded = std::move(*folded);
  }
  return Status::OK();
}

int NodesFilter(sqlite3_vtab_cursor* cur, int idx_num, const char*, int, sqlite3_value** argv) {
  sqlite3_vtab* vtab = cur->pVtab;
  return Guard(vtab, [&] {
    auto* c = AsCursor(cur);
    auto* t = AsTable(vtab);
    c->view = t->graph->View();
    c->listed.clear();
    c->next_listed = 0;
    c->scan.reset();
    c->folded.reset();
    c->eof = true;
    c->csr.reset();
    c->records.reset();
    c->held.reset();
    c->holding.reset();
    Status s = StartScan(c, idx_num, argv);
    if (c->csr) {
      t->graph->CountSnapshotRead();
      c->held = t->graph->held_node_props().Find(c->sequence);
      if (c->held && c->held->rows() != c->csr->num_nodes()) c->held.reset();
    } else if (s.ok()) {
      s = Advance(c);
    }
    return s.ok() ? SQLITE_OK : StatusError(vtab, t->table_name, s);
  });
}

// Adds the props of the record cursor's current node to c->holding, once.
// A record that is not the snapshot's node at its index ends the
// collecting: the texts must be the indexes' own.
void CollectProps(NodesCursor* c) {
  if (!c->records->Valid()) return;
  const NodeId id = c->records->node().id;
  if (c->collected > 0 && c->csr->node_id(c->collected - 1) == id) return;  // has it
  if (c->collected >= c->csr->num_nodes() || c->csr->node_id(c->collected) != id) {
    c->holding.reset();
    return;
  }
  if (!c->holding->Add(PropsText(c->records->node().props))) c->holding.reset();
  ++c->collected;
}

// Moves the record cursor to the node with id `id` or past it, collecting.
Status RecordsTo(NodesCursor* c, NodeId id) {
  for (;;) {
    if (c->holding) CollectProps(c);
    if (!c->records->Valid() || c->records->node().id >= id) break;
    c->records->Next();
  }
  return c->records->status();
}

// At the end of a scan that collected props: collects the records after
// the last row (the kind or sector filter skipped them), and holds the
// texts for the process when they are every node's.
Status FinishHolding(NodesCursor* c, GraphHandle& graph) {
  if (!c->records || !c->holding) return Status::OK();
  SV_RETURN_IF_ERROR(RecordsTo(c, std::numeric_limits<NodeId>::max()));
  if (!c->holding || c->records->Valid()) return Status::OK();
  std::unique_ptr<HeldProps::Builder> holding = std::move(c->holding);
  if (auto held = holding->Finish()) graph.held_node_props().Hold(c->sequence, std::move(held));
  return Status::OK();
}

int NodesNext(sqlite3_vtab_cursor* cur) {
  return Guard(cur->pVtab, [&] {
    auto* c = AsCursor(cur);
    if (c->csr) {
      if (c->single) {
        c->eof = true;
      } else {
        ++c->v;
        SettleSnapshot(c);
        if (c->eof && c->holding) {
          Status s = FinishHolding(c, *AsTable(cur->pVtab)->graph);
          if (!s.ok()) return StatusError(cur->pVtab, AsTable(cur->pVtab)->table_name, s);
        }
      }
      return SQLITE_OK;
    }
    Status s = Advance(c);
    return s.ok() ? SQLITE_OK : StatusError(cur->pVtab, AsTable(cur->pVtab)->table_name, s);
  });
}

int NodesEof(sqlite3_vtab_cursor* cur) { return AsCursor(cur)->eof; }

// Over the snapshot: c->row from the node's record, read by a record scan
// that follows the scan (both in id order), or by id for a lookup.
Status LoadSnapshotNode(NodesCursor* c, bool for_props) {
  if (c->row_loaded) return Status::OK();
  const NodeId id = c->csr->node_id(c->v);
  if (!c->single) {
    if (!c->records) {
      c->records = c->state->Nodes();
      c->collected = 0;
      // The first scan over this state that reads props collects them.
      if (for_props && !c->held) {
        c->holding = std::make_unique<HeldProps::Builder>(c->csr->num_nodes());
      }
    }
    SV_RETURN_IF_ERROR(RecordsTo(c, id));
  }
  if (!c->single && c->records->Valid() && c->records->node().id == id) {
    c->loaded = &c->records->node();  // valid until the records move on
  } else {
    SV_ASSIGN_OR_RETURN(c->row, c->state->GetNode(id));
    c->loaded = &c->row;
  }
  c->row_loaded = true;
  return Status::OK();
}

// xColumn over the snapshot for key, kind, name and sector: SQLITE_OK, or
// SQLITE_NOTFOUND to read the field from the record.
int SnapshotColumn(NodesCursor* c, sqlite3_context* ctx, int col, Status* error) {
  const CsrGraph& g = *c->csr;
  const Schema& schema = c->view.view->schema();
  auto text_column = [&](NodeField field, std::shared_ptr<const PropertyColumn>* slot) {
    if (!*slot) {
      auto got = g.NodeColumn(*c->state, field);
      if (!got.ok()) {
        *error = got.status();
        return SQLITE_ERROR;
      }
      *slot = std::move(*got);
    }
    const PropertyColumn& column = **slot;
    if (column.type() != ColumnType::kString || column.is_null(c->v)) return SQLITE_NOTFOUND;
    ResultText(ctx, column.text(c->v));
    return SQLITE_OK;
  };
  switch (col) {
    case kKey:
      if (c->keys) {
        ResultText(ctx, c->keys->keys().text(c->v));
        return SQLITE_OK;
      }
      return text_column(NodeField::kKey, &c->key_column);
    case kName: return text_column(NodeField::kName, &c->names);
    case kKind:
      if (g.kind(c->v) == 0) return SQLITE_NOTFOUND;
      ResultText(ctx, schema.Name(SymbolSpace::kKind, g.kind(c->v)));
      return SQLITE_OK;
    case kSector:
      if (g.sector(c->v) == 0) {
        sqlite3_result_null(ctx);
      } else {
        ResultText(ctx, schema.Name(SymbolSpace::kSector, g.sector(c->v)));
      }
      return SQLITE_OK;
    default: return SQLITE_NOTFOUND;
  }
}

int NodesColumn(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
  return Guard(cur->pVtab, [&] {
    auto* c = AsCursor(cur);
    if (c->csr) {
      Status error;
      const int rc = SnapshotColumn(c, ctx, col, &error);
      if (rc == SQLITE_OK) return SQLITE_OK;
      if (rc == SQLITE_NOTFOUND && col == kProps && c->held) {
        ResultText(ctx, c->held->text(c->v));
        AsTable(cur->pVtab)->graph->CountHeldPropsRead();
        return SQLITE_OK;
      }
      if (rc == SQLITE_NOTFOUND) error = LoadSnapshotNode(c, col == kProps);
      if (!error.ok()) return StatusError(cur->pVtab, AsTable(cur->pVtab)->table_name, error);
    }
    const Node& n = c->csr ? *c->loaded : c->row;
    switch (col) {
      case kKey: ResultText(ctx, n.key); break;
      case kKind: ResultText(ctx, n.kind); break;
      case kName: ResultText(ctx, n.name); break;
      case kSector:
        if (n.sector.empty()) {
          sqlite3_result_null(ctx);
        } else {
          ResultText(ctx, n.sector);
        }
        break;
      case kAliases: ResultText(ctx, JsonStringArray(n.aliases)); break;
      case kProps: ResultText(ctx, PropsText(n.props)); break;
      case kSources: {
        auto keys = SourceKeysJson(*AsCursor(cur)->view.view, n.sources);
        if (!keys.ok()) {
          return StatusError(cur->pVtab, AsTable(cur->pVtab)->table_name, keys.status());
        }
        ResultText(ctx, *keys);
        break;
      }
      case kBatch: sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(n.batch)); break;
      default: sqlite3_result_null(ctx); break;
    }
    return SQLITE_OK;
  });
}

int NodesRowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid) {
  const NodesCursor* c = AsCursor(cur);
  *rowid = static_cast<sqlite3_int64>(c->csr ? c->csr->node_id(c->v) : c->row.id);
  return SQLITE_OK;
}

// The node a row of values (argv[2..] of xUpdate) describes.
Result<NodeInput> NodeFromValues(sqlite3_value** values) {
  NodeInput in;
  if (IsNull(values[kKey])) return Status::InvalidArgument("key is required");
  in.key = ValueText(values[kKey]);
  in.kind = ValueText(values[kKind]);
  in.name = ValueText(values[kName]);
  in.sector = ValueText(values[kSector]);
  auto aliases = ParseStringArray(values[kAliases], "aliases");
  if (!aliases.ok()) return aliases.status();
  in.aliases = std::move(*aliases);
  in.props = ValueText(values[kProps]);
  auto sources = ParseStringArray(values[kSources], "sources");
  if (!sources.ok()) return sources.status();
  for (auto& key : *sources) in.sources.emplace_back(std::move(key));
  return in;
}

// xUpdate: argc == 1 is DELETE of rowid argv[0]; argv[0] NULL is INSERT;
// otherwise UPDATE of row argv[0] to rowid argv[1]. argv[2..] are the columns.
int NodesUpdate(sqlite3_vtab* vtab, int argc, sqlite3_value** argv, sqlite3_int64* rowid) {
  return Guard(vtab, [&] {
    auto* t = AsTable(vtab);
    const char* who = t->table_name.c_str();
    Transaction* txn = nullptr;
    const int rc = BeginTableUpdate(vtab, argc, argv, "node", &txn);
    if (rc != SQLITE_OK) return rc;
    if (argc == 1) {
      Status s = txn->DeleteNode(static_cast<NodeId>(sqlite3_value_int64(argv[0])));
      return s.ok() ? SQLITE_OK : StatusError(vtab, who, s);
    }
    const bool is_insert = IsNull(argv[0]);
    auto input = NodeFromValues(argv + 2);
    if (!input.ok()) return StatusError(vtab, who, input.status());
    if (is_insert) {
      Status s = CheckBatchUnchanged(argv[2 + kBatch], std::nullopt);
      if (!s.ok()) return StatusError(vtab, who, s);
      auto existing = txn->FindKey(input->key);
      if (existing.ok() && !ReplacesOnConflict(t->conn->db())) {
        return UniqueConflict(vtab, t->conn->db(), who, {"key"}, {QuoteLiteral(input->key)});
      }
      if (!existing.ok() && !existing.status().IsNotFound()) {
        return StatusError(vtab, who, existing.status());
      }
    } else {
      auto old = txn->GetNode(static_cast<NodeId>(sqlite3_value_int64(argv[0])));
      if (!old.ok()) return StatusError(vtab, who, old.status());
      Status s = CheckBatchUnchanged(argv[2 + kBatch], old->batch);
      if (!s.ok()) return StatusError(vtab, who, s);
      if (input->kind.empty()) {
        SetError(vtab, "%s: kind of node '%s' cannot be NULL or empty; every node has a kind",
                 who, old->key.c_str());
        return SQLITE_CONSTRAINT;
      }
      if (old->key != input->key) {
        SetError(vtab,
                 "%s: cannot change the key of node '%s' to '%s'; "
                 "insert a new node and delete this one instead",
                 who, old->key.c_str(), input->key.c_str());
        return SQLITE_CONSTRAINT;
      }
    }
    auto id = txn->PutNode(*input);
    if (!id.ok()) return StatusError(vtab, who, id.status());
    *rowid = static_cast<sqlite3_int64>(*id);
    return SQLITE_OK;
  });
}

}  // namespace

const sqlite3_module kNodesModule = {
    /* iVersion    */ 3,
    /* xCreate     */ NodesConnect,
    /* xConnect    */ NodesConnect,
    /* xBestIndex  */ NodesBestIndex,
    /* xDisconnect */ DeleteTable<GraphTable>,
    /* xDestroy    */ GraphTableDestroy<DeleteTable<GraphTable>>,
    /* xOpen       */ GraphTableOpen<NodesCursor>,
    /* xClose      */ CloseCursor<NodesCursor>,
    /* xFilter     */ NodesFilter,
    /* xNext       */ NodesNext,
    /* xEof        */ NodesEof,
    /* xColumn     */ NodesColumn,
    /* xRowid      */ NodesRowid,
    /* xUpdate     */ NodesUpdate,
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
