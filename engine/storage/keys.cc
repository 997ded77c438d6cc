#include "storage/keys.h"

#include "storage/coding.h"

namespace samverkan::storage {

namespace meta {

std::string SymbolByName(SymbolSpace space, std::string_view name) {
  std::string k(kSymbolByNamePrefix);
  k.push_back(static_cast<char>(space));
  k.append(name);
  return k;
}

std::string SymbolById(SymbolSpace space, SymbolId id) {
  std::string k(kSymbolByIdPrefix);
  k.push_back(static_cast<char>(space));
  PutFixed32BE(&k, id);
  return k;
}

std::string Batch(BatchId id) {
  std::string k(kBatchPrefix);
  PutFixed64BE(&k, id);
  return k;
}

std::string Changes(BatchId batch) {
  std::string k(kChangesPrefix);
  PutFixed64BE(&k, batch);
  return k;
}

std::string Prepared(std::string_view xid) {
  std::string k(kPreparedPrefix);
  k.append(xid);
  return k;
}

std::string CommittedBy(std::string_view coordinator) {
  std::string k(kCommittedByPrefix);
  k.append(coordinator);
  return k;
}

}  // namespace meta

std::string NodeKey(NodeId id) {
  std::string k;
  k.reserve(8);
  PutFixed64BE(&k, id);
  return k;
}

NodeId DecodeNodeKey(std::string_view key) { return DecodeFixed64BE(key.data()); }

std::string NameKey(std::string_view folded, NodeId id) {
  std::string k = NamePrefix(folded);
  PutFixed64BE(&k, id);
  return k;
}

std::string NamePrefix(std::string_view folded) {
  std::string k(folded);
  k.push_back('\0');
  return k;
}

std::optional<NodeId> NameKeyNode(std::string_view key, std::string_view* folded) {
  if (key.size() < 9 || key[key.size() - 9] != '\0') return std::nullopt;
  if (folded) *folded = key.substr(0, key.size() - 9);
  return DecodeFixed64BE(key.data() + key.size() - 8);
}

std::string NodeIndexKey(SymbolSpace space, SymbolId sym, NodeId id) {
  std::string k = NodeIndexPrefix(space, sym);
  PutFixed64BE(&k, id);
  return k;
}

std::string NodeIndexPrefix(SymbolSpace space, SymbolId sym) {
  std::string k;
  k.push_back(static_cast<char>(space));
  PutFixed32BE(&k, sym);
  return k;
}

std::string EncodeAdjKey(const AdjKey& a) {
  std::string k;
  EncodeAdjKeyTo(a, &k);
  return k;
}

void EncodeAdjKeyTo(const AdjKey& a, std::string* k) {
  k->clear();
  k->reserve(kEdgeKeySize);
  PutFixed64BE(k, a.node);
  PutFixed32BE(k, a.type);
  PutFixed64BE(k, a.other);
  PutFixed32BE(k, a.rank);
}

AdjKey DecodeAdjKey(std::string_view key) {
  const char* p = key.data();
  return AdjKey{DecodeFixed64BE(p), DecodeFixed32BE(p + 8), DecodeFixed64BE(p + 12),
                DecodeFixed32BE(p + 20)};
}

std::string AdjPrefix(NodeId node) { return NodeKey(node); }

std::string AdjPrefix(NodeId node, SymbolId type) {
  std::string k = NodeKey(node);
  PutFixed32BE(&k, type);
  return k;
}

std::string EdgeIdKey(EdgeId id) { return NodeKey(id); }

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    auto last = static_cast<unsigned char>(s.back());
    if (last != 0xff) {
      s.back() = static_cast<char>(last + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace samverkan::storage
