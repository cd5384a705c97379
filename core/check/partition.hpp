// One key's share of a history, ready to search: its operations translated
// for the model, the info writes nobody saw left out, and where its search,
// paused or finished, stands.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "atomixtest/check.hpp"
#include "check/failing_window.hpp"
#include "check/linearizability_search.hpp"
#include "check/memory_budget.hpp"
#include "check/operations.hpp"

namespace atomixtest {

struct Partition {
    uint32_t key = 0;
    std::vector<uint32_t> table_index;  // of each search operation
    size_t translated = 0;              // operations before the unseen info writes left out
    PartitionInput input;
    std::unique_ptr<StateSpace> space;
    MemoryCharge charge;                          // of the above
    std::unique_ptr<LinearizationSearch> search;  // while under way
    SearchOutcome outcome;
    std::optional<WindowFound> window;
};

Partition translate_partition(const OperationTable& table, uint32_t key,
                              const std::vector<uint32_t>& indices, const CheckOptions& options,
                              MemoryBudget& budget);

}  // namespace atomixtest
