// The node agent as Kubernetes objects: a DaemonSet in the cluster's own
// namespace (so teardown and gc remove it with the cluster, and no other
// cluster depends on it), privileged with the host's PID namespace and
// cgroups, its image assembled from this machine's files: the agent, the
// node tool, and the tools fault plugins run in a node (nft, iptables, tc,
// stress-ng, the userspace netem daemon). Nothing goes into the system's image.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace atomixtest::kube {

constexpr const char* kAgentName = "atomix-test-agent";
constexpr const char* kAgentContainer = "agent";

// The agent program's path here, which is its path in the image too.
std::string agent_program();
std::vector<std::string> agent_image_files();

// pull_secret: its pods pull with the registry's credentials (kPullSecret).
nlohmann::json agent_daemon_set_body(const std::string& cluster, const std::string& image,
                                     bool pull_secret);

// The DaemonSet's pod, for a server-side dry run: the cluster's admission
// (Pod Security, policies) answers for it before anything is made, where a
// DaemonSet would be accepted and its pods refused only in its events.
nlohmann::json agent_pod_body(const std::string& cluster, const std::string& image,
                              bool pull_secret);

// The agent's argv for a command beside a node (NodeCommand::beside_node),
// with the node's dir on that Kubernetes node.
std::vector<std::string> agent_beside_argv(const std::string& node_dir, bool detached,
                                           const std::vector<std::string>& command);

// The agent's argv for a node command: run in the pod of that UID.
std::vector<std::string> agent_run_argv(const std::string& pod_uid, bool detached,
                                        bool in_node_cgroup,
                                        const std::vector<std::string>& command);

}  // namespace atomixtest::kube
