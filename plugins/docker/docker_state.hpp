// A docker cluster as the engine describes it: its network and the node,
// sidecar and relay containers found by label.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "atomixtest/cluster.hpp"
#include "engine_api/engine_client.hpp"

namespace atomixtest::docker {

struct DockerNode {
    NodeInfo info;
    std::string container;  // the node's container id ("" if missing)
    std::string sidecar;    // its sidecar's container id ("" if missing)
    std::string agent_dir;  // host directory holding the sidecar agent's socket
    int client_port = 0;
    int stop_grace_ms = 3000;
    std::map<std::string, std::string> captured;  // from the profile's join
};

struct DockerCluster {
    ClusterInfo info;
    std::string network;  // id
    std::string gateway;
    std::vector<std::string> relays;      // ids
    int relay_generation = 0;             // the newest relay's
    bool lazy_disk = false;               // nodes' data dirs are lazy disks
    std::vector<DockerNode> nodes;        // by id
    std::vector<std::string> containers;  // every container of the cluster

    const DockerNode& node(int id) const;  // throws NotFound naming the known ids
};

// Names of the clusters whose network exists.
std::vector<std::string> cluster_names(EngineClient& engine);

// Throws NotFound if the engine has no network of that cluster.
DockerCluster read_cluster(EngineClient& engine, const std::string& name);

// Status from a container's State: running; stopped (stopped, or exited by
// itself); dead (killed by SIGKILL, out of memory, or Docker's "dead").
NodeStatus status_of(const nlohmann::json& state_or_summary);

}  // namespace atomixtest::docker
