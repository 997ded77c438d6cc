// shared_graph.cc: see shared_graph.h.
#include "shared_graph.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "samverkan/interrupt.h"
#include "sql_busy.h"
#include "sql_interrupt.h"

namespace samverkan::sql {
namespace {

// Canonical path -> the process's SharedGraph; weak, so that the last
// connection to let go of a graph closes it.
std::mutex registry_mutex;
std::map<std::string, std::weak_ptr<SharedGraph>> registry;

Result<std::unique_ptr<Db>> OpenDb(const std::string& path, bool read_only, bool create) {
  Options options;
  options.read_only = read_only;
  options.create_if_missing = create;
  return Db::Open(path, options);
}

// How often a waiting writer looks whether the graph is free, and asks its
// holder again (in case the holder was busy and the request fell between
// its checks).
constexpr auto kPoll = std::chrono::milliseconds(1);
constexpr auto kAskAgain = std::chrono::milliseconds(200);
// How long a writer waits for a holder that is not writing to let go,
// whatever its busy timeout: that is a hand-over, not a lock held (SQLite
// would let it write at once), and takes some 20 ms.
constexpr auto kHandOverGrace = std::chrono::milliseconds(1000);

}  // namespace

Result<std::shared_ptr<SharedGraph>> SharedGraph::Acquire(const std::string& path, bool create,
                                                          bool prefer_reading) {
  std::lock_guard lock(registry_mutex);
  if (auto it = registry.find(path); it != registry.end()) {
    if (auto graph = it->second.lock()) return graph;
    registry.erase(it);
  }
  std::shared_ptr<SharedGraph> graph(new SharedGraph(path));
  std::lock_guard graph_lock(graph->mu_);
  if (!prefer_reading || (create && !std::filesystem::exists(path))) {
    // A secondary cannot create a graph: a read-only table's creation takes
    // write access just long enough to make it.
    auto opened = OpenDb(path, /*read_only=*/false, create);
    if (opened.ok()) {
      SV_RETURN_IF_ERROR(graph->AdoptWritableLocked(std::shared_ptr<Db>(std::move(*opened))));
      if (prefer_reading) graph->HandOverLocked();
    } else if (!opened.status().IsLocked()) {
      return opened.status();
    }
  }
  if (!graph->writable_) SV_RETURN_IF_ERROR(graph->FreshReaderLocked());
  registry[path] = graph;
  return graph;
}

SharedGraph::~SharedGraph() {
  // The watcher first: its callback must not run on a half-destroyed graph.
  watcher_.reset();
}

std::shared_ptr<Db> SharedGraph::Current() const {
  std::lock_guard lock(mu_);
  return writable_ ? writable_ : reader_.db;
}

bool SharedGraph::writable() const {
  std::lock_guard lock(mu_);
  return writable_ != nullptr;
}

Status SharedGraph::FreshReaderLocked() {
  if (reader_.db && reader_.pins->load() == 0) return reader_.db->Refresh();
  auto opened = OpenDb(path_, /*read_only=*/true, /*create=*/false);
  if (!opened.ok()) return opened.status();
  reader_ = Reader{std::shared_ptr<Db>(std::move(*opened))};
  return Status::OK();
}

Status SharedGraph::Refresh() {
  std::lock_guard lock(mu_);
  if (writable_) return Status::OK();
  return FreshReaderLocked();
}

Result<std::shared_ptr<const Snapshot>> SharedGraph::PinnedView() {
  std::lock_guard lock(mu_);
  SV_RETURN_IF_ERROR(FreshReaderLocked());
  std::shared_ptr<Db> db = reader_.db;
  std::shared_ptr<std::atomic<int>> pins = reader_.pins;
  ++*pins;
  // The snapshot keeps its Db open, and unpins it when it goes.
  return std::shared_ptr<const Snapshot>(db->GetSnapshot().release(),
                                         [db, pins](const Snapshot* s) {
                                           delete s;
                                           --*pins;
                                         });
}

Status SharedGraph::AdoptWritableLocked(std::shared_ptr<Db> db) {
  if (!watcher_) {
    std::weak_ptr<SharedGraph> self = weak_from_this();
    auto watcher = WriteRequestWatcher::Start(path_, [self] {
      if (auto graph = self.lock()) graph->Asked();
    });
    // Without a watcher this process could not hear another ask, and would
    // keep write access until it closes the graph.
    if (!watcher.ok()) return watcher.status();
    watcher_ = std::move(*watcher);
  }
  writable_ = std::move(db);
  return Status::OK();
}

Result<std::shared_ptr<Db>> SharedGraph::BeginWriting(sqlite3* sqlite) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::milliseconds(BusyTimeoutMs(sqlite));
  const auto grace = start + kHandOverGrace;
  auto interrupted = InterruptPredicate(sqlite);
  auto last_ask = start - kAskAgain;
  for (;;) {
    std::optional<long> holder;
    {
      std::lock_guard lock(mu_);
      if (!writable_) {
        if (auto ours = handed_over_.lock()) {
          // Let go, but still open here (a reader holds it): take it back.
          SV_RETURN_IF_ERROR(AdoptWritableLocked(std::move(ours)));
        }
      }
      if (writable_) {
        MarkWritingLocked();
        return writable_;
      }
      holder = WriteAccessHolder(path_);
      if (!holder) {
        auto opened = OpenDb(path_, /*read_only=*/false, /*create=*/false);
        if (opened.ok()) {
          SV_RETURN_IF_ERROR(AdoptWritableLocked(std::shared_ptr<Db>(std::move(*opened))));
          MarkWritingLocked();
          return writable_;
        }
        if (!opened.status().IsLocked()) return opened.status();
        // Another process took it between our look and our open.
      }
    }
    const auto now = Clock::now();
    // Held by another process, or (rarely) by a writable Db of ours that a
    // statement still reads after we let it go.
    const bool other = holder && *holder != static_cast<long>(getpid());
    if (other && now - last_ask >= kAskAgain) {
      SV_RETURN_IF_ERROR(RequestWriteAccess(path_));
      last_ask = now;
    }
    if (now >= deadline && (now >= grace || !other || AnotherProcessIsWriting(path_))) {
      return Status::Busy(
          other ? fmt::format("graph '{}' is being written by another process (pid {})", path_,
                              *holder)
                : fmt::format("graph '{}' is still being read through its writable open in "
                              "this process", path_));
    }
    if (interrupted()) return Interrupt::Stopped();
    std::this_thread::sleep_for(kPoll);
  }
}

void SharedGraph::MarkWritingLocked() {
  if (writers_++ > 0) return;
  // Advice to askers (write_handoff.h); writing goes on without it.
  auto mark = WritingMark::Take(path_);
  if (mark.ok()) writing_mark_ = std::move(*mark);
}

void SharedGraph::EndWriting() {
  std::lock_guard lock(mu_);
  if (writers_ > 0 && --writers_ == 0) writing_mark_.reset();
  if (wanted_ && writers_ == 0) HandOverLocked();
}

void SharedGraph::Asked() {
  std::lock_guard lock(mu_);
  if (!writable_) return;
  if (writers_ > 0) {
    wanted_ = true;  // EndWriting hands over
    return;
  }
  HandOverLocked();
}

void SharedGraph::HandOverLocked() {
  wanted_ = false;
  // Readers move to a secondary, opened while we still hold the graph so
  // that they always have one; if it cannot open, we keep write access
  // (the asker times out) rather than leave readers without a Db.
  if (!reader_.db && !FreshReaderLocked().ok()) return;
  handed_over_ = writable_;
  // Unless a statement still reads it, this closes the writable Db.
  writable_.reset();
}

}  // namespace samverkan::sql
