#include "storage/records.h"

#include <bit>
#include <chrono>
#include <cmath>
#include <optional>

#include "samverkan/text.h"
#include "storage/coding.h"

namespace samverkan::storage {
namespace {

// Edge header flags. DO NOT RENUMBER.
constexpr uint8_t kHasWeight = 1;
constexpr uint8_t kHasFrom = 2;
constexpr uint8_t kHasTo = 4;
constexpr uint8_t kDecimalWeight = 8;  // format 3: the weight as a short decimal
constexpr uint8_t kKnownFlags = kHasWeight | kHasFrom | kHasTo | kDecimalWeight;

// A weight is written as digits × 10^-scale when that decodes to exactly
// the same double: weights people enter (0.604, 1.0, 12345.67) take 1–4
// bytes instead of 8, on both sides of every edge. Exact because IEEE
// division is correctly rounded, as is the parse that made the double from
// its text: both give the double nearest digits / 10^scale.
constexpr int kMaxEncodedScale = 9;   // what the writer tries
constexpr int kMaxDecodedScale = 15;  // 10^15 and every smaller power are exact doubles
constexpr double kPow10[kMaxDecodedScale + 1] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                                 1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                                 1e12, 1e13, 1e14, 1e15};
constexpr double kMaxDigits = 9007199254740992.0;  // 2^53: every integer below is exact

uint64_t ZigZag64(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag64(uint64_t z) {
  return static_cast<int64_t>((z >> 1) ^ (0 - (z & 1)));
}

// The varint (zigzag(digits) << 4 | scale), or nullopt when the weight is
// no such decimal (a NaN, an infinity, -0.0, 0.1 + 0.2, a random double).
std::optional<uint64_t> DecimalWeight(double w) {
  if (!std::isfinite(w)) return std::nullopt;
  for (int scale = 0; scale <= kMaxEncodedScale; ++scale) {
    const double scaled = w * kPow10[scale];
    if (!(std::fabs(scaled) < kMaxDigits)) return std::nullopt;
    // Compared as the reader will compute it, bit for bit: -0.0 comes back
    // as +0.0 and so is not a decimal.
    const auto digits = static_cast<int64_t>(std::nearbyint(scaled));
    const double decoded = static_cast<double>(digits) / kPow10[scale];
    if (std::bit_cast<uint64_t>(decoded) == std::bit_cast<uint64_t>(w)) {
      return ZigZag64(digits) << 4 | static_cast<uint64_t>(scale);
    }
  }
  return std::nullopt;
}

bool GetDecimalWeight(ByteReader* in, double* w) {
  uint64_t v = 0;
  if (!in->GetVarint64(&v)) return false;
  const uint64_t scale = v & 15;
  const int64_t digits = UnZigZag64(v >> 4);
  if (scale > kMaxDecodedScale || std::fabs(static_cast<double>(digits)) >= kMaxDigits) {
    return false;
  }
  *w = static_cast<double>(digits) / kPow10[scale];
  return true;
}

// Dates are days since 1970-01-01, zigzag-encoded so that dates before 1970
// stay short: 0, -1, 1, -2, ... -> 0, 1, 2, 3, ...
uint32_t ZigZag(int32_t v) {
  return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
}
int32_t UnZigZag(uint32_t z) {
  return static_cast<int32_t>((z >> 1) ^ (0u - (z & 1)));
}

// Builds of 0.1.0 sign-extended a negative day count to 64 bits
// before zigzagging it: ~(2 * (v + 2^32)) for v < 0, a 10-byte varint above
// UINT32_MAX. Such records are read as the date that was meant.
std::optional<int32_t> UnZigZagSignExtended(uint64_t z) {
  const uint64_t doubled = ~z;  // 2 * (v + 2^32)
  if ((doubled & 1) != 0 || doubled < (uint64_t{1} << 32) || doubled >= (uint64_t{1} << 33)) {
    return std::nullopt;
  }
  return static_cast<int32_t>(static_cast<int64_t>(doubled >> 1) - (int64_t{1} << 32));
}

void PutIdList(std::string* dst, std::span<const NodeId> ids) {
  PutVarint64(dst, ids.size());
  for (NodeId id : ids) PutVarint64(dst, id);
}

bool GetIdList(ByteReader* in, std::vector<NodeId>* ids) {
  uint64_t n = 0;
  if (!in->GetVarint64(&n) || n > in->rest().size()) return false;
  ids->resize(n);
  for (auto& id : *ids) {
    if (!in->GetVarint64(&id)) return false;
  }
  return true;
}

bool GetDate(ByteReader* in, std::optional<Date>* d) {
  uint64_t z = 0;
  if (!in->GetVarint64(&z)) return false;
  if (z <= UINT32_MAX) {
    *d = Date{UnZigZag(static_cast<uint32_t>(z))};
    return true;
  }
  std::optional<int32_t> legacy = UnZigZagSignExtended(z);
  if (!legacy) return false;
  *d = Date{*legacy};
  return true;
}

void PutHeader(std::string* dst, const EdgeHeader& h) {
  PutVarint64(dst, h.id);
  const std::optional<uint64_t> decimal = h.weight ? DecimalWeight(*h.weight) : std::nullopt;
  uint8_t flags = (h.weight ? kHasWeight : 0) | (decimal ? kDecimalWeight : 0) |
                  (h.validity.from ? kHasFrom : 0) | (h.validity.to ? kHasTo : 0);
  dst->push_back(static_cast<char>(flags));
  if (decimal) {
    PutVarint64(dst, *decimal);
  } else if (h.weight) {
    PutDouble(dst, *h.weight);
  }
  if (h.validity.from) PutVarint64(dst, ZigZag(h.validity.from->days));
  if (h.validity.to) PutVarint64(dst, ZigZag(h.validity.to->days));
}

bool GetHeader(ByteReader* in, EdgeHeader* h) {
  uint8_t flags = 0;
  if (!in->GetVarint64(&h->id) || !in->GetByte(&flags) || (flags & ~kKnownFlags)) return false;
  h->weight.reset();
  h->validity = {};
  if ((flags & kDecimalWeight) && !(flags & kHasWeight)) return false;
  if (flags & kHasWeight) {
    double w = 0;
    if (!((flags & kDecimalWeight) ? GetDecimalWeight(in, &w) : in->GetDouble(&w))) return false;
    h->weight = w;
  }
  if ((flags & kHasFrom) && !GetDate(in, &h->validity.from)) return false;
  if ((flags & kHasTo) && !GetDate(in, &h->validity.to)) return false;
  return true;
}

}  // namespace

std::string EncodeNode(const NodeRecord& r) {
  std::string v;
  PutVarint64(&v, r.kind);
  PutVarint64(&v, r.sector);
  PutLengthPrefixed(&v, r.key);
  PutLengthPrefixed(&v, r.name);
  PutVarint64(&v, r.aliases.size());
  for (const auto& a : r.aliases) PutLengthPrefixed(&v, a);
  PutVarint64(&v, r.batch);
  PutIdList(&v, r.sources);
  v.append(r.props);
  return v;
}

std::string EncodeBatchRecord(std::string_view label, bool bulk) {
  // Written by hand, not as a JSON document object: it is made in every
  // commit, and nlohmann::json allocates while it is destroyed, which ends
  // the process when memory runs out there.
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  std::string out = bulk ? R"({"bulk":true,"committed_at":)" : R"({"committed_at":)";
  out += std::to_string(now);
  out += R"(,"label":)";
  AppendJsonString(label, &out);
  out += '}';
  return out;
}

bool DecodeNode(std::string_view value, NodeRecord* r) {
  ByteReader in(value);
  uint64_t n_aliases = 0;
  if (!in.GetVarint32(&r->kind) || !in.GetVarint32(&r->sector) ||
      !in.GetLengthPrefixed(&r->key) || !in.GetLengthPrefixed(&r->name) ||
      !in.GetVarint64(&n_aliases) || n_aliases > in.rest().size()) {
    return false;
  }
  r->aliases.resize(n_aliases);
  for (auto& a : r->aliases) {
    if (!in.GetLengthPrefixed(&a)) return false;
  }
  if (!in.GetVarint64(&r->batch) || !GetIdList(&in, &r->sources)) return false;
  r->props.assign(in.rest());
  return true;
}

std::string EncodeInValue(const EdgeHeader& h) {
  std::string v;
  EncodeInValueTo(h, &v);
  return v;
}

std::string EncodeOutValue(const EdgeHeader& h, const EdgeTail& t) {
  std::string v;
  EncodeOutValueTo(h, t.batch, t.sources, t.props, &v);
  return v;
}

void EncodeInValueTo(const EdgeHeader& h, std::string* dst) {
  dst->clear();
  PutHeader(dst, h);
}

void EncodeOutValueTo(const EdgeHeader& h, BatchId batch, std::span<const NodeId> sources,
                      std::string_view props, std::string* dst) {
  dst->clear();
  PutHeader(dst, h);
  PutVarint64(dst, batch);
  PutIdList(dst, sources);
  dst->append(props);
}

bool DecodeEdgeHeader(std::string_view value, EdgeHeader* h) {
  ByteReader in(value);
  return GetHeader(&in, h);
}

bool DecodeOutValue(std::string_view value, EdgeHeader* h, EdgeTail* t) {
  ByteReader in(value);
  if (!GetHeader(&in, h) || !in.GetVarint64(&t->batch) || !GetIdList(&in, &t->sources)) {
    return false;
  }
  t->props.assign(in.rest());
  return true;
}

bool DecodeOutTail(std::string_view value, BatchId* batch, std::vector<NodeId>* sources,
                   std::string_view* props) {
  ByteReader in(value);
  EdgeHeader h;
  if (!GetHeader(&in, &h) || !in.GetVarint64(batch) || !GetIdList(&in, sources)) return false;
  *props = in.rest();
  return true;
}

}  // namespace samverkan::storage
