#include "samverkan/parallel.h"

#include <exception>
#include <utility>

namespace samverkan {

TaskGroup::TaskGroup(unsigned threads) {
  try {
    for (unsigned i = 0; i < std::max(1u, threads); ++i) {
      threads_.emplace_back([this] { Work(); });
    }
  } catch (...) {
    // The threads that did start must end before the members go.
    {
      std::lock_guard lock(mu_);
      ending_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
    throw;
  }
}

TaskGroup::~TaskGroup() {
  WaitIdle();
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

void TaskGroup::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return unfinished_ == 0; });
}

Status TaskGroup::Wait(const Interrupt& interrupt) {
  {
    std::unique_lock lock(mu_);
    while (!idle_.wait_for(lock, std::chrono::milliseconds(5),
                           [this] { return unfinished_ == 0; })) {
      if (error_.ok() && !exception_ && interrupt.Requested()) error_ = Interrupt::Stopped();
    }
  }
  std::lock_guard lock(mu_);
  if (exception_) std::rethrow_exception(std::exchange(exception_, nullptr));
  return error_;
}

void AllocateExceptionState() {
  // Stored, so that the compiler keeps the call: it is declared pure.
  [[maybe_unused]] volatile int pending = std::uncaught_exceptions();
}

void TaskGroup::Work() {
  AllocateExceptionState();
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return ending_ || !queue_.empty(); });
    if (queue_.empty()) return;  // ending
    std::function<Status()> task = std::move(queue_.front());
    queue_.pop_front();
    if (error_.ok() && !exception_) {
      lock.unlock();
      Status s;
      std::exception_ptr thrown;
      try {
        s = task();
      } catch (...) {
        thrown = std::current_exception();
      }
      task = nullptr;  // its captures die outside the lock, like its work
      lock.lock();
      if (thrown && !exception_ && error_.ok()) {
        exception_ = std::move(thrown);
      } else if (!s.ok() && error_.ok() && !exception_) {
        error_ = std::move(s);
      }
    }
    if (--unfinished_ == 0) idle_.notify_all();
  }
}

}  // namespace samverkan
