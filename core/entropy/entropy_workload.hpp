// The entropy run's workload, whichever it is: the register workload (model
// kv, checked for linearizability) or a transactional one (list-append or
// rw-register, checked for a consistency model), chosen by --workload. Both
// are open loop, with Jepsen's processes, and replay from the run's seed.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atomixtest/client.hpp"
#include "atomixtest/history.hpp"
#include "entropy/workload.hpp"
#include "scenario/entropy_options.hpp"

namespace atomixtest {

class EntropyWorkload {
  public:
    virtual ~EntropyWorkload() = default;
    // Writes `count` operations as fast as the processes can, before the faults.
    virtual void prime(int64_t count, const std::atomic<bool>& stop) = 0;
    // Invokes operations on the timetable until `until` or stop, then waits
    // for those in flight.
    virtual void run(std::chrono::steady_clock::time_point until,
                     const std::atomic<bool>& stop) = 0;
    virtual WorkloadCounts counts() const = 0;
};

std::unique_ptr<EntropyWorkload> make_entropy_workload(const TxnWorkloadOptions& txn,
                                                       std::shared_ptr<ClientPlugin> client,
                                                       std::vector<Endpoint> endpoints,
                                                       HistoryRecorder& history,
                                                       WorkloadOptions options);

}  // namespace atomixtest
