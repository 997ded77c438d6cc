#include "storage/symbol_table.h"

#include <mutex>

#include <fmt/format.h>

#include "storage/coding.h"
#include "storage/keys.h"

namespace samverkan::storage {

// --- SymbolTable ----------------------------------------------------------

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

size_t SymbolTable::Size(SymbolSpace s) const {
  std::shared_lock lock(mu_);
  return space(s).names.size();
}

void SymbolTable::Publish(SymbolSpace s, SymbolId first_id,
                          const std::vector<std::string>& names) {
  std::unique_lock lock(mu_);
  Space& sp = space(s);
  for (size_t i = 0; i < names.size(); ++i) {
    // first_id is Size() + 1 by contract: one writer per Db at a time.
    sp.names.push_back(names[i]);
    sp.ids.emplace(names[i], static_cast<SymbolId>(first_id + i));
  }
}

void SymbolTable::Unpublish(SymbolSpace s, size_t count) {
  std::unique_lock lock(mu_);
  Space& sp = space(s);
  for (size_t i = 0; i < count && !sp.names.empty(); ++i) {
    sp.ids.erase(sp.names.back());
    sp.names.pop_back();
  }
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
      if (sp.names[id - 1] != it->value().ToStringView()) {
        return Status::Corruption(fmt::format("symbol {} changed its name", id));
      }
      continue;  // known already: a reload
    }
    if (id != sp.names.size() + 1) {
      return Status::Corruption(fmt::format("symbol ids are not dense at {}", id));
    }
    sp.names.emplace_back(it->value().ToStringView());
    sp.ids.emplace(sp.names.back(), id);
  }
  if (!it->status().ok()) return Status::IOError(it->status().ToString());
  return Status::OK();
}

// --- PendingSymbols --------------------------------------------------------

int PendingSymbols::Slot(SymbolSpace s) {
  switch (s) {
    case SymbolSpace::kKind: return 0;
    case SymbolSpace::kSector: return 1;
    case SymbolSpace::kEdgeType: return 2;
  }
  return 0;
}

std::optional<SymbolId> PendingSymbols::Find(SymbolSpace s, std::string_view name) const {
  if (auto id = committed_->Find(s, name)) return id;
  const Space& sp = space(s);
  auto it = sp.ids.find(std::string(name));
  if (it == sp.ids.end()) return std::nullopt;
  return it->second;
}

std::string_view PendingSymbols::Name(SymbolSpace s, SymbolId id) const {
  const Space& sp = space(s);
  if (!sp.names.empty() && id > sp.base) {
    return id - sp.base <= sp.names.size() ? std::string_view(sp.names[id - sp.base - 1])
                                           : std::string_view();
  }
  return committed_->Name(s, id);
}

std::vector<std::string> PendingSymbols::Names(SymbolSpace s) const {
  std::vector<std::string> out = committed_->Names(s);
  const Space& sp = space(s);
  out.insert(out.end(), sp.names.begin(), sp.names.end());
  return out;
}

SymbolId PendingSymbols::Intern(SymbolSpace s, std::string_view name) {
  if (auto id = Find(s, name)) return *id;
  Space& sp = space(s);
  if (sp.names.empty()) sp.base = static_cast<SymbolId>(committed_->Size(s));
  sp.names.emplace_back(name);
  auto id = static_cast<SymbolId>(sp.base + sp.names.size());
  sp.ids.emplace(std::string(name), id);
  return id;
}

PendingSymbols::Mark PendingSymbols::mark() const {
  return {spaces_[0].names.size(), spaces_[1].names.size(), spaces_[2].names.size()};
}

void PendingSymbols::RollbackTo(const Mark& mark) {
  for (size_t i = 0; i < spaces_.size(); ++i) {
    Space& sp = spaces_[i];
    while (sp.names.size() > mark[i]) {
      sp.ids.erase(sp.names.back());
      sp.names.pop_back();
    }
  }
}

std::vector<std::pair<std::string, std::string>> PendingSymbols::Entries() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (SymbolSpace s : kSpaces) {
    const Space& sp = space(s);
    for (size_t i = 0; i < sp.names.size(); ++i) {
      auto id = static_cast<SymbolId>(sp.base + i + 1);
      std::string idv;
      PutFixed32BE(&idv, id);
      out.emplace_back(meta::SymbolByName(s, sp.names[i]), idv);
      out.emplace_back(meta::SymbolById(s, id), sp.names[i]);
    }
  }
  return out;
}

void PendingSymbols::WriteTo(rocksdb::WriteBatchBase* batch,
                             rocksdb::ColumnFamilyHandle* meta_cf) const {
  for (const auto& [key, value] : Entries()) batch->Put(meta_cf, key, value).PermitUncheckedError();
}

void PendingSymbols::Publish() {
  for (SymbolSpace s : kSpaces) {
    const Space& sp = space(s);
    if (!sp.names.empty()) committed_->Publish(s, sp.base + 1, sp.names);
  }
}

void PendingSymbols::Unpublish() {
  for (SymbolSpace s : kSpaces) committed_->Unpublish(s, space(s).names.size());
}

}  // namespace samverkan::storage
