// A kubernetes cluster as the API describes it: its namespace, and each
// node's Service (address, LOCAL PORT) and pod (status, Kubernetes node),
// found by label.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/api_client.hpp"
#include "atomixtest/cluster.hpp"

namespace atomixtest::kube {

struct KubeNode {
    NodeInfo info;
    bool has_pod = false;
    std::string pod_uid;
    std::string container_id;  // runtime://ID of the node's container, "" before it runs
    int client_port = 0;
    int stop_grace_ms = 3000;
    std::map<std::string, std::string> captured;
    // The Service's record of where the pod runs: where it comes back after a stop.
    std::string home_host;
};

struct KubeCluster {
    ClusterInfo info;
    std::string ns;
    std::string ns_uid;           // names its node dirs behind the agent (agent/node_dirs.hpp)
    std::string pinned_host;      // --host's Kubernetes node, "" when spread
    bool node_agent = false;      // faults through the node agent (kube_agent.hpp)
    std::string registry;         // where its images are pushed, "" when imported
    std::string registry_ca;      // its CA (PEM), "" for the system's
    bool pull_secret = false;     // its credentials in a Secret (kPullSecret)
    std::vector<KubeNode> nodes;  // by id

    const KubeNode& node(int id) const;  // throws NotFound naming the known ids
};

// The clusters this state root made (their namespaces, by label).
std::vector<std::string> cluster_names(ApiClient& api, const std::string& state_root_label);

// Throws NotFound if there is no namespace of that cluster.
KubeCluster read_cluster(ApiClient& api, const std::string& cluster);

// From a pod's status: running (its container running), stopped (exited by
// itself with 0, or deleted), dead (killed, failed or waiting to restart).
NodeStatus status_of_pod(const nlohmann::json& pod);

}  // namespace atomixtest::kube
