// graph.cc: see graph.h.
#include "graph.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "error.h"
#include "json_value.h"
#include "value_ops.h"

namespace samverkan::cypher {
namespace {

// Caches hold at most this many records; past it they start again.
constexpr size_t kMaxCached = 1 << 17;

bool IsBlank(const Node& n) { return n.key.rfind(kBlankKeyPrefix, 0) == 0; }

bool IsSpecialNodeKey(std::string_view k) {
  return k == "key" || k == "name" || k == "sector" || k == "aliases" || k == "sources";
}
bool IsSpecialRelKey(std::string_view k) {
  return k == "weight" || k == "valid_from" || k == "valid_to" || k == "rank";
}

Value StringList(const std::vector<std::string>& items) {
  List l;
  l.reserve(items.size());
  for (const auto& s : items) l.push_back(Value::String(s));
  return Value::MakeList(std::move(l));
}

std::string RequireString(const Value& v, std::string_view key) {
  if (v.type() != Value::Type::kString) {
    TypeError("InvalidPropertyType", "property `" + std::string(key) + "` must be a string, not " +
              std::string(TypeName(v.type())));
  }
  return v.string();
}

std::vector<std::string> RequireStringList(const Value& v, std::string_view key) {
  std::vector<std::string> out;
  if (v.type() == Value::Type::kList) {
    for (const Value& x : v.list()) {
      if (x.type() != Value::Type::kString) break;
      out.push_back(x.string());
    }
    if (out.size() == v.list().size()) return out;
  }
  TypeError("InvalidPropertyType",
            "property `" + std::string(key) + "` must be a list of strings");
}

nlohmann::json ParseObject(const std::string& props) {
  if (props.empty()) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(props, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return nlohmann::json::object();
  return j;
}

std::string DumpObject(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Sets `key` of a node's or relationship's props (JSON object text) to
// `value`; null removes it, as Cypher's SET n.x = null does.
void SetPropsMember(std::string* props, const std::string& key, const Value& value) {
  nlohmann::json object = ParseObject(*props);
  if (value.is_null()) {
    object.erase(key);
  } else {
    object[key] = PropertyToJson(value, key);
  }
  *props = DumpObject(object);
}

// What a transaction writes for a node or relationship as the query holds it.
NodeInput InputOf(const Node& n) {
  NodeInput in;
  in.key = n.key;
  in.kind = n.kind;
  in.name = n.name;
  in.sector = n.sector;
  in.aliases = n.aliases;
  in.props = n.props;
  for (NodeId s : n.sources) in.sources.emplace_back(s);
  return in;
}

EdgeInput InputOf(const Edge& e) {
  EdgeInput in;
  in.src = e.src;
  in.type = e.type;
  in.dst = e.dst;
  in.rank = e.rank;
  in.weight = e.weight;
  in.validity = e.validity;
  in.props = e.props;
  for (NodeId s : e.sources) in.sources.emplace_back(s);
  return in;
}

}  // namespace

QueryGraph::QueryGraph(const GraphView& view, std::shared_ptr<const CsrGraph> csr,
                       Transaction* txn, const Interrupt& interrupt)
    : view_(view), csr_(std::move(csr)), txn_(txn), interrupt_(interrupt) {}

void QueryGraph::CheckInterrupt() const {
  if (interrupt_.Requested()) throw EngineError(Interrupt::Stopped());
}

// --- nodes ----------------------------------------------------------------------

void QueryGraph::Remember(NodeId id, std::shared_ptr<CachedNode> node) {
  if (nodes_.size() >= kMaxCached) nodes_.clear();
  nodes_[id] = std::move(node);
}

std::shared_ptr<QueryGraph::CachedNode> QueryGraph::LoadNode(NodeId id) {
  if (!deleted_nodes_.empty() && deleted_nodes_.count(id)) {
    EntityNotFound("DeletedEntityAccess", "node " + std::to_string(id) +
                   " was deleted by this query");
  }
  auto it = nodes_.find(id);
  if (it != nodes_.end()) return it->second;
  auto node = std::make_shared<CachedNode>();
  node->node = Unwrap(view_.GetNode(id));
  Remember(id, node);
  return node;
}

bool QueryGraph::Exists(NodeId id) {
  if (deleted_nodes_.count(id)) return false;
  if (csr_) return csr_->index_of(id).has_value();
  if (nodes_.count(id)) return true;
  auto node = view_.GetNode(id);
  if (!node.ok()) {
    if (node.status().IsNotFound()) return false;
    Check(node.status());
  }
  auto cached = std::make_shared<CachedNode>();
  cached->node = std::move(*node);
  Remember(id, std::move(cached));
  return true;
}

bool QueryGraph::HasBlankNodes() {
  return next_blank_ != 0 || Unwrap(view_.CountKeys(kBlankKeyPrefix, 1)) > 0;
}

const Node& QueryGraph::GetNode(NodeId id) {
  last_node_ = LoadNode(id);
  return last_node_->node;
}

SymbolId QueryGraph::KindOf(NodeId id) {
  if (csr_) {
    if (auto v = csr_->index_of(id)) return csr_->kind(*v);
    return 0;
  }
  return schema().Find(SymbolSpace::kKind, LoadNode(id)->node.kind).value_or(0);
}

SymbolId QueryGraph::SectorOf(NodeId id) {
  if (csr_) {
    if (auto v = csr_->index_of(id)) return csr_->sector(*v);
    return 0;
  }
  const std::string& s = LoadNode(id)->node.sector;
  return s.empty() ? 0 : schema().Find(SymbolSpace::kSector, s).value_or(0);
}

SymbolId QueryGraph::UnlabelledKind() const {
  return schema().Find(SymbolSpace::kKind, kUnlabelledKind).value_or(0);
}

Value QueryGraph::PropsMap(const std::string& json) const {
  if (json.empty() || json == "{}") return Value::MakeMap({});
  return FromJson(ParseObject(json));
}

// --- properties from the snapshot's columns ---------------------------------------------

namespace {

Value ColumnValue(const PropertyColumn& c, uint32_t row) {
  if (c.type() == ColumnType::kNull || c.is_null(row)) return Value();
  switch (c.type()) {
    case ColumnType::kInt: return Value::Int(c.integer(row));
    case ColumnType::kDouble: return Value::Float(c.number(row));
    case ColumnType::kBool: return Value::Bool(c.boolean(row));
    case ColumnType::kString: return Value::String(std::string(c.text(row)));
    case ColumnType::kDate: return Value::MakeDate(c.date(row));
    case ColumnType::kJson: return FromJson(nlohmann::json::parse(c.json(row)));
    case ColumnType::kNull: break;
  }
  return Value();
}

}  // namespace

const PropertyColumn& QueryGraph::Column(bool edge, int field, std::string_view key) {
  // A row reads the same few columns again and again: those are found
  // without making the cache's key.
  for (const RecentColumn& r : recent_columns_) {
    if (r.column && r.edge == edge && r.field == field && r.key == key) return *r.column;
  }
  const PropertyColumn& found = CachedColumn(edge, field, key);
  RecentColumn& slot = recent_columns_[next_recent_++ % recent_columns_.size()];
  slot = {edge, field, std::string(key), &found};
  return found;
}

const PropertyColumn& QueryGraph::CachedColumn(bool edge, int field, std::string_view key) {
  auto& cache = edge ? edge_columns_ : node_columns_;
  std::string name = std::to_string(field) + ":" + std::string(key);
  auto it = cache.find(name);
  if (it == cache.end()) {
    auto column = edge ? csr_->EdgeColumn(view_, static_cast<EdgeField>(field), key, interrupt_)
                       : csr_->NodeColumn(view_, static_cast<NodeField>(field), key, interrupt_);
    it = cache.emplace(std::move(name), Unwrap(std::move(column))).first;
  }
  return *it->second;
}

bool QueryGraph::SnapshotHasBlankKeys() {
  if (!snapshot_blank_keys_) {
    // The dictionary is sorted: keys with the prefix follow its lower bound.
    const auto& keys = Column(false, static_cast<int>(NodeField::kKey), {}).dictionary();
    auto it = std::lower_bound(keys.begin(), keys.end(), kBlankKeyPrefix);
    snapshot_blank_keys_ = it != keys.end() && it->starts_with(kBlankKeyPrefix);
  }
  return *snapshot_blank_keys_;
}

std::optional<Value> QueryGraph::NodePropertyFromColumns(NodeId id, std::string_view key) {
  if (!csr_ || !deleted_nodes_.empty() || key == "aliases" || key == "sources") {
    return std::nullopt;
  }
  auto at = csr_->index_of(id);
  if (!at) return std::nullopt;
  const uint32_t v = *at;
  if (key == "sector") {
    SymbolId s = csr_->sector(v);
    return s == 0 ? Value() : Value::String(std::string(schema().Name(SymbolSpace::kSector, s)));
  }
  if (key == "name" && !SnapshotHasBlankKeys()) {
    // No key to compare the name with (the common case): one column read.
    const PropertyColumn& names = Column(false, static_cast<int>(NodeField::kName), {});
    if (names.is_null(v)) return std::nullopt;
    return Value::String(std::string(names.text(v)));
  }
  const PropertyColumn& keys = Column(false, static_cast<int>(NodeField::kKey), {});
  if (keys.is_null(v)) return std::nullopt;
  const bool blank = keys.text(v).starts_with(kBlankKeyPrefix);
  if (key == "key") return blank ? Value() : Value::String(std::string(keys.text(v)));
  if (key == "name") {
    const PropertyColumn& names = Column(false, static_cast<int>(NodeField::kName), {});
    if (blank && names.text(v) == keys.text(v)) return Value();
    return Value::String(std::string(names.text(v)));
  }
  return ColumnValue(Column(false, static_cast<int>(NodeField::kProps), key), v);
}

std::optional<Value> QueryGraph::RelPropertyFromColumns(const Relationship& r,
                                                        std::string_view key) {
  if (!csr_ || r.position == kNoEdgePosition || !deleted_rels_.empty()) return std::nullopt;
  EdgeField field = EdgeField::kProps;
  if (key == "weight") field = EdgeField::kWeight;
  if (key == "valid_from") field = EdgeField::kValidFrom;
  if (key == "valid_to") field = EdgeField::kValidTo;
  if (key == "rank") field = EdgeField::kRank;
  const PropertyColumn& c =
      Column(true, static_cast<int>(field), field == EdgeField::kProps ? key : std::string_view());
  if (field == EdgeField::kRank && !c.is_null(r.position) && c.integer(r.position) == 0) {
    return Value();  // rank 0 reads as no rank
  }
  return ColumnValue(c, r.position);
}

Value QueryGraph::NodeProperty(NodeId id, std::string_view key) {
  if (auto v = NodePropertyFromColumns(id, key)) return std::move(*v);
  auto c = LoadNode(id);
  const Node& n = c->node;
  if (key == "key") return IsBlank(n) ? Value() : Value::String(n.key);
  if (key == "name") return IsBlank(n) && n.name == n.key ? Value() : Value::String(n.name);
  if (key == "sector") return n.sector.empty() ? Value() : Value::String(n.sector);
  if (key == "aliases") return n.aliases.empty() ? Value() : StringList(n.aliases);
  if (key == "sources") {
    if (n.sources.empty()) return Value();
    std::vector<NodeId> ids = n.sources;
    std::vector<std::string> keys;
    for (NodeId s : ids) keys.push_back(NodeKey(s));
    return StringList(keys);
  }
  if (!c->props) c->props = PropsMap(n.props);
  const Value* v = c->props->Find(key);
  return v ? *v : Value();
}

Value QueryGraph::NodeProperties(NodeId id) {
  auto c = LoadNode(id);
  const Node& n = c->node;
  Map m;
  if (!c->props) c->props = PropsMap(n.props);
  for (const auto& [k, v] : c->props->map()) {
    if (!IsSpecialNodeKey(k)) m.emplace_back(k, v);
  }
  for (const char* k : {"key", "name", "sector", "aliases", "sources"}) {
    Value v = NodeProperty(id, k);
    if (!v.is_null()) m.emplace_back(k, std::move(v));
  }
  return Value::MakeMap(std::move(m));
}

Value QueryGraph::NodeLabels(NodeId id) {
  const Node& n = LoadNode(id)->node;
  if (n.kind == kUnlabelledKind) return Value::MakeList({});
  return Value::MakeList({Value::String(n.kind)});
}

std::string QueryGraph::NodeKey(NodeId id) { return LoadNode(id)->node.key; }

uint64_t QueryGraph::Degree(NodeId id, Direction dir, const TypeFilter& types) {
  if (csr_) {
    auto v = csr_->index_of(id);
    if (!v) return 0;
    uint64_t n = 0;
    if (dir != Direction::kIn) {
      if (types.all) {
        n += csr_->out_degree(*v);
      } else {
        for (uint16_t t : csr_->out_types(*v)) n += types.Allows(t);
      }
    }
    if (dir != Direction::kOut) {
      if (types.all) {
        n += csr_->in_degree(*v);
      } else {
        for (uint16_t t : csr_->in_types(*v)) n += types.Allows(t);
      }
    }
    return n;
  }
  if (types.all) {
    samverkan::Degree d = Unwrap(view_.GetDegree(id));
    return dir == Direction::kOut ? d.out : dir == Direction::kIn ? d.in : d.total();
  }
  std::vector<Hop> hops;
  Expand(id, dir, types, &hops);
  return hops.size();
}

std::vector<NodeId> QueryGraph::AllNodes() {
  std::vector<NodeId> ids;
  if (csr_) {
    ids.reserve(csr_->num_nodes());
    for (uint32_t v = 0; v < csr_->num_nodes(); ++v) ids.push_back(csr_->node_id(v));
    return ids;
  }
  auto it = view_.Nodes();
  for (; it->Valid(); it->Next()) {
    if (ids.size() % 1024 == 0) CheckInterrupt();
    ids.push_back(it->node().id);
    if (nodes_.size() < kMaxCached) {
      auto c = std::make_shared<CachedNode>();
      c->node = it->node();
      nodes_[c->node.id] = std::move(c);
    }
  }
  Check(it->status());
  return ids;
}

void QueryGraph::VisitNodes(const std::vector<NodeId>& ids,
                            const std::function<void(NodeId)>& visit) {
  if (ids.empty()) return;
  const uint64_t total = Unwrap(view_.Counts()).nodes;
  // Past a sixth of the graph a scan wins (measured on medium: a lookup
  // costs about six steps of a cursor).
  if (ids.size() * 6 < total) {
    for (size_t i = 0; i < ids.size(); ++i) {
      if ((i & 1023) == 0) CheckInterrupt();
      visit(ids[i]);
    }
    return;
  }
  size_t next = 0;
  auto it = view_.Nodes();
  for (size_t step = 0; it->Valid() && next < ids.size(); it->Next(), ++step) {
    if ((step & 4095) == 0) CheckInterrupt();
    const NodeId id = it->node().id;
    for (; next < ids.size() && ids[next] < id; ++next) visit(ids[next]);  // gone meanwhile
    if (next < ids.size() && ids[next] == id) {
      const bool cached = nodes_.count(id) > 0;
      if (!cached && !deleted_nodes_.count(id)) {
        auto c = std::make_shared<CachedNode>();
        c->node = it->node();
        nodes_[id] = std::move(c);
      }
      visit(id);
      if (!cached) nodes_.erase(id);
      ++next;
    }
  }
  Check(it->status());
  for (; next < ids.size(); ++next) visit(ids[next]);
}

std::vector<NodeId> QueryGraph::NodesOfKind(SymbolId kind) {
  std::vector<NodeId> ids;
  if (csr_) {
    for (uint32_t v = 0; v < csr_->num_nodes(); ++v) {
      if (csr_->kind(v) == kind) ids.push_back(csr_->node_id(v));
    }
    return ids;
  }
  NodeFilter filter;
  filter.kind = std::string(schema().Name(SymbolSpace::kKind, kind));
  auto it = view_.Nodes(filter);
  for (; it->Valid(); it->Next()) {
    if (ids.size() % 1024 == 0) CheckInterrupt();
    ids.push_back(it->node().id);
  }
  Check(it->status());
  return ids;
}

std::vector<NodeId> QueryGraph::NodesOfSector(SymbolId sector, SymbolId kind) {
  std::vector<NodeId> ids;
  if (csr_) {
    for (uint32_t v = 0; v < csr_->num_nodes(); ++v) {
      if (csr_->sector(v) == sector && (kind == 0 || csr_->kind(v) == kind)) {
        ids.push_back(csr_->node_id(v));
      }
    }
    return ids;
  }
  NodeFilter filter;
  filter.sector = std::string(schema().Name(SymbolSpace::kSector, sector));
  if (kind != 0) filter.kind = std::string(schema().Name(SymbolSpace::kKind, kind));
  auto it = view_.Nodes(filter);
  for (; it->Valid(); it->Next()) {
    if (ids.size() % 1024 == 0) CheckInterrupt();
    ids.push_back(it->node().id);
  }
  Check(it->status());
  return ids;
}

// --- relationships ---------------------------------------------------------------

bool NodeCheck::Passes(QueryGraph& g, NodeId id) const {
  if (impossible) return false;
  if (!pending_kind.empty()) {
    auto k = g.schema().Find(SymbolSpace::kKind, pending_kind);
    if (!k || g.KindOf(id) != *k) return false;
  }
  if (const CsrGraph* csr = g.csr()) {
    auto v = csr->index_of(id);
    if (!v) return false;
    Bind(g);
    return PassesDense(*csr, *v);
  }
  if (kind && g.KindOf(id) != *kind) return false;
  if (sector && g.SectorOf(id) != *sector) return false;
  for (const auto& p : props) {
    Value have = g.NodeProperty(id, p.key);
    if (have.type() != Value::Type::kString || have.string() != p.value) return false;
  }
  return true;
}

void NodeCheck::Bind(QueryGraph& g) const {
  if (props.empty() || (bound_graph_ == &g && bound_to_ == g.csr())) return;
  bound_ = props;
  for (auto& p : bound_) {
    p.column = &g.Column(false, static_cast<int>(NodeField::kProps), p.key);
    p.code = p.column->type() == ColumnType::kString ? p.column->CodeOf(p.value) : std::nullopt;
  }
  bound_graph_ = &g;
  bound_to_ = g.csr();
}

bool NodeCheck::PropsPassDense(uint32_t v) const {
  for (const auto& p : bound_) {
    const PropertyColumn& c = *p.column;
    if (c.type() == ColumnType::kNull || c.is_null(v)) return false;
    if (c.type() == ColumnType::kString) {
      if (!p.code || c.code(v) != *p.code) return false;
    } else if (c.type() == ColumnType::kJson) {
      // Mixed types: this row's value may still be the string.
      nlohmann::json j = nlohmann::json::parse(c.json(v), nullptr, false);
      if (!j.is_string() || j.get_ref<const std::string&>() != p.value) return false;
    } else {
      return false;
    }
  }
  return true;
}

bool RelCheck::Passes(QueryGraph& g, const Relationship& r) const {
  const CsrGraph* csr = g.csr();
  if (!csr || r.position == kNoEdgePosition || g.IsDeleted(r)) {
    for (const auto& p : props) {
      Value have = g.RelProperty(r, p.key);
      if (have.type() != Value::Type::kString || have.string() != p.value) return false;
    }
    return true;
  }
  if (bound_graph_ != &g || bound_to_ != csr) {
    bound_.clear();
    for (const auto& p : props) {
      const PropertyColumn* c = &g.Column(true, static_cast<int>(EdgeField::kProps), p.key);
      bound_.push_back({c, c->type() == ColumnType::kString ? c->CodeOf(p.value) : std::nullopt});
    }
    bound_graph_ = &g;
    bound_to_ = csr;
  }
  for (size_t i = 0; i < props.size(); ++i) {
    const PropertyColumn& c = *bound_[i].column;
    const uint32_t row = r.position;
    if (c.type() == ColumnType::kNull || c.is_null(row)) return false;
    if (c.type() == ColumnType::kString) {
      if (!bound_[i].code || c.code(row) != *bound_[i].code) return false;
    } else if (c.type() == ColumnType::kJson) {
      nlohmann::json j = nlohmann::json::parse(c.json(row), nullptr, false);
      if (!j.is_string() || j.get_ref<const std::string&>() != props[i].value) return false;
    } else {
      return false;
    }
  }
  return true;
}

std::string RelCheck::Text() const {
  if (props.empty()) return "";
  std::string t = " {";
  for (size_t i = 0; i < props.size(); ++i) {
    t += (i ? ", " : "") + props[i].key + ": '" + props[i].value + "'";
  }
  return t + "}";
}

void QueryGraph::Expand(NodeId node, Direction dir, const TypeFilter& types,
                        std::vector<Hop>* out, const NodeCheck* check) {
  if (types.MatchesNothing()) return;
  if (check && check->Trivial()) check = nullptr;
  if (check && check->impossible) return;
  if (csr_) {
    if (check) check->Bind(*this);
    auto at = csr_->index_of(node);
    if (!at) return;
    const uint32_t v = *at;
    if (dir != Direction::kIn) {
      auto targets = csr_->out_neighbors(v);
      auto tys = csr_->out_types(v);
      uint32_t run = 0;
      for (size_t i = 0; i < targets.size(); ++i) {
        // Parallel edges of one type are adjacent, in rank order: the
        // position in that run tells them apart (see cypher_value.h).
        run = (i > 0 && targets[i] == targets[i - 1] && tys[i] == tys[i - 1]) ? run + 1 : 0;
        if (!types.Allows(tys[i])) continue;
        if (check && !check->PassesDense(*csr_, targets[i])) continue;
        NodeId other = csr_->node_id(targets[i]);
        const uint32_t pos = csr_->out_edge(v, i);
        out->push_back(
            Hop{Relationship{node, other, tys[i], run, true, 0, pos}, other});
      }
    }
    if (dir != Direction::kOut) {
      auto sources = csr_->in_neighbors(v);
      auto tys = csr_->in_types(v);
      uint32_t run = 0;
      for (size_t i = 0; i < sources.size(); ++i) {
        run = (i > 0 && sources[i] == sources[i - 1] && tys[i] == tys[i - 1]) ? run + 1 : 0;
        if (!types.Allows(tys[i])) continue;
        if (dir == Direction::kBoth && sources[i] == v) continue;  // a self-loop, seen above
        if (check && !check->PassesDense(*csr_, sources[i])) continue;
        NodeId other = csr_->node_id(sources[i]);
        const uint32_t pos = csr_->in_edge(v, i);
        out->push_back(
            Hop{Relationship{other, node, tys[i], run, true, 0, pos}, other});
      }
    }
    return;
  }
  auto scan = [&](std::optional<SymbolId> type) {
    auto it = view_.Edges(node, dir, type);
    for (; it->Valid(); it->Next()) {
      const EdgeRef& e = it->edge();
      if (check && !check->Passes(*this, e.Other(node))) continue;
      out->push_back(Hop{Relationship{e.src, e.dst, e.type, e.rank, false, e.id, kNoEdgePosition},
                         e.Other(node)});
    }
    Check(it->status());
  };
  if (types.all) {
    scan(std::nullopt);
  } else {
    for (SymbolId t : types.types) scan(t);
    for (const auto& name : types.pending) {
      if (auto t = schema().EdgeType(name)) scan(*t);
    }
  }
}

std::shared_ptr<QueryGraph::CachedEdge> QueryGraph::LoadEdge(const Relationship& r) {
  if (IsDeleted(r)) {
    EntityNotFound("DeletedEntityAccess", "the relationship was deleted by this query");
  }
  auto it = edges_.find(KeyOf(r));
  if (it != edges_.end()) return it->second;
  auto c = std::make_shared<CachedEdge>();
  if (EdgeId id = KnownId(r)) {
    c->edge = Unwrap(view_.GetEdge(id));
  } else {
    // One the engine's CSR path search reported (it keeps no ids): the
    // slot-th edge of this type from src to dst.
    auto cursor = view_.Edges(r.src, Direction::kOut, r.type);
    uint32_t seen = 0;
    bool found = false;
    for (; cursor->Valid(); cursor->Next()) {
      if (cursor->edge().dst != r.dst) continue;
      if (seen++ == r.slot) {
        c->edge = Unwrap(cursor->Load());
        found = true;
        break;
      }
    }
    Check(cursor->status());
    if (!found) {
      Check(Status::Corruption("a relationship of the snapshot is missing from the graph"));
    }
  }
  if (edges_.size() >= kMaxCached) edges_.clear();
  edges_[KeyOf(r)] = c;
  return c;
}

const Edge& QueryGraph::GetEdge(const Relationship& r) {
  last_edge_ = LoadEdge(r);
  return last_edge_->edge;
}

EdgeId QueryGraph::KnownId(const Relationship& r) const {
  if (r.id != 0) return r.id;
  // From the snapshot: its position names the edge (read only when needed,
  // so that expanding costs no lookup in the snapshot's id array).
  if (csr_ && r.position != kNoEdgePosition) return csr_->edge_id(r.position);
  return 0;
}

EdgeId QueryGraph::EdgeIdOf(const Relationship& r) {
  if (EdgeId id = KnownId(r)) return id;
  return LoadEdge(r)->edge.id;
}

Value QueryGraph::RelProperty(const Relationship& r, std::string_view key) {
  if (auto v = RelPropertyFromColumns(r, key)) return std::move(*v);
  auto c = LoadEdge(r);
  const Edge& e = c->edge;
  if (key == "weight") return e.weight ? Value::Float(*e.weight) : Value();
  if (key == "valid_from") return e.validity.from ? Value::MakeDate(*e.validity.from) : Value();
  if (key == "valid_to") return e.validity.to ? Value::MakeDate(*e.validity.to) : Value();
  if (key == "rank") return e.rank ? Value::Int(e.rank) : Value();
  if (!c->props) c->props = PropsMap(e.props);
  const Value* v = c->props->Find(key);
  return v ? *v : Value();
}

Value QueryGraph::RelProperties(const Relationship& r) {
  auto c = LoadEdge(r);
  if (!c->props) c->props = PropsMap(c->edge.props);
  Map m;
  for (const auto& [k, v] : c->props->map()) {
    if (!IsSpecialRelKey(k)) m.emplace_back(k, v);
  }
  for (const char* k : {"weight", "valid_from", "valid_to", "rank"}) {
    Value v = RelProperty(r, k);
    if (!v.is_null()) m.emplace_back(k, std::move(v));
  }
  return Value::MakeMap(std::move(m));
}

std::vector<Hop> QueryGraph::AllRelationships() {
  std::vector<Hop> hops;
  TypeFilter all;
  if (csr_) {
    for (uint32_t v = 0; v < csr_->num_nodes(); ++v) {
      if (v % 1024 == 0) CheckInterrupt();
      Expand(csr_->node_id(v), Direction::kOut, all, &hops);
    }
    return hops;
  }
  auto it = view_.AllEdges();
  for (; it->Valid(); it->Next()) {
    const EdgeRef& e = it->edge();
    hops.push_back(
        Hop{Relationship{e.src, e.dst, e.type, e.rank, false, e.id, kNoEdgePosition}, e.dst});
  }
  Check(it->status());
  return hops;
}

bool QueryGraph::IsDeleted(const Relationship& r) const {
  return deleted_rels_.count(KeyOf(r)) > 0 || (r.id != 0 && deleted_edge_ids_.count(r.id) > 0);
}

// --- writes ------------------------------------------------------------------------

std::string QueryGraph::NextBlankKey() {
  if (next_blank_ == 0) next_blank_ = Unwrap(view_.Counts()).nodes + 1;
  for (;;) {
    std::string key = std::string(kBlankKeyPrefix) + std::to_string(next_blank_++);
    auto found = view_.FindKey(key);
    if (!found.ok()) {
      if (found.status().IsNotFound()) return key;
      Check(found.status());
    }
  }
}

void QueryGraph::ApplyNodeProperty(Node* n, const std::string& key, const Value& value) {
  if (key == "key") {
    if (value.type() == Value::Type::kString && value.string() == n->key) return;
    ConstraintError("ImmutableKey", "the key of a node cannot be changed (node '" + n->key + "')");
  } else if (key == "name") {
    n->name = value.is_null() ? n->key : RequireString(value, key);
    if (n->name.empty()) {
      ConstraintError("EmptyName", "a node's name cannot be empty (remove it instead: the "
                      "name then reads as the key)");
    }
  } else if (key == "sector") {
    n->sector = value.is_null() ? "" : RequireString(value, key);
  } else if (key == "aliases") {
    n->aliases = value.is_null() ? std::vector<std::string>() : RequireStringList(value, key);
  } else if (key == "sources") {
    n->sources.clear();
    if (!value.is_null()) {
      for (const auto& k : RequireStringList(value, key)) n->sources.push_back(Unwrap(view_.FindKey(k)));
    }
  } else {
    SetPropsMember(&n->props, key, value);
  }
}

void QueryGraph::WriteNode(const Node& n) {
  Check(txn_->PutNode(InputOf(n)).status());
  nodes_.erase(n.id);
  ++node_writes_;
}

NodeId QueryGraph::CreateNode(const std::string& label, const Map& props) {
  Node n;
  n.kind = label.empty() ? std::string(kUnlabelledKind) : label;
  for (const auto& [k, v] : props) {
    if (k == "key" && !v.is_null()) n.key = RequireString(v, k);
  }
  if (n.key.empty()) {
    n.key = NextBlankKey();
  } else {
    auto found = view_.FindKey(n.key);
    if (found.ok()) {
      ConstraintError("NodeKeyExists", "a node with key '" + n.key +
                      "' exists already (MERGE finds or creates one)");
    }
    if (!found.status().IsNotFound()) Check(found.status());
  }
  n.name = n.key;
  n.props = "{}";
  for (const auto& [k, v] : props) {
    if (k != "key" && !v.is_null()) ApplyNodeProperty(&n, k, v);
  }
  ++node_writes_;
  return Unwrap(txn_->PutNode(InputOf(n)));
}

Relationship QueryGraph::CreateRelationship(NodeId src, NodeId dst, const std::string& type,
                                            const Map& props) {
  if (IsDeleted(src) || IsDeleted(dst)) {
    EntityNotFound("DeletedEntityAccess", "cannot create a relationship at a deleted node");
  }
  Edge e;
  e.src = src;
  e.dst = dst;
  e.type = type;
  e.props = "{}";
  bool rank_given = false;
  for (const auto& [k, v] : props) {
    if (v.is_null()) continue;
    if (k == "rank") {
      if (v.type() != Value::Type::kInt || v.integer() < 0 || v.integer() > UINT32_MAX) {
        TypeError("InvalidPropertyType", "property `rank` must be a non-negative integer");
      }
      e.rank = static_cast<uint32_t>(v.integer());
      rank_given = true;
    } else {
      ApplyRelProperty(&e, k, v);
    }
  }
  // Cypher creates a new relationship every time; between the same pair
  // with the same type that takes the next free rank.
  auto sym = schema().EdgeType(type);
  uint32_t next_rank = 0;
  bool taken = false;
  if (sym) {
    auto it = view_.Edges(src, Direction::kOut, *sym);
    for (; it->Valid(); it->Next()) {
      if (it->edge().dst != dst) continue;
      next_rank = std::max(next_rank, it->edge().rank + 1);
      if (rank_given && it->edge().rank == e.rank) taken = true;
    }
    Check(it->status());
  }
  if (taken) {
    ConstraintError("RelationshipExists", "a relationship with this type and rank exists already");
  }
  if (!rank_given) e.rank = next_rank;
  EdgeId id = Unwrap(txn_->PutEdge(InputOf(e)));
  Relationship created{src, dst, schema().EdgeType(type).value_or(0), e.rank, false, id,
                       kNoEdgePosition};
  // The rank of a relationship this query deleted may be taken again: its
  // key names the new one now; the deleted one stays deleted by its id.
  deleted_rels_.erase(KeyOf(created));
  edges_.erase(KeyOf(created));
  return created;
}

void QueryGraph::ApplyRelProperty(Edge* e, const std::string& key, const Value& value) {
  if (key == "weight") {
    if (value.is_null()) {
      e->weight.reset();
    } else if (value.is_number()) {
      e->weight = value.number();
    } else {
      TypeError("InvalidPropertyType", "property `weight` must be a number");
    }
  } else if (key == "valid_from" || key == "valid_to") {
    std::optional<Date> d;
    if (value.type() == Value::Type::kDate) {
      d = value.date();
    } else if (!value.is_null()) {
      auto parsed = Date::Parse(RequireString(value, key));
      if (!parsed.ok()) {
        ArgumentError("InvalidArgumentValue", key + ": " + parsed.status().message());
      }
      d = *parsed;
    }
    (key == "valid_from" ? e->validity.from : e->validity.to) = d;
  } else if (key == "rank") {
    Value current = e->rank ? Value::Int(e->rank) : Value();
    if (Equal(current, value).value_or(value.is_null() && current.is_null())) return;
    ConstraintError("ImmutableRank", "the rank of a relationship is part of its identity and "
                    "cannot be changed");
  } else {
    SetPropsMember(&e->props, key, value);
  }
}

void QueryGraph::WriteEdge(const Edge& e) {
  Check(txn_->PutEdge(InputOf(e)).status());
}

void QueryGraph::SetNodeProperty(NodeId id, const std::string& key, const Value& value) {
  Node n = LoadNode(id)->node;
  ApplyNodeProperty(&n, key, value);
  WriteNode(n);
}

void QueryGraph::SetNodeProperties(NodeId id, const Map& props, bool merge) {
  Node n = LoadNode(id)->node;
  if (!merge) {
    n.name = n.key;
    n.sector.clear();
    n.aliases.clear();
    n.sources.clear();
    n.props = "{}";
  }
  for (const auto& [k, v] : props) {
    if (v.is_null() && !merge) continue;
    ApplyNodeProperty(&n, k, v);
  }
  WriteNode(n);
}

void QueryGraph::SetRelProperty(const Relationship& r, const std::string& key, const Value& value) {
  Edge e = LoadEdge(r)->edge;
  ApplyRelProperty(&e, key, value);
  WriteEdge(e);
  edges_.erase(KeyOf(r));
}

void QueryGraph::SetRelProperties(const Relationship& r, const Map& props, bool merge) {
  Edge e = LoadEdge(r)->edge;
  if (!merge) {
    e.weight.reset();
    e.validity = {};
    e.props = "{}";
  }
  for (const auto& [k, v] : props) {
    if (v.is_null() && !merge) continue;
    if (k == "rank" && !merge) continue;
    ApplyRelProperty(&e, k, v);
  }
  WriteEdge(e);
  edges_.erase(KeyOf(r));
}

void QueryGraph::SetLabel(NodeId id, const std::string& label) {
  Node n = LoadNode(id)->node;
  if (n.kind == label) return;
  if (n.kind != kUnlabelledKind) {
    ConstraintError("SingleLabel", "a node has one label, its kind: node '" + n.key +
                    "' is `" + n.kind + "` already");
  }
  n.kind = label;
  WriteNode(n);
}

void QueryGraph::RemoveLabel(NodeId id, const std::string& label) {
  Node n = LoadNode(id)->node;
  if (n.kind != label || label == kUnlabelledKind) return;
  n.kind = std::string(kUnlabelledKind);
  WriteNode(n);
}

void QueryGraph::DeleteRelationship(const Relationship& r) {
  if (IsDeleted(r)) return;
  EdgeId id = r.id;
  if (id == 0) id = EdgeIdOf(r);
  Status s = txn_->DeleteEdge(id);
  if (!s.ok() && !s.IsNotFound()) Check(s);
  deleted_rels_.insert(KeyOf(r));
  deleted_edge_ids_.insert(id);
  edges_.erase(KeyOf(r));
}

void QueryGraph::DeleteNode(NodeId id, bool detach) {
  if (deleted_nodes_.count(id)) return;
  std::vector<Hop> hops;
  Expand(id, Direction::kBoth, TypeFilter{}, &hops);
  if (detach || hops.empty()) {
    for (const Hop& h : hops) deleted_rels_.insert(KeyOf(h.rel));
    Check(txn_->DeleteNode(id));
  } else {
    deferred_deletes_.push_back(id);
  }
  deleted_nodes_.insert(id);
  nodes_.erase(id);
}

void QueryGraph::Finish() {
  for (NodeId id : deferred_deletes_) {
    std::vector<Hop> hops;
    Expand(id, Direction::kBoth, TypeFilter{}, &hops);
    if (!hops.empty()) {
      ConstraintError("DeleteConnectedNode",
                      "cannot delete a node that still has relationships: delete those too, or "
                      "use DETACH DELETE");
    }
    Check(txn_->DeleteNode(id));
  }
  deferred_deletes_.clear();
}

}  // namespace samverkan::cypher
