// Addresses, ports and template values of a docker cluster's nodes, decided
// before any container exists so that every node's command can name them all.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "atomixtest/cluster.hpp"
#include "atomixtest/profile.hpp"
#include "container_specs.hpp"
#include "engine_api/engine_client.hpp"

namespace atomixtest::docker {

struct NetworkPlan {
    std::string subnet;   // a.b.c.0/24
    std::string gateway;  // a.b.c.1 unless asked otherwise
};

// The subnet asked for, or the first /24 of the supernet (default
// 10.89.0.0/16) that no Docker network uses. Throws BadInput on a malformed
// subnet, supernet or gateway.
NetworkPlan plan_network(EngineClient& engine, const ClusterSpec& spec);

// Node `id` is at a.b.c.(10+id), as on the local backend.
std::string node_ip(const std::string& subnet, int id);

// The nodes' plans, their lists ({members}, ...) naming `members`.
std::vector<NodePlan> plan_nodes(const std::string& cluster, const Profile& profile,
                                 const std::string& subnet, const std::vector<int>& ids,
                                 const std::vector<MemberAddress>& members,
                                 const std::string& cluster_state);

// Where a container keeps what its profile writes (files:), its data and logs.
constexpr const char* kConfDirInNode = "/conf";

}  // namespace atomixtest::docker
