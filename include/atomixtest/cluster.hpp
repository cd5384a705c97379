// What a backend knows about a cluster and its nodes. The same shapes serve the
// CLI's `nodes` table, its --json output and the fault and client plugins.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace atomixtest {

// Paused: running, but frozen (node.pause) until resumed.
enum class NodeStatus { Running, Stopped, Dead, Paused };
const char* to_string(NodeStatus status);

enum class NodeType { Server, Client };
const char* to_string(NodeType type);

struct NodeInfo {
    int id = 0;
    std::string name;  // CLUSTER-ID
    NodeStatus status = NodeStatus::Dead;
    std::string ip;      // address on the cluster network
    int local_port = 0;  // 127.0.0.1 port forwarded to the node's client port
    NodeType type = NodeType::Server;
    std::string profile;
    // The machine it runs on, where a cluster spans several (the kubernetes
    // backend's node); empty where every node is on this one.
    std::string host;
    // Where `ip` is an address others reach the node by but not its own (a
    // Kubernetes Service's ClusterIP, translated on the way), the address its
    // own packets carry (its pod's); empty when that is `ip`.
    std::string own_ip;
};

// Every address a node's packets may carry, to it or from it: ip, then
// own_ip if it has one. What a partition rule must match.
std::vector<std::string> addresses_of(const NodeInfo& node);

struct ClusterInfo {
    std::string name;
    std::string backend;
    std::string profile;
    std::string subnet;
    std::vector<NodeInfo> nodes;
    std::string disk;  // "lazy": the nodes' data dirs are lazy disks (ClusterSpec::disk)

    const NodeInfo& node(int id) const;  // throws NotFound naming the known ids
    std::vector<int> node_ids() const;
};

// What `cluster NAME setup` asks a backend for.
struct ClusterSpec {
    std::string name;
    std::string profile;
    int nodes = 3;
    std::string subnet;    // empty: the backend's default
    std::string supernet;  // where to find a free /24 when subnet is empty
    std::string gateway;   // empty: the subnet's .1
    double cpus = 0;       // per node, in cores (0: no limit)
    int64_t memory = 0;    // per node, in bytes (0: no limit)
    // "lazy": each node's data dir on a FUSE mount of the framework's, which
    // can lose what was never synced, fail and slow I/O (the disk plugin);
    // "" : a plain directory. The profile's disk: {lazy: true} asks it too.
    std::string disk;
    // Where a cluster spans machines (kubernetes): every node on machine N
    // (1-based, in the backend's order); 0 spreads them over all.
    int host = 0;
};

nlohmann::json to_json(const NodeInfo& node);

// Cluster names become namespace, container and network names: keep them portable.
void validate_cluster_name(const std::string& name);

}  // namespace atomixtest
