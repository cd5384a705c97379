// What the checker may hold (--memory-limit), as one account shared by the
// parsed history, the keys' searches and the failing windows. Each part
// charges what it allocates as it allocates it; the process's resident size,
// read now and then, adds what the charges miss (allocator slack, a thread's
// stack), so that the limit holds for the resident size itself and the
// process ends by its own decision, never by the kernel's OOM killer.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace atomixtest {

class MemoryBudget {
  public:
    // 0: a quarter of the machine's memory. The resident size at
    // construction (the program itself) is not counted.
    explicit MemoryBudget(size_t limit);

    size_t limit() const { return limit_; }
    void charge(int64_t bytes) { charged_.fetch_add(bytes, std::memory_order_relaxed); }
    // Whether what is held, counted and uncounted, passed the limit.
    bool over() const { return held() > static_cast<int64_t>(limit_); }
    // Whether `bytes` more would still fit.
    bool fits(size_t bytes) const {
        return held() + static_cast<int64_t>(bytes) <= static_cast<int64_t>(limit_);
    }
    int64_t held() const {
        return charged_.load(std::memory_order_relaxed) +
               uncounted_.load(std::memory_order_relaxed);
    }
    // Reads the resident size and updates the uncounted part; cheap enough
    // for every few milliseconds, not for every step.
    void sample();

  private:
    size_t limit_;
    int64_t baseline_ = 0;
    std::atomic<int64_t> charged_{0};
    std::atomic<int64_t> uncounted_{0};
};

// Thrown where a part of the check would take the budget past its limit and
// cannot do with less (the history being read): the check ends undecided.
struct MemoryLimitReached {};

// Charges a size for as long as it lives; resize() charges the difference.
class MemoryCharge {
  public:
    MemoryCharge() = default;
    MemoryCharge(MemoryBudget* budget, size_t bytes) : budget_(budget) { resize(bytes); }
    MemoryCharge(MemoryCharge&& other) noexcept
        : budget_(std::exchange(other.budget_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
    MemoryCharge& operator=(MemoryCharge&& other) noexcept {
        resize(0);
        budget_ = std::exchange(other.budget_, nullptr);
        bytes_ = std::exchange(other.bytes_, 0);
        return *this;
    }
    ~MemoryCharge() { resize(0); }
    void resize(size_t bytes) {
        if (budget_) budget_->charge(static_cast<int64_t>(bytes) - static_cast<int64_t>(bytes_));
        bytes_ = bytes;
    }
    size_t bytes() const { return bytes_; }
    MemoryBudget* budget() const { return budget_; }

  private:
    MemoryBudget* budget_ = nullptr;
    size_t bytes_ = 0;
};

}  // namespace atomixtest
