// The on-disk record of a local cluster: one directory per cluster under the
// state dir, holding cluster.json (what was asked for: nodes, addresses,
// commands), runtime.json (what the supervisor last saw: pids, statuses, local
// ports), the supervisor's socket and each node's data dir and log.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atomixtest/cluster.hpp"
#include "atomixtest/profile.hpp"
#include "util/paths.hpp"

namespace atomixtest::local {

namespace fs = std::filesystem;

struct LocalNode {
    int id = 0;
    std::string name;
    std::string ip;
    std::string netns;  // namespace name, under /run/netns
    int client_port = 0;
    NodeType type = NodeType::Server;
    std::string profile;
    std::vector<std::string> argv;
    std::map<std::string, std::string> env;
    std::map<std::string, std::string> files;  // under its conf dir, as written
    int stop_grace_ms = 3000;
    std::map<std::string, std::string> captured;  // by its join request
    TemplateValues values;                        // as planned; not saved
    std::vector<std::string> cgroup_dirs;         // its cgroup, one dir per tree
};

struct LocalCluster {
    std::string name;
    std::string profile;
    std::string subnet;  // e.g. 10.77.0.0/24
    std::string bridge_netns;
    LeadFirst lead_first;    // from the profile, for the supervisor
    double cpus = 0;         // per node, as --cpu (0: no limit)
    int64_t memory = 0;      // per node, bytes, as --memory (0: no limit)
    bool lazy_disk = false;  // each node's data dir a lazy disk (--disk lazy)
    std::vector<LocalNode> nodes;

    const LocalNode& node(int id) const;  // throws NotFound naming the cluster's nodes
};

struct NodeRuntime {
    int pid = 0;
    NodeStatus status = NodeStatus::Dead;
    int local_port = 0;
};

struct ClusterRuntime {
    int supervisor_pid = 0;
    std::map<int, NodeRuntime> nodes;
};

fs::path cluster_dir(const std::string& cluster);
fs::path node_dir(const std::string& cluster, int node);
fs::path node_log(const std::string& cluster, int node);
fs::path supervisor_socket(const std::string& cluster);

// Every namespace of the framework starts with this, so gc can find them.
constexpr const char* kNamespacePrefix = "atomix-test.";
std::string bridge_netns_name(const std::string& cluster);
std::string node_netns_name(const std::string& cluster, int node);
std::string netns_path(const std::string& netns);

void write_cluster(const fs::path& dir, const LocalCluster& cluster);
nlohmann::json node_to_json(const LocalNode& node);
LocalNode node_from_json(const nlohmann::json& json);
LocalCluster read_cluster(const fs::path& dir);  // throws NotFound if absent
void write_runtime(const fs::path& dir, const ClusterRuntime& runtime);
ClusterRuntime read_runtime(const fs::path& dir);  // empty when absent

// Writes through a temporary file and a rename, so a reader never sees half.
void write_file_atomically(const fs::path& path, const std::string& content);

}  // namespace atomixtest::local
