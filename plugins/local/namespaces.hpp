// The cluster network of the local backend: one namespace holding a bridge, and
// one namespace per node joined to it by a veth pair. Nothing is created in the
// host's own namespace, so the host's interfaces and rules are never touched.
#pragma once

#include <string>
#include <vector>

#include "cluster_state.hpp"

namespace atomixtest::local {

// Creates the bridge namespace and every node's namespace. On failure removes
// whatever it created and throws.
void create_network(const LocalCluster& cluster);

// Creates one more node's namespace on the running cluster's bridge.
void add_node_network(const LocalCluster& cluster, const LocalNode& node);
// Takes the node off the bridge and deletes its namespace. The bridge port is
// deleted first and explicitly: a namespace is destroyed only once its last
// process is gone, so its veth could outlive `netns del` and block a node
// added next under the same id.
void remove_node_network(const LocalCluster& cluster, const LocalNode& node);

// Removes the namespaces (their interfaces go with them). Missing ones are fine.
void delete_network(const LocalCluster& cluster);
void delete_namespaces(const std::vector<std::string>& names);

// Names of the framework's namespaces that exist now (under /run/netns).
std::vector<std::string> existing_namespaces(const std::string& prefix);

// Processes whose network namespace is the named one (what `ip netns pids` does).
std::vector<int> pids_in_namespace(const std::string& netns);

// The address of node `id` in `subnet` (a /24 written a.b.c.0/24): a.b.c.(10+id).
std::string node_address(const std::string& subnet, int id);
int subnet_prefix_length(const std::string& subnet);

}  // namespace atomixtest::local
