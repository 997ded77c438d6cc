#include "util/parallel.h"

namespace samverkan {

TaskGroup::TaskGroup(unsigned threads) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) threads_.emplace_back([this] { Work(); });
}

TaskGroup::~TaskGroup() {
  (void)Wait();
  {
    std::lock_guard lock(mu_);
    ending_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void TaskGroup::Run(std::function<Status()> task) {
  {
    std::lock_guard lock(mu_);
    ++unfinished_;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
}

Status TaskGroup::Wait() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return unfinished_ == 0; });
  return error_;
}

void TaskGroup::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return ending_ || !queue_.empty(); });
    if (queue_.empty()) return;  // ending
    std::function<Status()> task = std::move(queue_.front());
    queue_.pop_front();
    if (error_.ok()) {
      lock.unlock();
      Status s = task();
      task = nullptr;  // its captures die outside the lock, like its work
      lock.lock();
      if (!s.ok() && error_.ok()) error_ = std::move(s);
    }
    if (--unfinished_ == 0) idle_.notify_all();
  }
}

}  // namespace samverkan
