// The strobe daemons (strobe_daemon.cpp): one per node whose clock flips,
// started from this machine, detached so that it outlives the command that
// started it, and tagged with the cluster (ATOMIX_TEST_CLUSTER) so that a
// teardown or `atomix-test gc` finds it after a crash. Found again by
// program, cluster and node, not by a pid file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process_clock.hpp"

namespace atomixtest::clock {

struct StrobeTarget {
    pid_t pid;
    uint64_t selector;  // the address of its selector byte
};

// What a strobe daemon is given (strobe_loop.hpp).
nlohmann::json strobe_spec(int node, std::chrono::nanoseconds period,
                           std::chrono::nanoseconds duration,
                           const std::vector<StrobeTarget>& targets);

// Starts the daemon; returns its pid once it holds the processes.
pid_t start_strobe(const std::string& cluster, int node, std::chrono::nanoseconds period,
                   std::chrono::nanoseconds duration, const std::vector<StrobeTarget>& targets);

// Whether the selector byte of the process changes within `within`: the
// daemon is seen flipping it.
bool seen_flipping(const StrobeTarget& target, std::chrono::nanoseconds within);

// The daemons flipping the cluster's clocks (pids), by node: one reading of
// the tagged processes.
std::map<int, std::vector<pid_t>> strobes_of(const std::string& cluster);

// Ends them (each leaves its selectors at 0) and returns once they are gone.
void stop_strobes(const std::vector<pid_t>& daemons);

}  // namespace atomixtest::clock
