#include "storage/symbol_table.h"

#include <mutex>

#include <fmt/format.h>

#include "storage/coding.h"
#include "storage/keys.h"

namespace samverkan::storage {

size_t SymbolTable::Index(SymbolSpace s) {
  switch (s) {
    case SymbolSpace::kKind: return 0;
    case SymbolSpace::kSector: return 1;
    case SymbolSpace::kEdgeType: return 2;
  }
  return 0;
}

std::optional<SymbolId> SymbolTable::Find(SymbolSpace s, std::string_view name) const {
  std::shared_lock lock(mu_);
  const Space& sp = space(s);
  auto it = sp.ids.find(std::string(name));
  if (it == sp.ids.end()) return std::nullopt;
  return it->second;
}

std::string_view SymbolTable::Name(SymbolSpace s, SymbolId id) const {
  std::shared_lock lock(mu_);
  const Space& sp = space(s);
  if (id == 0 || id > sp.names.size()) return {};
  return sp.names[id - 1];
}

std::vector<std::string> SymbolTable::Names(SymbolSpace s) const {
  std::shared_lock lock(mu_);
  const Space& sp = space(s);
  return {sp.names.begin(), sp.names.end()};
}

SymbolId SymbolTable::AddLocked(Space& sp, std::string_view name, bool persisted) {
  sp.names.emplace_back(name);
  sp.persisted.push_back(persisted);
  auto id = static_cast<SymbolId>(sp.names.size());
  sp.ids.emplace(std::string(name), id);
  return id;
}

SymbolId SymbolTable::Intern(SymbolSpace s, std::string_view name) {
  if (auto id = Find(s, name)) return *id;
  std::unique_lock lock(mu_);
  Space& sp = space(s);
  auto it = sp.ids.find(std::string(name));
  if (it != sp.ids.end()) return it->second;
  return AddLocked(sp, name, /*persisted=*/false);
}

Status SymbolTable::Load(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta_cf) {
  std::unique_lock lock(mu_);
  std::string lower(meta::kSymbolByIdPrefix);
  std::string upper = PrefixSuccessor(lower);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, meta_cf));
  // Keys sort by (space, id), so each space's ids arrive in order.
  for (it->Seek(lower); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    if (k.size() != lower.size() + 5) {
      return Status::Corruption(fmt::format("malformed symbol key of {} bytes", k.size()));
    }
    auto s = static_cast<SymbolSpace>(k[lower.size()]);
    SymbolId id = DecodeFixed32BE(k.data() + lower.size() + 1);
    if (s != SymbolSpace::kKind && s != SymbolSpace::kSector && s != SymbolSpace::kEdgeType) {
      return Status::Corruption(fmt::format("unknown symbol space '{}'", static_cast<char>(s)));
    }
    Space& sp = space(s);
    if (id <= sp.names.size()) {
      // Known already (a reload), possibly interned here before it was
      // persisted by another process: the persisted name must agree.
      if (sp.names[id - 1] != it->value().ToStringView()) {
        return Status::Corruption(fmt::format("symbol {} changed name", id));
      }
      sp.persisted[id - 1] = true;
      continue;
    }
    if (id != sp.names.size() + 1) {
      return Status::Corruption(fmt::format("symbol ids are not dense at {}", id));
    }
    AddLocked(sp, it->value().ToStringView(), /*persisted=*/true);
  }
  return Status::OK();
}

std::vector<std::pair<SymbolSpace, SymbolId>> SymbolTable::AddUnpersisted(
    rocksdb::WriteBatchBase* batch, rocksdb::ColumnFamilyHandle* meta_cf) const {
  std::shared_lock lock(mu_);
  std::vector<std::pair<SymbolSpace, SymbolId>> out;
  for (auto s : {SymbolSpace::kKind, SymbolSpace::kSector, SymbolSpace::kEdgeType}) {
    const Space& sp = space(s);
    for (size_t i = 0; i < sp.names.size(); ++i) {
      if (sp.persisted[i]) continue;
      auto id = static_cast<SymbolId>(i + 1);
      std::string idv;
      PutFixed32BE(&idv, id);
      batch->Put(meta_cf, meta::SymbolByName(s, sp.names[i]), idv).PermitUncheckedError();
      batch->Put(meta_cf, meta::SymbolById(s, id), sp.names[i]).PermitUncheckedError();
      out.emplace_back(s, id);
    }
  }
  return out;
}

void SymbolTable::MarkPersisted(const std::vector<std::pair<SymbolSpace, SymbolId>>& written) {
  std::unique_lock lock(mu_);
  for (auto [s, id] : written) space(s).persisted[id - 1] = true;
}

}  // namespace samverkan::storage
