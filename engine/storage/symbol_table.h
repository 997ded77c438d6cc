// SymbolTable: the in-memory Schema, shared by all views of one Db.
//
// Interning is append-only and visible at once to every view, including
// names first used by a transaction that is later rolled back: such a name
// is harmless (no record refers to it) and is persisted by a later commit.
// Each commit writes the names not yet persisted (see TakeUnpersisted).
#pragma once

#include <array>
#include <deque>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/write_batch_base.h>

#include "samverkan/schema.h"
#include "samverkan/status.h"

namespace samverkan::storage {

class SymbolTable final : public Schema {
 public:
  std::optional<SymbolId> Find(SymbolSpace space, std::string_view name) const override;
  std::string_view Name(SymbolSpace space, SymbolId id) const override;
  std::vector<std::string> Names(SymbolSpace space) const override;

  // The id of `name`, adding it if new.
  SymbolId Intern(SymbolSpace space, std::string_view name);

  // Reads the persisted symbols (again: after a read-only catch-up).
  Status Load(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta);

  // Adds the Put()s for every symbol not yet persisted to `batch`, and
  // returns them; call MarkPersisted() with that list once the batch is
  // written.
  std::vector<std::pair<SymbolSpace, SymbolId>> AddUnpersisted(
      rocksdb::WriteBatchBase* batch, rocksdb::ColumnFamilyHandle* meta) const;
  void MarkPersisted(const std::vector<std::pair<SymbolSpace, SymbolId>>& written);

 private:
  struct Space {
    std::unordered_map<std::string, SymbolId> ids;
    std::deque<std::string> names;  // names[id - 1]; a deque keeps views stable
    std::vector<bool> persisted;    // persisted[id - 1]
  };
  static size_t Index(SymbolSpace space);
  Space& space(SymbolSpace s) { return spaces_[Index(s)]; }
  const Space& space(SymbolSpace s) const { return spaces_[Index(s)]; }
  SymbolId AddLocked(Space& sp, std::string_view name, bool persisted);

  mutable std::shared_mutex mu_;
  std::array<Space, 3> spaces_;
};

}  // namespace samverkan::storage
