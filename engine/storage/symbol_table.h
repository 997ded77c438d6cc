// Symbols: the interned names of kinds, sectors and edge types.
//
// SymbolTable holds the committed names, shared by every view of one Db.
// A transaction adds names through a PendingSymbols overlay, so that a name
// first used by a transaction that is rolled back (or rolled back to a
// savepoint) disappears with it. At commit the overlay writes its names into
// the batch and publishes them to the table.
#pragma once

#include <array>
#include <deque>
#include <shared_mutex>
#include <string>
#include <unordered_map>
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
  size_t Size(SymbolSpace space) const;

  // Reads the persisted symbols (again, after a read-only catch-up).
  Status Load(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta);

  // Adds committed names. REQUIRES: `first_id` == Size(space) + 1.
  void Publish(SymbolSpace space, SymbolId first_id, const std::vector<std::string>& names);
  // Takes back the last `count` names of a space (a failed commit).
  void Unpublish(SymbolSpace space, size_t count);

 private:
  struct Space {
    std::unordered_map<std::string, SymbolId> ids;
    std::deque<std::string> names;  // names[id - 1]; a deque keeps views stable
  };
  static size_t Index(SymbolSpace space);
  Space& space(SymbolSpace s) { return spaces_[Index(s)]; }
  const Space& space(SymbolSpace s) const { return spaces_[Index(s)]; }

  mutable std::shared_mutex mu_;
  std::array<Space, 3> spaces_;
};

// A transaction's view of the symbols: the committed ones plus its own.
class PendingSymbols final : public Schema {
 public:
  explicit PendingSymbols(SymbolTable* committed) : committed_(committed) {}

  std::optional<SymbolId> Find(SymbolSpace space, std::string_view name) const override;
  std::string_view Name(SymbolSpace space, SymbolId id) const override;
  std::vector<std::string> Names(SymbolSpace space) const override;

  // The id of `name`, adding it to this transaction if new.
  SymbolId Intern(SymbolSpace space, std::string_view name);

  // How many names this transaction has added, per space (for savepoints).
  using Mark = std::array<size_t, 3>;
  Mark mark() const;
  void RollbackTo(const Mark& mark);
  void Clear() { RollbackTo(Mark{}); }

  // The meta entries (key, value) that persist every pending name.
  std::vector<std::pair<std::string, std::string>> Entries() const;
  // Adds those entries to `batch`.
  void WriteTo(rocksdb::WriteBatchBase* batch, rocksdb::ColumnFamilyHandle* meta) const;
  // Publishes the pending names to the committed table (before the batch is
  // written, so that no reader meets a record whose name it cannot resolve).
  void Publish();
  // Undoes Publish() after a failed write.
  void Unpublish();

 private:
  struct Space {
    std::vector<std::string> names;  // ids committed.Size() + 1, + 2, ...
    std::unordered_map<std::string, SymbolId> ids;
    SymbolId base = 0;  // committed size when the first name was added
  };
  static constexpr std::array<SymbolSpace, 3> kSpaces = {
      SymbolSpace::kKind, SymbolSpace::kSector, SymbolSpace::kEdgeType};
  Space& space(SymbolSpace s) { return spaces_[static_cast<size_t>(Slot(s))]; }
  const Space& space(SymbolSpace s) const { return spaces_[static_cast<size_t>(Slot(s))]; }
  static int Slot(SymbolSpace s);

  SymbolTable* committed_;
  std::array<Space, 3> spaces_;
};

}  // namespace samverkan::storage
