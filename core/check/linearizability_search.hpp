// The search for one partition (one key): Wing & Gong's algorithm with Lowe's
// just-in-time linearization, as Porcupine's checkSingle. The history is a
// doubly linked list of invocations and completions in time order; the search
// linearizes any operation whose invocation comes before the first completion
// still in the list, and backtracks when it reaches a completion whose
// operation it could not linearize. A cache of (linearized set, state) pairs
// already explored prunes the search; the set is hashed incrementally
// (Zobrist) and stored sparsely, so a step costs a model step and one probe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

#include "check/search_model.hpp"

namespace atomixtest {

struct PartitionInput {
    std::vector<SearchOp> ops;
    std::vector<uint64_t> call;  // position of each invocation in the history
    std::vector<uint64_t> ret;   // of each completion; kNever for info
    int64_t initial = 0;
};

// When a search gives up, undecided: at a time, or when its memory of the
// configurations explored outgrows a size (a hard key must not take the
// machine's memory with it).
struct SearchLimits {
    std::chrono::steady_clock::time_point at = std::chrono::steady_clock::time_point::max();
    size_t memory_bytes = SIZE_MAX;
    bool passed() const { return std::chrono::steady_clock::now() >= at; }
};

struct SearchOutcome {
    Verdict verdict = Verdict::Linearizable;
    bool out_of_memory = false;     // undecided because memory_bytes was reached
    std::vector<uint32_t> deepest;  // the longest linearization found, in order
    uint32_t stuck = UINT32_MAX;    // the operation it could not place after that
};

SearchOutcome search_linearization(const PartitionInput& input, StateSpace& space,
                                   const SearchLimits& limits);

// The same operations restricted to `keep` (indices into input.ops), starting
// from `initial`; positions are kept, so real-time order is unchanged.
PartitionInput restrict_partition(const PartitionInput& input, const std::vector<uint32_t>& keep,
                                  int64_t initial);

}  // namespace atomixtest
