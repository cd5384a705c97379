// stress-ng for one node: a process of this machine started inside the node's
// network namespace and its cgroup (the node's own process's groups, on either
// backend), so it competes for the node's CPU and memory limits and needs
// nothing in the node's image. Found again by program and namespace, so a
// later command (destress, teardown, gc) finds what an earlier one started.
#pragma once

#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "stress_spec.hpp"

namespace atomixtest::stress {

// Starts the stressors and returns once they run where they should: every
// stress-ng process in the node's cgroups, and CPU workers seen using CPU.
// Returns what was checked, for `in force (verified: ...)`. Throws
// Environment when the node is not running, stress-ng is missing, or the
// check fails (the stressors are stopped first).
std::string start_stressors(Backend& backend, const std::string& cluster, int node,
                            const StressSpec& spec);

// The stress-ng processes in the node's namespace.
std::vector<int> stressors_of(Backend& backend, const std::string& cluster, int node);

// Ends them (SIGKILL to each process group) and returns once none is left.
void stop_stressors(Backend& backend, const std::string& cluster, int node);

// The command line of the node's stressors (empty when none runs).
std::string stressor_command(Backend& backend, const std::string& cluster, int node);

}  // namespace atomixtest::stress
