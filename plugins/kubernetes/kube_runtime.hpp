// A pod's processes through its node's container runtime, reached from this
// machine on a cluster made by scripts/kube (the node's annotation says where
// its containerd answers). The pods' processes are then this machine's, so
// the fault plugins act on them as on any other backend's: by PID and
// network namespace. On a real cluster the node agent is the way in.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "api/api_client.hpp"
#include "pod_processes.hpp"

namespace atomixtest::kube {

// The containerd socket of the Kubernetes node `host`, or "" when this
// machine cannot reach it.
std::string containerd_socket_of(ApiClient& api, const std::string& host);

// The same for every Kubernetes node, in one request: by node name.
std::map<std::string, std::string> containerd_sockets(ApiClient& api);

// The PID of a task (a container, or a pod's sandbox) on this machine, 0 when
// it does not run. container_id may carry the runtime's scheme
// (containerd://ID).
int task_pid(const std::string& socket, const std::string& container_id);

// The task's status as the runtime says it (RUNNING, PAUSED, STOPPED), ""
// when there is no such task.
std::string task_status(const std::string& socket, const std::string& container_id);

// Freezes (pause) or thaws (resume) every process of the container: the
// runtime's cgroup freezer.
void pause_task(const std::string& socket, const std::string& container_id, bool pause);

// Sends the signal to the container's main process through the runtime.
void signal_task(const std::string& socket, const std::string& container_id,
                 const std::string& signal);

}  // namespace atomixtest::kube
