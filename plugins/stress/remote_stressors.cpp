#include "remote_stressors.hpp"

#include <chrono>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/node_tool.hpp"

namespace atomixtest::stress {

namespace {

std::vector<NodeProcess> stress_processes(Backend& backend, const std::string& cluster, int node) {
    return parse_node_processes(
        run_node_tool(backend, cluster, node, {"processes", "stress-ng"}).out);
}

long ticks_of(const std::vector<NodeProcess>& processes) {
    long sum = 0;
    for (const auto& process : processes) sum += process.cpu_ticks;
    return sum;
}

}  // namespace

std::string start_remote_stressors(Backend& backend, const std::string& cluster, int node,
                                   const StressSpec& spec, int64_t memory_bytes) {
    auto argv = stress_ng_argv(spec, memory_bytes);
    argv.front() = "stress-ng";  // the agent's image has it on its PATH
    NodeCommand command{.node = node, .argv = argv, .detached = true, .in_node_cgroup = true};
    auto started = backend.run_in_nodes(cluster, {command});
    if (started.empty() || started[0].exit_code != 0) {
        throw environment_error("stress-ng did not start in node " + std::to_string(node) + ": " +
                                (started.empty() ? std::string("not run") : started[0].err));
    }
    try {
        // A parent and a process per worker (a memory worker forks a child).
        size_t expected = 1 + static_cast<size_t>(spec.cpu + spec.io + spec.memory + spec.hdd);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        auto processes = stress_processes(backend, cluster, node);
        while (processes.size() < expected && std::chrono::steady_clock::now() < deadline) {
            processes = stress_processes(backend, cluster, node);
        }
        if (processes.empty()) {
            throw environment_error("stress-ng started in node " + std::to_string(node) +
                                    " but is not running there");
        }
        std::string effect = "node " + std::to_string(node) + ": " +
                             std::to_string(processes.size()) +
                             " stress-ng processes in its cgroups (through the node agent)";
        if (spec.cpu <= 0) return effect;
        long start = ticks_of(processes);
        while (std::chrono::steady_clock::now() < deadline + std::chrono::seconds(1)) {
            if (ticks_of(stress_processes(backend, cluster, node)) > start) {
                return effect + ", the CPU workers running";
            }
        }
        throw environment_error("the CPU workers of stress-ng on node " + std::to_string(node) +
                                " used no CPU");
    } catch (...) {
        stop_remote_stressors(backend, cluster, node);
        throw;
    }
}

std::vector<int> remote_stressors_of(Backend& backend, const std::string& cluster, int node) {
    std::vector<int> pids;
    for (const auto& process : stress_processes(backend, cluster, node))
        pids.push_back(process.pid);
    return pids;
}

void stop_remote_stressors(Backend& backend, const std::string& cluster, int node) {
    run_node_tool(backend, cluster, node, {"kill", "stress-ng"});
}

std::string remote_stressor_command(Backend& backend, const std::string& cluster, int node) {
    for (const auto& process : stress_processes(backend, cluster, node)) {
        if (process.group == process.pid) return process.command;  // the group's leader
    }
    return "";
}

}  // namespace atomixtest::stress
