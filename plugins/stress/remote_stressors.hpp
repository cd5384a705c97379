// Stress on nodes this process cannot enter (Backend::reaches_nodes_in_process
// is false: pods reached through the node agent). The backend starts
// stress-ng detached in the node's cgroups and PID namespace, and
// atomixtest-node-tool finds and ends it there; the checks are those of the
// in-process path, read through the tool.
#pragma once

#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "stress_spec.hpp"

namespace atomixtest::stress {

std::string start_remote_stressors(Backend& backend, const std::string& cluster, int node,
                                   const StressSpec& spec, int64_t memory_bytes);
std::vector<int> remote_stressors_of(Backend& backend, const std::string& cluster, int node);
void stop_remote_stressors(Backend& backend, const std::string& cluster, int node);
std::string remote_stressor_command(Backend& backend, const std::string& cluster, int node);

}  // namespace atomixtest::stress
