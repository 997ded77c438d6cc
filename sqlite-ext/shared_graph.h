// shared_graph.h: one graph directory as the whole process sees it.
//
// Every connection of the process that uses a graph directory shares one
// SharedGraph, because RocksDB lets only one open per process write it. The
// SharedGraph holds the graph open for writing when it can; when another
// process holds it so, it holds a read-only secondary that catches up with
// that process's commits (Refresh).
//
// Write access moves between processes as SQLite's write lock does
// (write_handoff.h): a connection that begins writing takes it, asking the
// process that holds it to let go and waiting up to its busy timeout; this
// process lets go when another asks, as soon as none of its write
// transactions is open, and reads through a secondary from then on. A Db
// that was let go stays open for whoever still reads it (a cursor, a pinned
// transaction snapshot) and closes with its last reader.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "held_props.h"
#include "samverkan/db.h"
#include "samverkan/write_handoff.h"
#include "vtab_base.h"

namespace samverkan::sql {

class SharedGraph : public std::enable_shared_from_this<SharedGraph> {
 public:
  // This process's SharedGraph for the canonical directory `path`, opened if
  // need be: for writing when no other process holds the graph so (unless
  // `prefer_reading`: readonly=1 tables never take it first), else as a
  // secondary. `create` makes a graph where there is none.
  static Result<std::shared_ptr<SharedGraph>> Acquire(const std::string& path, bool create,
                                                      bool prefer_reading);
  ~SharedGraph();

  const std::string& path() const { return path_; }

  // The Db to read through now: the writable one, else the secondary.
  std::shared_ptr<Db> Current() const;
  // Whether this process holds write access now.
  bool writable() const;

  // A secondary catches up with the writing process's commits. (One that a
  // read transaction has pinned is left as it is, and replaced.)
  Status Refresh();

  // The latest committed state, fixed, for a read transaction. It is read
  // from a secondary, never from the writable Db, so that a transaction
  // that stays open does not keep this process from handing write access
  // over. A secondary serves pins as long as it is not caught up again;
  // a newer state gets a new secondary.
  Result<std::shared_ptr<const Snapshot>> PinnedView();

  // Write access, for one write transaction, import, compaction or
  // settlement: the writable Db, taken from another process if need be as
  // `wait` waits (write_handoff.h; Busy, naming the process, at its
  // deadline). Until the matching EndWriting(), this process keeps it.
  Result<std::shared_ptr<Db>> BeginWriting(WriteAccessWait& wait);
  void EndWriting();

  // The props text of every edge (node) of the latest state, once a scan
  // has collected it (held_props.h); shared by the process's connections.
  HeldPropsSlot& held_edge_props() { return held_edge_props_; }
  HeldPropsSlot& held_node_props() { return held_node_props_; }

 private:
  explicit SharedGraph(std::string path) : path_(std::move(path)) {}
  // The writable Db is taken now, if it is free. Requires mu_.
  Status AdoptWritableLocked(std::shared_ptr<Db> db);
  // Counts a writer; the first takes the WritingMark. Requires mu_.
  void MarkWritingLocked();
  // Another process asks for write access (from the watcher's thread).
  void Asked();
  // Lets write access go: reads move to a new secondary.
  void HandOverLocked();

  // A secondary, and how many pinned views read it.
  struct Reader {
    std::shared_ptr<Db> db;
    std::shared_ptr<std::atomic<int>> pins = std::make_shared<std::atomic<int>>(0);
  };
  // reader_ caught up with the latest commits, or a new one if it is
  // pinned. Requires mu_.
  Status FreshReaderLocked();

  const std::string path_;
  mutable std::mutex mu_;
  std::shared_ptr<Db> writable_;      // while this process holds write access
  Reader reader_;                     // opened when first needed
  std::weak_ptr<Db> handed_over_;     // the writable Db let go, while still open
  int writers_ = 0;                   // BeginWriting()s not yet ended
  std::unique_ptr<WritingMark> writing_mark_;  // while writers_ > 0
  bool wanted_ = false;               // another process asked while writers_ > 0
  std::unique_ptr<WriteRequestWatcher> watcher_;
  HeldPropsSlot held_edge_props_;
  HeldPropsSlot held_node_props_;
};

}  // namespace samverkan::sql
