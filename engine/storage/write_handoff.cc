// The request is a file in the graph directory, written by the asker; the
// holder watches the directory with inotify, so it wakes at once and costs
// nothing while nobody asks. The file's content (the asker's pid) is only
// for people looking at the directory.
#include "samverkan/write_handoff.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "storage/open_registry.h"

namespace samverkan {
namespace {

constexpr const char* kRequestFile = "WRITE-WANTED";
constexpr const char* kWritingFile = "WRITING";

// O_NOFOLLOW: the directory is the graph's, but a link planted there must
// not make us create or lock a file elsewhere.
int OpenInGraph(const std::string& path, const char* name, int flags) {
  return open((path + "/" + name).c_str(), flags | O_NOFOLLOW | O_CLOEXEC, 0644);
}

class FlockMark final : public WritingMark {
 public:
  explicit FlockMark(int fd) : fd_(fd) {}
  ~FlockMark() override { close(fd_); }  // closing drops the flock

 private:
  int fd_;
};

// What the watching thread uses, shared with the watcher object so that
// the thread can outlive it (when its own callback destroys the watcher).
struct WatchState {
  WatchState(int inotify_fd, int stop_fd, std::function<void()> callback)
      : inotify(inotify_fd), stop(stop_fd), asked(std::move(callback)) {}
  ~WatchState() {
    close(inotify);
    close(stop);
  }
  const int inotify;
  const int stop;
  const std::function<void()> asked;
  std::atomic<bool> orphaned{false};
};

void Watch(const std::shared_ptr<WatchState>& state) {
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    pollfd fds[2] = {{state->inotify, POLLIN, 0}, {state->stop, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    const ssize_t n = read(state->inotify, buffer, sizeof buffer);
    if (n <= 0) continue;
    bool wanted = false;
    for (ssize_t at = 0; at < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
      if (e->len > 0 && std::strcmp(e->name, kRequestFile) == 0) wanted = true;
      at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
    }
    if (wanted) state->asked();
    if (state->orphaned) return;
  }
}

class InotifyWatcher final : public WriteRequestWatcher {
 public:
  explicit InotifyWatcher(std::shared_ptr<WatchState> state) : state_(std::move(state)) {
    thread_ = std::thread([state = state_] { Watch(state); });
  }

  ~InotifyWatcher() override {
    if (thread_.get_id() == std::this_thread::get_id()) {
      // Destroyed by its own callback: the thread ends when that returns.
      state_->orphaned = true;
      thread_.detach();
      return;
    }
    const uint64_t one = 1;
    (void)!write(state_->stop, &one, sizeof one);
    thread_.join();
  }

 private:
  std::shared_ptr<WatchState> state_;
  std::thread thread_;
};

}  // namespace

std::optional<long> WriteAccessHolder(const std::string& path) {
  // Asking the kernel about a lock this process holds would drop it (see
  // LockHolder), so our own opens are looked up first.
  if (storage::ClaimedHere(path)) return static_cast<long>(getpid());
  if (auto pid = storage::LockHolder(path)) return static_cast<long>(*pid);
  return std::nullopt;
}

Result<std::unique_ptr<WritingMark>> WritingMark::Take(const std::string& path) {
  int fd = OpenInGraph(path, kWritingFile, O_RDONLY | O_CREAT);
  if (fd < 0) {
    return Status::IOError(
        fmt::format("cannot mark graph '{}' as being written: {}", path, std::strerror(errno)));
  }
  // flock, not fcntl: closing another descriptor of the file in this
  // process (AnotherProcessIsWriting) must not drop it. Never waits: only
  // the process with write access takes the mark, so another holder can
  // only be one that is letting go; the mark is advice to askers, and a
  // writer without it is still the only writer.
  while (flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EINTR) {
  }
  return std::unique_ptr<WritingMark>(std::make_unique<FlockMark>(fd));
}

bool AnotherProcessIsWriting(const std::string& path) {
  int fd = OpenInGraph(path, kWritingFile, O_RDONLY);
  if (fd < 0) return false;
  const bool free = flock(fd, LOCK_SH | LOCK_NB) == 0;
  close(fd);
  return !free;
}

Status RequestWriteAccess(const std::string& path) {
  int fd = OpenInGraph(path, kRequestFile, O_WRONLY | O_CREAT | O_TRUNC);
  if (fd < 0) {
    return Status::IOError(
        fmt::format("cannot ask for write access to graph '{}': {}", path, std::strerror(errno)));
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  (void)!write(fd, pid.data(), pid.size());
  close(fd);  // the close is what the holder's inotify reports
  return Status::OK();
}

Result<std::unique_ptr<WriteRequestWatcher>> WriteRequestWatcher::Start(
    const std::string& path, std::function<void()> asked) {
  int inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify < 0) {
    return Status::IOError(fmt::format("cannot watch graph '{}': {}", path, std::strerror(errno)));
  }
  if (inotify_add_watch(inotify, path.c_str(), IN_CLOSE_WRITE | IN_ONLYDIR) < 0) {
    const int error = errno;
    close(inotify);
    return Status::IOError(fmt::format("cannot watch graph '{}': {}", path, std::strerror(error)));
  }
  int stop = eventfd(0, EFD_CLOEXEC);
  if (stop < 0) {
    const int error = errno;
    close(inotify);
    return Status::IOError(fmt::format("cannot watch graph '{}': {}", path, std::strerror(error)));
  }
  return std::unique_ptr<WriteRequestWatcher>(std::make_unique<InotifyWatcher>(
      std::make_shared<WatchState>(inotify, stop, std::move(asked))));
}

WriteAccessWait::WriteAccessWait(std::string path, std::chrono::milliseconds timeout,
                                 const Interrupt& interrupt)
    : path_(std::move(path)),
      start_(std::chrono::steady_clock::now()),
      deadline_(start_ + std::max(timeout, std::chrono::milliseconds(0))),
      interrupt_(interrupt) {}

Status WriteAccessWait::Take(const std::function<Status()>& take) {
  using Clock = std::chrono::steady_clock;
  const long self = static_cast<long>(getpid());
  auto last_ask = start_ - kAskAgain;
  for (;;) {
    // The holder is looked up first, without opening anything: an open
    // that fails on the LOCK costs far more than a look every millisecond.
    const std::optional<long> holder = WriteAccessHolder(path_);
    const bool other = holder && *holder != self;
    Status taken = Status::Locked(fmt::format("graph '{}' is locked", path_));
    if (!other) {
      taken = take();
      if (!taken.IsLocked()) return taken;
      // Another process took it between our look and our open, or a
      // writable open of ours is still closing.
    }
    const auto now = Clock::now();
    if (other && now - last_ask >= kAskAgain) {
      SV_RETURN_IF_ERROR(RequestWriteAccess(path_));
      last_ask = now;
    }
    if (now >= deadline_ &&
        (now >= start_ + kHandOverGrace || !other || AnotherProcessIsWriting(path_))) {
      if (other) {
        return Status::Busy(fmt::format("graph '{}' is being written by another process (pid {})",
                                        path_, *holder));
      }
      if (holder) {
        return Status::Busy(fmt::format(
            "graph '{}' is still being read through its writable open in this process", path_));
      }
      return taken;
    }
    SV_RETURN_IF_ERROR(interrupt_.Check());
    std::this_thread::sleep_for(kPoll);
  }
}

Status WriteAccessWait::WhileBusy(const std::function<Status()>& attempt) {
  using Clock = std::chrono::steady_clock;
  // SQLite's own busy handler pauses 1, 2, 5, 10, ... up to 100 ms; a graph
  // writer's transactions are as short, so the same shape serves.
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    Status s = attempt();
    if (s.code() != Status::Code::kBusy) return s;
    const auto now = Clock::now();
    if (now >= deadline_) return s;
    SV_RETURN_IF_ERROR(interrupt_.Check());
    std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline_ - now));
    pause = std::min(pause * 2, std::chrono::milliseconds(100));
  }
}

}  // namespace samverkan
