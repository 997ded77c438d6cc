// Value layouts of the nodes, out and in column families. See
// docs/on-disk-format.md; DO NOT CHANGE the layouts without a new format version.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/types.h"

namespace samverkan::storage {

// A node as stored: names interned as symbol ids (0 = none).
struct NodeRecord {
  SymbolId kind = 0;
  SymbolId sector = 0;
  std::string key;
  std::string name;
  std::vector<std::string> aliases;
  BatchId batch = 0;
  std::vector<NodeId> sources;
  std::string props;  // compact JSON object; "" stands for {}

  bool operator==(const NodeRecord&) const = default;
};

std::string EncodeNode(const NodeRecord& r);
bool DecodeNode(std::string_view value, NodeRecord* r);

// The value of meta batch/<id>: {"bulk":true,"committed_at":<unix seconds,
// now>,"label":<label>}, "bulk" only for a bulk load.
std::string EncodeBatchRecord(std::string_view label, bool bulk);

// Stored on both sides of an edge.
struct EdgeHeader {
  EdgeId id = 0;
  std::optional<double> weight;
  Validity validity;
  bool operator==(const EdgeHeader&) const = default;
};

// Stored on the out side only.
struct EdgeTail {
  BatchId batch = 0;
  std::vector<NodeId> sources;
  std::string props;  // compact JSON object; "" stands for {}

  bool operator==(const EdgeTail&) const = default;
};

std::string EncodeInValue(const EdgeHeader& h);
std::string EncodeOutValue(const EdgeHeader& h, const EdgeTail& t);
// The same, replacing *dst (reusing its buffer: for bulk loads). The out
// value's tail is given in parts so that no EdgeTail need be built.
void EncodeInValueTo(const EdgeHeader& h, std::string* dst);
void EncodeOutValueTo(const EdgeHeader& h, BatchId batch, std::span<const NodeId> sources,
                      std::string_view props, std::string* dst);
// Decodes the header at the start of an in- or out-value.
bool DecodeEdgeHeader(std::string_view value, EdgeHeader* h);
// Decodes a whole out-value.
bool DecodeOutValue(std::string_view value, EdgeHeader* h, EdgeTail* t);
// Decodes an out-value's tail in place: *props views `value` ("" stands
// for {}), *sources is reused. For scans that read only the tail.
bool DecodeOutTail(std::string_view value, BatchId* batch, std::vector<NodeId>* sources,
                   std::string_view* props);

// "" -> "{}".
inline std::string PropsOrEmptyObject(std::string props) {
  return props.empty() ? std::string("{}") : props;
}

}  // namespace samverkan::storage
