// Handing a graph's write access from one process to another.
//
// RocksDB lets one process at a time open a graph for writing, and that
// process keeps the right until it closes the graph. SQLite's model is the
// one our users know: any process reads, and the write lock is held for the
// length of a write transaction. To get it, a process that holds a graph
// open for writing hands it over when another asks, once it is idle:
//
//   asker                                  holder
//   RequestWriteAccess(path)  ---------->  WriteRequestWatcher calls `asked`
//   Db::Open(path) returns Locked ...      ... finishes its write transaction,
//                                          closes its writable Db
//   Db::Open(path) succeeds
//
// The asker retries the open for as long as it is willing to wait. Nothing
// depends on the holder being alive: the kernel releases a dead process's
// lock, and the next open succeeds.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "samverkan/interrupt.h"
#include "samverkan/result.h"

namespace samverkan {

// The id of the process that holds the graph at `path` open for writing,
// or nullopt when none does. This process's own id while one of its opens
// holds it (or is still closing).
std::optional<long> WriteAccessHolder(const std::string& path);

// Held by a process while it writes the graph at `path` (a write
// transaction, an import), so that an asker can tell a holder that is
// writing (wait, as for a lock, up to the busy timeout) from one that is
// idle (it lets go at once). The kernel drops it with its process.
class WritingMark {
 public:
  // IOError when the graph directory cannot hold the mark's file.
  static Result<std::unique_ptr<WritingMark>> Take(const std::string& path);
  virtual ~WritingMark() = default;

 protected:
  WritingMark() = default;
};

// True when another process holds a WritingMark on the graph at `path`.
bool AnotherProcessIsWriting(const std::string& path);

// Asks the process holding the graph at `path` open for writing, if any, to
// let go of it. Returns at once; harmless when nobody holds it.
Status RequestWriteAccess(const std::string& path);

// Calls `asked` on a thread of its own each time another process calls
// RequestWriteAccess for the graph at `path`, until destroyed. `asked` must
// not block for long; it may destroy the watcher's owner (the watcher then
// lets its thread finish on its own).
class WriteRequestWatcher {
 public:
  static Result<std::unique_ptr<WriteRequestWatcher>> Start(const std::string& path,
                                                            std::function<void()> asked);
  virtual ~WriteRequestWatcher() = default;

 protected:
  WriteRequestWatcher() = default;
};

// One would-be writer's wait for the graph at `path`, as SQLite waits for
// a lock; the SQL extension and the command-line tool both wait this way.
// The wait has one deadline, `timeout` (the busy timeout) after it was made,
// for all its steps: taking write access from another process (Take), then
// waiting out this process's own writers (WhileBusy).
//
//   WriteAccessWait wait(path, std::chrono::milliseconds(busy_timeout), interrupt);
//   SV_RETURN_IF_ERROR(wait.Take([&] { return OpenForWriting(); }));
//   SV_RETURN_IF_ERROR(wait.WhileBusy([&] { return BeginTransaction(); }));
//
// Interrupted as soon as `interrupt` fires (it must outlive the wait).
class WriteAccessWait {
 public:
  // How often the wait looks whether the graph is free, and asks its holder
  // again (in case the holder was busy and the request fell between its
  // checks).
  static constexpr std::chrono::milliseconds kPoll{1};
  static constexpr std::chrono::milliseconds kAskAgain{200};
  // How long the wait gives a holder that is not writing (holds no
  // WritingMark) to let go, whatever the timeout: that is a hand-over, not
  // a lock held (SQLite would let the writer in at once), and takes some
  // 20 ms.
  static constexpr std::chrono::milliseconds kHandOverGrace{1000};

  WriteAccessWait(std::string path, std::chrono::milliseconds timeout,
                  const Interrupt& interrupt = Interrupt::Never());

  // Write access from whichever process holds it. Calls `take` (which opens
  // the graph for writing, or finds it open in this process) whenever no
  // other process holds the graph, until it returns anything but Locked, and
  // returns that. Meanwhile asks the holder to let go; Busy, naming the
  // holder, once the deadline has passed while it writes, or the grace too
  // while it is idle.
  Status Take(const std::function<Status()>& take);

  // Calls `attempt` until it returns anything but Busy (another writer in
  // this process), pausing as SQLite's busy handler does (1, 2, 4, ... up to
  // 100 ms), until the deadline; then returns the last Busy.
  Status WhileBusy(const std::function<Status()>& attempt);

  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  const std::chrono::steady_clock::time_point start_;
  const std::chrono::steady_clock::time_point deadline_;
  const Interrupt& interrupt_;
};

}  // namespace samverkan
