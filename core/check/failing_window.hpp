// When a partition is not linearizable, the few operations that show why:
// start from the longest linearization the search found, take the latest
// point of it after which the remaining operations (up to the completion the
// search could not get past) still cannot be linearized from the state
// reached there, then drop every operation that is not needed for that
// (delta debugging), so the window is 1-minimal.
#pragma once

#include <optional>
#include <vector>

#include "check/linearizability_search.hpp"

namespace atomixtest {

struct WindowFound {
    size_t prefix_length = 0;
    std::vector<uint32_t> prefix_tail;  // the last few operations of the prefix, in order
    int64_t state = 0;                  // after the prefix
    std::vector<uint32_t> operations;   // in order of invocation
};

// As small as the time allows: when the deadline passes (or a subset is too
// hard to decide) the shrinking stops where it got, at worst the whole
// partition, which the search showed not linearizable.
std::optional<WindowFound> find_failing_window(const PartitionInput& input,
                                               const SearchOutcome& outcome, StateSpace& space,
                                               const SearchLimits& limits);

}  // namespace atomixtest
