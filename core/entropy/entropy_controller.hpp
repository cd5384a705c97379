// Runs an entropy schedule against the cluster: each fault applied at its
// planned time, held for its period and undone, with its start and stop in
// the history (process `nemesis`). Faults in force when the run is stopped
// are undone at once.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "atomixtest/history.hpp"
#include "entropy/nemesis.hpp"

namespace atomixtest {

struct FaultTiming {
    int sequence = 0;
    int64_t planned_ns = 0;  // from the start of the entropy phase
    int64_t actual_ns = 0;   // when it was applied (-1: not reached)
    std::string error;       // why it could not be applied, if it could not
};

class EntropyController {
  public:
    EntropyController(Nemesis& nemesis, const EntropySchedule& schedule, HistoryRecorder& history,
                      std::ostream& log);

    void run(std::chrono::steady_clock::time_point start, const std::atomic<bool>& stop);

    std::vector<FaultTiming> timings() const;
    std::string in_force() const;  // e.g. "crash (node 2)", or "" when none

  private:
    void record(const char* f, const ActiveFault& fault);

    Nemesis& nemesis_;
    const EntropySchedule& schedule_;
    HistoryRecorder& history_;
    std::ostream& log_;
    mutable std::mutex mutex_;
    std::vector<FaultTiming> timings_;
    std::string in_force_;
};

// Sleeps until `when` or until stop is set; returns false when stopped.
bool sleep_until_or_stop(std::chrono::steady_clock::time_point when, const std::atomic<bool>& stop);

}  // namespace atomixtest
