#include "check/key_scheduler.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

namespace atomixtest {

namespace {

using Clock = std::chrono::steady_clock;

// Long enough that a key decided at once pays nothing for the turns, short
// enough that ten hard keys on two threads do not hide an easy one for long.
constexpr auto kSlice = std::chrono::milliseconds(20);

class KeyQueue {
  public:
    KeyQueue(std::vector<Partition>& parts, const CheckOptions& options, MemoryBudget& budget,
             Clock::time_point deadline)
        : parts_(parts), options_(options), budget_(budget), deadline_(deadline) {
        // Largest first: on many cores, the longest search starts earliest.
        for (size_t i = 0; i < parts.size(); ++i) queue_.push_back(i);
        std::stable_sort(queue_.begin(), queue_.end(), [&](size_t a, size_t b) {
            return parts[a].input.ops.size() > parts[b].input.ops.size();
        });
    }

    void work() {
        for (size_t i; take(i);) {
            auto& part = parts_[i];
            if (stop_.load() && !options_.all_keys) {
                part.outcome.verdict = Verdict::Unknown;
                part.outcome.undecided = part.search ? Undecided::Stopped : Undecided::Unsearched;
                part.search.reset();
                continue;
            }
            if (!part.search) {
                SearchLimits limits{deadline_, &budget_, options_.all_keys ? nullptr : &stop_};
                part.search =
                    std::make_unique<LinearizationSearch>(part.input, *part.space, limits);
            }
            budget_.sample();
            if (!part.search->run(Clock::now() + kSlice)) {
                give_back(i);
                continue;
            }
            part.outcome = std::move(part.search->outcome());
            part.search.reset();  // its memory goes back to the others
            if (part.outcome.verdict == Verdict::NotLinearizable) explain(part);
        }
    }

    Clock::time_point verdict_at() const { return verdict_at_; }

  private:
    bool take(size_t& i) {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) return false;
        i = queue_.front();
        queue_.pop_front();
        return true;
    }
    void give_back(size_t i) {
        std::lock_guard lock(mutex_);
        queue_.push_back(i);
    }
    // The first key proved not linearizable stops the others (verdict first)
    // and gets its failing window; with all_keys, every such key does.
    void explain(Partition& part) {
        {
            std::lock_guard lock(mutex_);
            if (verdict_at_ == Clock::time_point::max()) verdict_at_ = Clock::now();
            if (!options_.all_keys) {
                if (stop_.load()) return;
                stop_ = true;
            }
        }
        SearchLimits limits{std::min(deadline_, Clock::now() + options_.window_time), &budget_,
                            nullptr};
        part.window = find_failing_window(part.input, part.outcome, *part.space, limits);
        part.outcome.deepest = {};
    }

    std::vector<Partition>& parts_;
    const CheckOptions& options_;
    MemoryBudget& budget_;
    Clock::time_point deadline_;
    std::mutex mutex_;
    std::deque<size_t> queue_;
    std::atomic<bool> stop_{false};
    Clock::time_point verdict_at_ = Clock::time_point::max();
};

}  // namespace

Clock::time_point search_keys(std::vector<Partition>& parts, const CheckOptions& options,
                              MemoryBudget& budget, Clock::time_point deadline) {
    KeyQueue queue(parts, options, budget, deadline);
    unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(parts.size())));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back([&] { queue.work(); });
    queue.work();
    for (auto& thread : pool) thread.join();
    return queue.verdict_at();
}

}  // namespace atomixtest
