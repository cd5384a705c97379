// A pod's processes as this machine's /proc shows them: found by the pod's
// UID in their cgroup paths. Used by the backend where the pods are this
// machine's processes, and by the node agent (hostPID) on any Kubernetes node.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace atomixtest::kube {

// The processes of each pod on this machine, found by the pod's UID in
// their cgroup paths (pod<UID> under the cgroupfs driver, pod<UID with _>
// under systemd's) in one pass over /proc: no runtime call, so a fault that
// enters the pods' namespaces costs one scan, not a `ctr` per node. Every
// UID asked for is a key (no process: empty).
std::map<std::string, std::vector<int>> processes_of_pods(const std::vector<std::string>& uids);

// Of a pod's processes, its sandbox's (pause, which holds the pod's network
// namespace across restarts of its containers), else the first; 0 for none.
int sandbox_or_first(const std::vector<int>& pids);

// Whether the process is (still) one of the pod's.
bool in_pod(int pid, const std::string& pod_uid);

// Of a pod's processes, the main one of its container (the first of its PID
// namespace, not the sandbox's), 0 when it does not run: what stress and
// clock faults attach to.
int container_main_pid(const std::vector<int>& pids);

// Whether the pod's container (not its sandbox) is frozen by the cgroup
// freezer (v1), read from its cgroup: what `task_status` says PAUSED for,
// without a runtime call on every `nodes`.
bool container_frozen(const std::vector<int>& pids);

}  // namespace atomixtest::kube
