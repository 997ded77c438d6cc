#include "storage/change_log.h"

#include "storage/coding.h"
#include "storage/keys.h"
#include "storage/records.h"
#include "storage/write_buffer.h"

namespace samverkan::storage {
namespace {

constexpr uint8_t kKnown = 0;
constexpr uint8_t kUnknown = 1;
// Node flags.
constexpr uint8_t kNodeRemoved = 1;
constexpr uint8_t kNodeCreated = 2;
// Edge flags.
constexpr uint8_t kEdgeRemoved = 1;

std::string Unknown() { return {static_cast<char>(kChangeRecordVersion), static_cast<char>(kUnknown)}; }

}  // namespace

std::string EncodeChangeRecord(const CsrChanges* changes) {
  if (changes == nullptr) return Unknown();
  std::string out;
  out.push_back(static_cast<char>(kChangeRecordVersion));
  out.push_back(static_cast<char>(kKnown));
  // Ids are sorted: each is written as its distance from the one before.
  PutVarint64(&out, changes->nodes.size());
  NodeId prev = 0;
  for (const auto& n : changes->nodes) {
    PutVarint64(&out, n.id - prev);
    prev = n.id;
    out.push_back(static_cast<char>((n.removed ? kNodeRemoved : 0) | (n.created ? kNodeCreated : 0)));
    if (!n.removed) {
      PutVarint64(&out, n.kind);
      PutVarint64(&out, n.sector);
    }
  }
  PutVarint64(&out, changes->edges.size());
  prev = 0;
  for (const auto& e : changes->edges) {
    PutVarint64(&out, e.edge.src - prev);
    prev = e.edge.src;
    PutVarint64(&out, e.edge.type);
    PutVarint64(&out, e.edge.dst);
    PutVarint64(&out, e.edge.rank);
    out.push_back(static_cast<char>(e.removed ? kEdgeRemoved : 0));
    if (!e.removed) {
      // The edge header as the `in` family stores it: id, weight, validity.
      PutLengthPrefixed(&out, EncodeInValue({e.edge.id, e.edge.weight, e.edge.validity}));
    }
    if (out.size() > kMaxChangeRecordBytes) return Unknown();
  }
  PutVarint64(&out, changes->removed_edge_ids.size());
  prev = 0;
  for (EdgeId id : changes->removed_edge_ids) {
    PutVarint64(&out, id - prev);
    prev = id;
  }
  if (out.size() > kMaxChangeRecordBytes) return Unknown();
  return out;
}

std::optional<ChangeRecord> DecodeChangeRecord(std::string_view value) {
  ByteReader in(value);
  uint8_t version = 0, what = 0;
  if (!in.GetByte(&version) || version != kChangeRecordVersion || !in.GetByte(&what)) {
    return std::nullopt;
  }
  ChangeRecord record;
  if (what == kUnknown) {
    if (!in.done()) return std::nullopt;
    return record;
  }
  if (what != kKnown) return std::nullopt;
  record.known = true;
  CsrChanges& c = record.changes;
  uint64_t count = 0, delta = 0;
  // A count can be no larger than the bytes left (each entry takes some).
  auto get_count = [&](uint64_t* n) { return in.GetVarint64(n) && *n <= in.rest().size(); };
  if (!get_count(&count)) return std::nullopt;
  c.nodes.reserve(count);
  NodeId prev = 0;
  for (uint64_t i = 0; i < count; ++i) {
    CsrChanges::NodeChange n;
    uint8_t flags = 0;
    if (!in.GetVarint64(&delta) || (i > 0 && delta == 0) || !in.GetByte(&flags) ||
        (flags & ~(kNodeRemoved | kNodeCreated)) != 0) {
      return std::nullopt;
    }
    n.id = prev + delta;
    prev = n.id;
    n.removed = (flags & kNodeRemoved) != 0;
    n.created = (flags & kNodeCreated) != 0;
    if (!n.removed && (!in.GetVarint32(&n.kind) || !in.GetVarint32(&n.sector))) return std::nullopt;
    c.nodes.push_back(n);
  }
  if (!get_count(&count)) return std::nullopt;
  c.edges.reserve(count);
  prev = 0;
  for (uint64_t i = 0; i < count; ++i) {
    CsrChanges::EdgeChange e;
    uint8_t flags = 0;
    uint64_t dst = 0;
    if (!in.GetVarint64(&delta) || !in.GetVarint32(&e.edge.type) || !in.GetVarint64(&dst) ||
        !in.GetVarint32(&e.edge.rank) || !in.GetByte(&flags) || (flags & ~kEdgeRemoved) != 0) {
      return std::nullopt;
    }
    e.edge.src = prev + delta;
    prev = e.edge.src;
    e.edge.dst = dst;
    e.removed = (flags & kEdgeRemoved) != 0;
    if (!e.removed) {
      std::string header;
      EdgeHeader h;
      if (!in.GetLengthPrefixed(&header) || !DecodeEdgeHeader(header, &h)) return std::nullopt;
      e.edge.id = h.id;
      e.edge.weight = h.weight;
      e.edge.validity = h.validity;
    }
    c.edges.push_back(e);
  }
  if (!get_count(&count)) return std::nullopt;
  c.removed_edge_ids.reserve(count);
  prev = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (!in.GetVarint64(&delta) || (i > 0 && delta == 0)) return std::nullopt;
    prev += delta;
    c.removed_edge_ids.push_back(prev);
  }
  if (!in.done()) return std::nullopt;
  return record;
}

void PutChangeRecord(WriteBuffer* buffer, BatchId batch, const CsrChanges* changes) {
  buffer->Put(kMeta, meta::Changes(batch), EncodeChangeRecord(changes));
  if (batch > kChangeLogCommits) buffer->Delete(kMeta, meta::Changes(batch - kChangeLogCommits));
}

}  // namespace samverkan::storage
