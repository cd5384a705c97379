// How the node agent enters a pod: its processes found by the pod's UID
// (pod_processes.hpp), the sandbox's network namespace joined (it outlives
// the container's restarts), and for a load that must compete with the node,
// the container's cgroups and PID namespace (so it ends with the container).
#pragma once

#include <string>
#include <vector>

namespace atomixtest::kube {

struct PodCommand {
    std::string pod_uid;
    std::vector<std::string> argv;
    bool in_cgroup = false;
    bool detached = false;
};

// The command's exit code (attached), 0 once started (detached); 125 with
// the reason on stderr when the pod cannot be entered, 127 when the command
// cannot be started.
int run_in_pod(const PodCommand& command);

// A command beside the node (NodeCommand::beside_node): in the agent's own
// namespaces, with ATOMIXTEST_NODE_DIR naming the node's dir on this machine
// (node_dirs.hpp); its pod need not run. Exit codes as run_in_pod's.
int run_beside_pods(const std::string& node_dir, const std::vector<std::string>& argv,
                    bool detached);

// 0 once the container's main process has ended (or none ran), 1 if it
// outlived wait_ms, 125 when the pod has no process here.
int signal_pod_container(const std::string& pod_uid, const std::string& signal, int wait_ms);

// Freezes (or thaws) every process of the pod's container with its cgroup
// freezer, and returns once the kernel says they are: 0, after printing
// how many; 1 (thawed again) if they were not frozen within 2 s; 125 when
// the pod has no container here.
int freeze_pod_container(const std::string& pod_uid, bool freeze);

}  // namespace atomixtest::kube
