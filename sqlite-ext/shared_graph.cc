// shared_graph.cc: see shared_graph.h.
#include "shared_graph.h"

#include <filesystem>
#include <map>

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

Result<std::shared_ptr<Db>> SharedGraph::BeginWriting(WriteAccessWait& wait) {
  std::shared_ptr<Db> taken;
  SV_RETURN_IF_ERROR(wait.Take([&]() -> Status {
    std::lock_guard lock(mu_);
    if (!writable_) {
      if (auto ours = handed_over_.lock()) {
        // Let go, but still open here (a reader holds it): take it back.
        SV_RETURN_IF_ERROR(AdoptWritableLocked(std::move(ours)));
      } else {
        auto opened = OpenDb(path_, /*read_only=*/false, /*create=*/false);
        if (!opened.ok()) return opened.status();
        SV_RETURN_IF_ERROR(AdoptWritableLocked(std::shared_ptr<Db>(std::move(*opened))));
      }
    }
    MarkWritingLocked();
    taken = writable_;
    return Status::OK();
  }));
  return taken;
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
