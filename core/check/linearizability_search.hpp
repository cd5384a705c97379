// The search for one partition (one key): Wing & Gong's algorithm with Lowe's
// just-in-time linearization, as Porcupine's checkSingle. The history is a
// doubly linked list of invocations and completions in time order; the search
// linearizes any operation whose invocation comes before the first completion
// still in the list, and backtracks when it reaches a completion whose
// operation it could not linearize. A cache of (linearized set, state) pairs
// already explored prunes the search; the set is hashed incrementally
// (Zobrist) and stored sparsely, so a step costs a model step and one probe.
//
// A search can be paused and resumed, so that the checker shares its threads
// among the keys: one hard key does not hold back the verdict of the others.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "check/memory_budget.hpp"
#include "check/search_model.hpp"

namespace atomixtest {

struct PartitionInput {
    std::vector<SearchOp> ops;
    std::vector<uint64_t> call;  // position of each invocation in the history
    std::vector<uint64_t> ret;   // of each completion; kNever for info
    int64_t initial = 0;

    size_t bytes() const {
        return ops.capacity() * sizeof(SearchOp) +
               (call.capacity() + ret.capacity()) * sizeof(uint64_t);
    }
};

// When a search gives up, undecided: at a time, when the verdict is known
// from another key (stop), on Ctrl-C, or when its memory of the
// configurations explored no longer fits in the budget (a hard key must not
// take the machine's memory with it).
struct SearchLimits {
    std::chrono::steady_clock::time_point at = std::chrono::steady_clock::time_point::max();
    MemoryBudget* budget = nullptr;  // nullptr: unbounded
    const std::atomic<bool>* stop = nullptr;
    // Backtrack where a key with appends can no longer satisfy a read still
    // to come (the verdict is the same either way; only the longest
    // linearizable prefix found, for the failing window, can be shorter):
    // never, once the search has taken a few times as many steps as the key
    // has operations, or from the start.
    enum class LookAhead { Never, WhenSlow, Always } look_ahead = LookAhead::WhenSlow;
    uint64_t max_steps = UINT64_MAX;  // undecided (timeout) after this many steps
    bool passed() const { return std::chrono::steady_clock::now() >= at; }
};

struct SearchOutcome {
    Verdict verdict = Verdict::Unknown;
    Undecided undecided = Undecided::No;  // why the verdict is Unknown
    std::vector<uint32_t> deepest;        // the longest linearization found, in order
    uint32_t stuck = UINT32_MAX;          // the operation it could not place after that
    uint64_t steps = 0;                   // configurations tried
};

class LinearizationSearch {
  public:
    LinearizationSearch(const PartitionInput& input, StateSpace& space, const SearchLimits& limits);
    ~LinearizationSearch();

    // Searches until decided, given up (a limit), or `pause` passes; true
    // when finished: then outcome() holds the verdict or why it is undecided.
    bool run(std::chrono::steady_clock::time_point pause);
    const SearchOutcome& outcome() const;
    SearchOutcome& outcome();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

// A whole search at once.
SearchOutcome search_linearization(const PartitionInput& input, StateSpace& space,
                                   const SearchLimits& limits);

// The same operations restricted to `keep` (indices into input.ops), starting
// from `initial`; positions are kept, so real-time order is unchanged.
PartitionInput restrict_partition(const PartitionInput& input, const std::vector<uint32_t>& keep,
                                  int64_t initial);

}  // namespace atomixtest
