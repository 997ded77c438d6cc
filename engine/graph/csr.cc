#include "samverkan/csr.h"

#include <algorithm>

#include <fmt/format.h>

#include "column_build.h"
#include "spec_filter.h"

namespace samverkan {
namespace {

// Counting sort of (from, to, type[, weight]) into offsets/targets/types
// (and weights, when `weight` is not empty). The sort is stable, so edges
// between one pair keep their input (rank) order. slot_of[i] receives the
// slot input edge i lands in.
void Fill(uint32_t n, const std::vector<uint32_t>& from, const std::vector<uint32_t>& to,
          const std::vector<uint16_t>& type, const std::vector<double>& weight,
          std::vector<uint64_t>* offsets, std::vector<uint32_t>* targets,
          std::vector<uint16_t>* types, std::vector<double>* weights,
          std::vector<uint32_t>* slot_of) {
  offsets->assign(static_cast<size_t>(n) + 1, 0);
  for (uint32_t f : from) ++(*offsets)[f + 1];
  for (uint32_t v = 0; v < n; ++v) (*offsets)[v + 1] += (*offsets)[v];
  targets->resize(from.size());
  types->resize(from.size());
  weights->resize(weight.size());
  slot_of->resize(from.size());
  std::vector<uint64_t> cursor(offsets->begin(), offsets->end() - 1);
  for (size_t i = 0; i < from.size(); ++i) {
    uint64_t at = cursor[from[i]]++;
    (*slot_of)[i] = static_cast<uint32_t>(at);
    (*targets)[at] = to[i];
    (*types)[at] = type[i];
    if (!weight.empty()) (*weights)[at] = weight[i];
  }
}

}  // namespace

Result<std::shared_ptr<const CsrGraph>> CsrGraph::Build(const GraphView& view,
                                                        const CsrSpec& spec,
                                                        const Interrupt& interrupt) {
  // Reading a record takes a microsecond or so: ask every 4096.
  uint32_t until_poll = 0;
  auto stop = [&] { return ++until_poll % 4096 == 0 && interrupt.Requested(); };
  auto g = std::make_shared<CsrGraph>();
  g->spec_ = spec;
  const SpecFilter filter(view.schema(), spec);

  // Nodes, in id order. Kinds and sectors come back as names; map them
  // to symbols once per distinct name.
  std::vector<NodeId> ids;
  std::vector<uint32_t> index_by_id;
  std::vector<SymbolId> node_kinds, sectors;
  auto nodes = view.Nodes();
  for (; nodes->Valid(); nodes->Next()) {
    if (stop()) return Interrupt::Stopped();
    const Node& n = nodes->node();
    auto kind = view.schema().Find(SymbolSpace::kKind, n.kind).value_or(0);
    if (!filter.KeepsKind(kind)) continue;
    if (ids.size() == UINT32_MAX) {
      return Status::NotSupported("graph has too many nodes for a CSR snapshot");
    }
    if (index_by_id.size() <= n.id) index_by_id.resize(n.id + 1, 0);
    index_by_id[n.id] = static_cast<uint32_t>(ids.size() + 1);
    ids.push_back(n.id);
    node_kinds.push_back(kind);
    sectors.push_back(
        n.sector.empty() ? 0 : view.schema().Find(SymbolSpace::kSector, n.sector).value_or(0));
  }
  SV_RETURN_IF_ERROR(nodes->status());
  g->ids_ = std::move(ids);
  g->index_by_id_ = std::move(index_by_id);
  g->kinds_ = std::move(node_kinds);
  g->sectors_ = std::move(sectors);

  std::vector<uint32_t> src, dst;
  std::vector<uint16_t> type;
  std::vector<double> weight;
  std::vector<EdgeId> id;
  auto edges = view.AllEdges();
  for (; edges->Valid(); edges->Next()) {
    if (stop()) return Interrupt::Stopped();
    const EdgeRef& e = edges->edge();
    if (!filter.KeepsEdge(e)) continue;
    auto s = g->index_of(e.src);
    auto d = g->index_of(e.dst);
    if (!s || !d) continue;  // an endpoint of a kind not included
    if (e.type > UINT16_MAX) {
      return Status::NotSupported("graph has too many edge types for a CSR snapshot");
    }
    if (src.size() == UINT32_MAX) {
      return Status::NotSupported("graph has too many edges for a CSR snapshot");
    }
    src.push_back(*s);
    dst.push_back(*d);
    type.push_back(static_cast<uint16_t>(e.type));
    if (spec.with_weights) weight.push_back(e.weight.value_or(1.0));
    id.push_back(e.id);
  }
  SV_RETURN_IF_ERROR(edges->status());

  // An edge's position is its out slot; the in side maps its slots there.
  std::vector<uint32_t> out_slot, in_slot;
  std::vector<uint64_t> out_offsets, in_offsets;
  std::vector<uint32_t> out_targets, in_sources;
  std::vector<uint16_t> out_types, in_types;
  std::vector<double> out_weights, in_weights;
  Fill(g->num_nodes(), src, dst, type, weight, &out_offsets, &out_targets, &out_types,
       &out_weights, &out_slot);
  Fill(g->num_nodes(), dst, src, type, weight, &in_offsets, &in_sources, &in_types, &in_weights,
       &in_slot);
  std::vector<EdgeId> edge_ids(id.size());
  std::vector<uint32_t> in_positions(id.size());
  for (size_t i = 0; i < id.size(); ++i) {
    edge_ids[out_slot[i]] = id[i];
    in_positions[in_slot[i]] = out_slot[i];
  }
  g->out_offsets_ = std::move(out_offsets);
  g->in_offsets_ = std::move(in_offsets);
  g->out_targets_ = std::move(out_targets);
  g->in_sources_ = std::move(in_sources);
  g->out_types_ = std::move(out_types);
  g->in_types_ = std::move(in_types);
  g->out_weights_ = std::move(out_weights);
  g->in_weights_ = std::move(in_weights);
  g->edge_ids_ = std::move(edge_ids);
  g->in_positions_ = std::move(in_positions);
  return std::shared_ptr<const CsrGraph>(std::move(g));
}

// Built outside the lock: two threads may both build a column; both agree.
template <typename Make>
Result<std::shared_ptr<const PropertyColumn>> CsrGraph::CachedColumn(ColumnKey key, Make make,
                                                                     bool* built) const {
  std::optional<UncheckedColumn> mapped;
  {
    std::lock_guard lock(columns_mu_);
    if (auto it = columns_.find(key); it != columns_.end()) return it->second;
    if (auto it = unchecked_columns_.find(key); it != unchecked_columns_.end()) {
      mapped = std::move(it->second);
      unchecked_columns_.erase(it);
    }
  }
  std::shared_ptr<const PropertyColumn> column;
  if (mapped && mapped->check().ok()) {
    column = std::move(mapped->column);
  } else {
    if (mapped) {
      std::lock_guard lock(columns_mu_);
      mapped_columns_damaged_ = true;
    }
    SV_ASSIGN_OR_RETURN(column, make(std::get<2>(key)));
    *built = true;
  }
  std::lock_guard lock(columns_mu_);
  return columns_.try_emplace(std::move(key), std::move(column)).first->second;
}

CsrGraph::Columns CsrGraph::CheckedColumns() const {
  std::map<ColumnKey, UncheckedColumn, std::less<>> mapped;
  {
    std::lock_guard lock(columns_mu_);
    mapped.swap(unchecked_columns_);
  }
  std::vector<std::pair<ColumnKey, std::shared_ptr<const PropertyColumn>>> checked;
  bool damaged = false;
  for (auto& [key, c] : mapped) {
    if (c.check().ok()) {
      checked.emplace_back(key, std::move(c.column));
    } else {
      damaged = true;
    }
  }
  std::lock_guard lock(columns_mu_);
  for (auto& [key, column] : checked) columns_.try_emplace(std::move(key), std::move(column));
  mapped_columns_damaged_ |= damaged;
  return columns_;
}

bool CsrGraph::mapped_columns_damaged() const {
  std::lock_guard lock(columns_mu_);
  return mapped_columns_damaged_;
}

Status CsrGraph::CheckEdgePositions() const {
  if (EdgePositionsChecked()) return Status::OK();
  std::lock_guard lock(positions_mu_);
  if (check_positions_) {
    positions_status_ = check_positions_();
    check_positions_ = nullptr;
    if (positions_status_.ok()) positions_checked_.store(true, std::memory_order_release);
  }
  return positions_status_;
}

std::optional<uint32_t> CsrGraph::index_of(NodeId id) const {
  if (id >= index_by_id_.size() || index_by_id_[id] == 0) return std::nullopt;
  return index_by_id_[id] - 1;
}

Result<std::shared_ptr<const PropertyColumn>> CsrGraph::NodeColumn(
    const GraphView& view, NodeField field, std::string_view key,
    const Interrupt& interrupt) const {
  bool built = false;
  auto column = CachedColumn(
      {false, static_cast<int>(field), std::string(key)},
      [&](const std::string& k) {
        return field == NodeField::kProps ? PropsColumn(view, false, k, interrupt)
                                          : BuildNodeColumn(view, *this, field, k, interrupt);
      },
      &built);
  if (built) ColumnsBuilt();
  return column;
}

Result<std::shared_ptr<const PropertyColumn>> CsrGraph::PropsColumn(
    const GraphView& view, bool edges, const std::string& key, const Interrupt& interrupt) const {
  // The other keys the scan met come along: the next query to read one of
  // them finds it built.
  SV_ASSIGN_OR_RETURN(auto built, BuildPropsColumns(view, *this, edges, {&key, 1}, interrupt));
  KeepPropsColumns(edges, std::move(built));
  std::lock_guard lock(columns_mu_);
  return columns_.find(std::make_tuple(edges, PropsField(edges), key))->second;
}

int CsrGraph::PropsField(bool edges) {
  return edges ? static_cast<int>(EdgeField::kProps) : static_cast<int>(NodeField::kProps);
}

void CsrGraph::KeepPropsColumns(
    bool edges,
    std::vector<std::pair<std::string, std::shared_ptr<const PropertyColumn>>> built) const {
  std::lock_guard lock(columns_mu_);
  for (auto& [k, column] : built) {
    columns_.try_emplace(std::make_tuple(edges, PropsField(edges), k), column);
    unchecked_columns_.erase(std::make_tuple(edges, PropsField(edges), k));  // this one is newer
  }
}

Status CsrGraph::BuildPropsColumnsTogether(const GraphView& view, bool edges,
                                           std::span<const std::string> keys,
                                           const Interrupt& interrupt) const {
  std::vector<std::string> missing;
  {
    std::lock_guard lock(columns_mu_);
    for (const std::string& key : keys) {
      const ColumnKey k{edges, PropsField(edges), key};
      if (!columns_.contains(k) && !unchecked_columns_.contains(k)) missing.push_back(key);
    }
  }
  if (missing.empty()) return Status::OK();
  SV_ASSIGN_OR_RETURN(auto built, BuildPropsColumns(view, *this, edges, missing, interrupt));
  KeepPropsColumns(edges, std::move(built));
  ColumnsBuilt();
  return Status::OK();
}

Result<std::shared_ptr<const PropertyColumn>> CsrGraph::EdgeColumn(
    const GraphView& view, EdgeField field, std::string_view key,
    const Interrupt& interrupt) const {
  bool built = false;
  auto column = CachedColumn(
      {true, static_cast<int>(field), std::string(key)},
      [&](const std::string& k) {
        return field == EdgeField::kProps ? PropsColumn(view, true, k, interrupt)
                                          : BuildEdgeColumn(view, *this, field, k, interrupt);
      },
      &built);
  if (built) ColumnsBuilt();
  return column;
}

void CsrGraph::SetColumnsBuiltHook(std::function<void()> hook) const {
  std::lock_guard lock(columns_mu_);
  columns_built_ = std::move(hook);
}

void CsrGraph::ColumnsBuilt() const {
  std::function<void()> hook;
  {
    std::lock_guard lock(columns_mu_);
    hook = columns_built_;
  }
  if (hook) hook();
}

uint64_t CsrGraph::memory_bytes() const {
  auto bytes = [](const auto& v) { return v.bytes(); };
  uint64_t columns = 0;
  {
    std::lock_guard lock(columns_mu_);
    for (const auto& [id, c] : columns_) columns += c->memory_bytes();
  }
  return bytes(ids_) + bytes(index_by_id_) + bytes(kinds_) + bytes(sectors_) +
         bytes(out_offsets_) + bytes(in_offsets_) + bytes(out_targets_) + bytes(in_sources_) +
         bytes(out_types_) + bytes(in_types_) + bytes(out_weights_) + bytes(in_weights_) +
         bytes(in_positions_) + bytes(edge_ids_) + columns;
}

Result<EdgeRef> FindEdgeBetween(const GraphView& view, NodeId from, NodeId to, SymbolId type,
                                Direction dir) {
  // Scan from the end with fewer edges: the edge is in both ends' lists.
  SV_ASSIGN_OR_RETURN(Degree from_degree, view.GetDegree(from));
  SV_ASSIGN_OR_RETURN(Degree to_degree, view.GetDegree(to));
  const bool flip = to_degree.total() < from_degree.total();
  const NodeId near = flip ? to : from;
  const NodeId far = flip ? from : to;
  for (Direction d : {Direction::kOut, Direction::kIn}) {
    if (dir != Direction::kBoth && dir != d) continue;
    Direction scan = !flip ? d : (d == Direction::kOut ? Direction::kIn : Direction::kOut);
    auto it = view.Edges(near, scan, type);
    for (; it->Valid(); it->Next()) {
      if (it->edge().Other(near) == far) return it->edge();
    }
    SV_RETURN_IF_ERROR(it->status());
  }
  return Status::NotFound(fmt::format("no edge of type {} between nodes {} and {}", type, from, to));
}

}  // namespace samverkan
