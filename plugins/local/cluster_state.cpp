#include "cluster_state.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "atomixtest/error.hpp"
#include "util/paths.hpp"

namespace atomixtest::local {

fs::path cluster_dir(const std::string& cluster) {
    return state_root() / "local" / cluster;
}
fs::path node_dir(const std::string& cluster, int node) {
    return cluster_dir(cluster) / "nodes" / std::to_string(node);
}
fs::path node_log(const std::string& cluster, int node) {
    return node_dir(cluster, node) / "node.log";
}
fs::path supervisor_socket(const std::string& cluster) {
    return cluster_dir(cluster) / "supervisor.sock";
}

std::string bridge_netns_name(const std::string& cluster) {
    return kNamespacePrefix + cluster + ".bridge";
}
std::string node_netns_name(const std::string& cluster, int node) {
    return kNamespacePrefix + cluster + "." + std::to_string(node);
}
std::string netns_path(const std::string& netns) {
    return "/run/netns/" + netns;
}

const LocalNode& LocalCluster::node(int id) const {
    for (const auto& node : nodes) {
        if (node.id == id) return node;
    }
    std::string known;
    for (const auto& node : nodes) known += (known.empty() ? "" : ", ") + std::to_string(node.id);
    throw not_found("cluster " + name + " has no node " + std::to_string(id) + " (nodes: " + known +
                    ")");
}

nlohmann::json node_to_json(const LocalNode& node) {
    return {{"id", node.id},
            {"name", node.name},
            {"ip", node.ip},
            {"netns", node.netns},
            {"client_port", node.client_port},
            {"type", to_string(node.type)},
            {"profile", node.profile},
            {"argv", node.argv},
            {"env", node.env},
            {"stop_grace_ms", node.stop_grace_ms},
            {"captured", node.captured},
            {"cgroup_dirs", node.cgroup_dirs}};
}

LocalNode node_from_json(const nlohmann::json& json) {
    LocalNode node;
    node.id = json.at("id");
    node.name = json.at("name");
    node.ip = json.at("ip");
    node.netns = json.at("netns");
    node.client_port = json.at("client_port");
    node.type = json.at("type") == "client" ? NodeType::Client : NodeType::Server;
    node.profile = json.at("profile");
    node.argv = json.at("argv").get<std::vector<std::string>>();
    node.env = json.at("env").get<std::map<std::string, std::string>>();
    node.stop_grace_ms = json.at("stop_grace_ms");
    node.captured =
        json.value("captured", nlohmann::json::object()).get<std::map<std::string, std::string>>();
    node.cgroup_dirs =
        json.value("cgroup_dirs", nlohmann::json::array()).get<std::vector<std::string>>();
    return node;
}

namespace {

std::string read_whole(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::string& content) {
    fs::path temporary = path;
    temporary += ".tmp." + std::to_string(getpid());
    {
        std::ofstream out(temporary);
        out << content;
        if (!out) throw Error(ErrorKind::Environment, "cannot write " + temporary.string());
    }
    fs::rename(temporary, path);
}

void write_cluster(const fs::path& dir, const LocalCluster& cluster) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& node : cluster.nodes) nodes.push_back(node_to_json(node));
    nlohmann::json json = {{"name", cluster.name},
                           {"profile", cluster.profile},
                           {"subnet", cluster.subnet},
                           {"bridge_netns", cluster.bridge_netns},
                           {"cpus", cluster.cpus},
                           {"memory", cluster.memory},
                           {"disk", cluster.lazy_disk ? "lazy" : ""},
                           {"lead_first",
                            {{"port", cluster.lead_first.port},
                             {"path", cluster.lead_first.path},
                             {"timeout_ms", cluster.lead_first.timeout.count()}}},
                           {"nodes", nodes}};
    write_file_atomically(dir / "cluster.json", json.dump(2));
}

LocalCluster read_cluster(const fs::path& dir) {
    auto path = dir / "cluster.json";
    if (!fs::exists(path)) {
        throw not_found("no local cluster named " + dir.filename().string());
    }
    try {
        auto json = nlohmann::json::parse(read_whole(path));
        LocalCluster cluster;
        cluster.name = json.at("name");
        cluster.profile = json.at("profile");
        cluster.subnet = json.at("subnet");
        cluster.bridge_netns = json.at("bridge_netns");
        cluster.cpus = json.value("cpus", 0.0);
        cluster.memory = json.value("memory", int64_t{0});
        cluster.lazy_disk = json.value("disk", std::string()) == "lazy";
        if (json.contains("lead_first")) {
            const auto& lead = json["lead_first"];
            cluster.lead_first.port = lead.at("port");
            cluster.lead_first.path = lead.at("path");
            cluster.lead_first.timeout =
                std::chrono::milliseconds(lead.at("timeout_ms").get<long>());
        }
        for (const auto& node : json.at("nodes")) cluster.nodes.push_back(node_from_json(node));
        return cluster;
    } catch (const nlohmann::json::exception& error) {
        throw Error(ErrorKind::Internal, path.string() + " is damaged: " + error.what());
    }
}

void write_runtime(const fs::path& dir, const ClusterRuntime& runtime) {
    nlohmann::json nodes = nlohmann::json::object();
    for (const auto& [id, node] : runtime.nodes) {
        nodes[std::to_string(id)] = {
            {"pid", node.pid}, {"status", to_string(node.status)}, {"local_port", node.local_port}};
    }
    write_file_atomically(
        dir / "runtime.json",
        nlohmann::json{{"supervisor_pid", runtime.supervisor_pid}, {"nodes", nodes}}.dump(2));
}

ClusterRuntime read_runtime(const fs::path& dir) {
    ClusterRuntime runtime;
    auto path = dir / "runtime.json";
    if (!fs::exists(path)) return runtime;
    auto json = nlohmann::json::parse(read_whole(path), nullptr, false);
    if (json.is_discarded()) return runtime;
    runtime.supervisor_pid = json.value("supervisor_pid", 0);
    auto nodes = json.value("nodes", nlohmann::json::object());
    for (const auto& [id, node] : nodes.items()) {
        NodeRuntime entry;
        entry.pid = node.value("pid", 0);
        std::string status = node.value("status", "dead");
        entry.status = status == "running"   ? NodeStatus::Running
                       : status == "paused"  ? NodeStatus::Paused
                       : status == "stopped" ? NodeStatus::Stopped
                                             : NodeStatus::Dead;
        entry.local_port = node.value("local_port", 0);
        runtime.nodes[std::stoi(id)] = entry;
    }
    return runtime;
}

}  // namespace atomixtest::local
