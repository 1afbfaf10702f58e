#pragma once
// A bounded channel between the stages of a pipeline, each on its own thread (kaidah sweep: read,
// evaluate, write). push() waits while the channel is full, so a fast stage cannot run ahead of a
// slow one and fill memory; pop() waits while it is empty. close() says no more will come (what is
// in it is still popped); abort() stops every stage at once, what is in it dropped.

#include <condition_variable>
#include <deque>
#include <mutex>

namespace kaidah::cli {

template <class T>
class Channel {
 public:
  explicit Channel(std::size_t capacity) : capacity_(capacity) {}

  // False when the channel was closed or aborted: the item was not taken.
  bool push(T item) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return items_.size() < capacity_ || closed_ || aborted_; });
    if (closed_ || aborted_) return false;
    items_.push_back(std::move(item));
    changed_.notify_all();
    return true;
  }
  // False when the channel is closed and empty, or aborted.
  bool pop(T& item) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !items_.empty() || closed_ || aborted_; });
    if (aborted_ || items_.empty()) return false;
    item = std::move(items_.front());
    items_.pop_front();
    changed_.notify_all();
    return true;
  }
  void close() { set(closed_); }
  void abort() { set(aborted_); }

 private:
  void set(bool& flag) {
    std::lock_guard lock(mutex_);
    flag = true;
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<T> items_;
  std::size_t capacity_;
  bool closed_ = false, aborted_ = false;
};

}  // namespace kaidah::cli
