// The keys' searches on the checker's threads, in turns: each search runs for
// a slice, then goes to the back of the queue if undecided, so a key that is
// hard to decide holds back no other. The verdict comes first: as soon as one
// key is proved not linearizable the others stop (unless all_keys), and that
// key's failing window is found. A Ctrl-C or the timeout stops them all.
#pragma once

#include <chrono>
#include <vector>

#include "atomixtest/check.hpp"
#include "check/memory_budget.hpp"
#include "check/partition.hpp"

namespace atomixtest {

// Searches the partitions; each ends with its outcome (and window). Returns
// when the verdict was known (not linearizable), or the end if it never was.
std::chrono::steady_clock::time_point search_keys(std::vector<Partition>& parts,
                                                  const CheckOptions& options, MemoryBudget& budget,
                                                  std::chrono::steady_clock::time_point deadline);

}  // namespace atomixtest
