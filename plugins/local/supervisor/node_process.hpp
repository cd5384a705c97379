// One node of a local cluster as a process: started inside the node's network
// namespace, in a process group of its own so a stop reaches every process the
// node forked, and stopped with SIGTERM escalating to SIGKILL.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <vector>

#include "../cluster_state.hpp"

namespace atomixtest::local {

// Forks and execs the node; returns its pid (also its process group id).
pid_t start_node_process(const LocalNode& node, const std::filesystem::path& workdir,
                         const std::filesystem::path& log);

// Sends SIGTERM to every group, waits up to each grace period for the leaders to
// exit, then SIGKILLs what remains. Reaps the leaders.
struct StopRequest {
    pid_t pid;
    std::chrono::milliseconds grace;
};
void stop_node_processes(const std::vector<StopRequest>& requests);

}  // namespace atomixtest::local
