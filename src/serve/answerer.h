#pragma once
// A streamed batch's second stage: chunks of rows answered on a thread of their own, in the order
// they are sent, while the stream reads the next (as the sweep's stages run). What the jobs write
// waits until the stream takes it, in its turn, to send.

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace kaidah::serve {

class Answerer {
 public:
  using Job = std::function<void(std::string& out)>;  // appends its answers to `out`

  // `capacity`: jobs that may wait; send() waits past it, so that a reader cannot run ahead.
  explicit Answerer(std::size_t capacity) : capacity_(capacity) { thread_ = std::thread([this] { run(); }); }
  // Stops: a job being answered finishes, those waiting are dropped.
  ~Answerer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  Answerer(const Answerer&) = delete;
  Answerer& operator=(const Answerer&) = delete;

  void send(Job job) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return jobs_.size() < capacity_; });
    jobs_.push_back(std::move(job));
    ++unanswered_;
    changed_.notify_all();
  }
  // Until every job sent is answered.
  void wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return unanswered_ == 0; });
  }
  // Appends what the jobs answered so far; then rethrows a job's failure, once.
  void take(std::string& out) {
    std::lock_guard lock(mutex_);
    out += answers_;
    answers_.clear();
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

 private:
  void run() {
    std::string written;
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !jobs_.empty() || stopping_; });
        if (stopping_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
        changed_.notify_all();
      }
      written.clear();
      std::exception_ptr failed;
      try {
        job(written);
      } catch (...) {  // no memory: said by take(), which stops the stream
        failed = std::current_exception();
      }
      std::lock_guard lock(mutex_);
      answers_ += written;
      if (failed && !failure_) failure_ = failed;
      --unanswered_;
      changed_.notify_all();
    }
  }

  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> jobs_;
  std::size_t unanswered_ = 0;  // jobs sent and not yet answered
  std::string answers_;
  std::exception_ptr failure_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kaidah::serve
