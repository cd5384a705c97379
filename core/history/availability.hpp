// Availability of a run: of the operations invoked while a fault was in force,
// and of those invoked outside any fault, the share the system answered: `ok`,
// or a compare-and-set it refused because the register held another value (a
// `fail` without an error). Timeouts and refusals (`info`, `fail` with an
// error) are what unavailability is.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "atomixtest/history.hpp"

namespace atomixtest {

struct AvailabilityCounts {
    uint64_t invoked = 0;
    uint64_t answered = 0;
    double ratio() const { return invoked == 0 ? 1.0 : static_cast<double>(answered) / invoked; }
};

struct Availability {
    AvailabilityCounts during_faults;
    AvailabilityCounts outside_faults;
    std::vector<int64_t> ok_latencies_ns;  // invoke to ok completion, sorted
    AvailabilityCounts overall() const;
    nlohmann::json to_json() const;
};

// Fed the events in history order (a file can be streamed through it).
class AvailabilityTally {
  public:
    void add(const HistoryEvent& event);
    Availability result() const;

  private:
    int faults_in_force_ = 0;
    struct Open {
        bool during_fault = false;
        int64_t invoked_ns = 0;
    };
    std::map<int64_t, Open> open_;  // by process
    Availability tally_;
};

}  // namespace atomixtest
