// The Engine API bodies of a cluster's objects: its internal network, and per
// node a sidecar (which owns the node's network namespace, so faults outlive a
// node's restart, and runs the fault tools) and the node's own container,
// joined to the sidecar's namespace; plus the cluster's LOCAL PORT relay.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atomixtest/cluster.hpp"
#include "atomixtest/profile.hpp"

namespace atomixtest::docker {

struct NodePlan {
    int id = 0;
    std::string name;  // CLUSTER-ID, the container's name
    std::string ip;
    int local_port = 0;
    TemplateValues values;                        // for the profile's templates
    std::map<std::string, std::string> captured;  // from the profile's join
    std::string data_source;  // a host dir bound to the node's /data (its lazy disk), or ""
};

std::string sidecar_name(const std::string& node_name);
std::string relay_name(const std::string& cluster);

nlohmann::json network_body(const std::string& cluster, const std::string& profile,
                            const std::string& subnet, const std::string& gateway, bool lazy_disk);

nlohmann::json sidecar_body(const std::string& cluster, const NodePlan& node,
                            const Profile& profile, const std::string& tools_image,
                            const std::string& agent_dir);

nlohmann::json node_body(const std::string& cluster, const NodePlan& node, const Profile& profile,
                         const std::string& image, double cpus, int64_t memory);

// mappings: LISTEN_PORT=IP:PORT, one per node.
nlohmann::json relay_body(const std::string& cluster, const std::string& tools_image,
                          const std::vector<std::string>& mappings, int generation);

// Where the tools image keeps the sidecar program (the host path it came from).
std::string sidecar_program();

}  // namespace atomixtest::docker
