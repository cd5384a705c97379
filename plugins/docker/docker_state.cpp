#include "docker_state.hpp"

#include <algorithm>
#include <regex>

#include "atomixtest/error.hpp"
#include "engine_api/query.hpp"
#include "labels.hpp"
#include "sidecar/agent_protocol.hpp"

namespace atomixtest::docker {

namespace {

std::string label(const nlohmann::json& labels, const char* key, const std::string& fallback = "") {
    if (!labels.is_object() || !labels.contains(key)) return fallback;
    return labels[key].get<std::string>();
}

int label_int(const nlohmann::json& labels, const char* key, int fallback = 0) {
    auto text = label(labels, key);
    return text.empty() ? fallback : std::stoi(text);
}

std::string agent_dir_of(const nlohmann::json& summary) {
    for (const auto& mount : summary.value("Mounts", nlohmann::json::array())) {
        if (mount.value("Destination", "") == kAgentDirInSidecar) return mount.value("Source", "");
    }
    return "";
}

}  // namespace

const DockerNode& DockerCluster::node(int id) const {
    for (const auto& node : nodes) {
        if (node.info.id == id) return node;
    }
    info.node(id);  // throws NotFound naming the known ids
    throw not_found("no node " + std::to_string(id));
}

NodeStatus status_of(const nlohmann::json& summary) {
    std::string state = summary.value("State", "");
    if (state == "running" || state == "restarting") return NodeStatus::Running;
    if (state == "dead") return NodeStatus::Dead;
    if (state == "paused") return NodeStatus::Paused;
    static const std::regex exited(R"(Exited \((\d+)\))");
    std::smatch match;
    std::string status = summary.value("Status", "");
    if (std::regex_search(status, match, exited) && match[1] == "137") return NodeStatus::Dead;
    return NodeStatus::Stopped;
}

std::vector<std::string> cluster_names(EngineClient& engine) {
    auto networks = engine.get("/networks?filters=" + label_filter(labels::kCluster));
    std::vector<std::string> names;
    for (const auto& network : networks)
        names.push_back(label(network["Labels"], labels::kCluster));
    std::sort(names.begin(), names.end());
    return names;
}

DockerCluster read_cluster(EngineClient& engine, const std::string& name) {
    auto selector = std::string(labels::kCluster) + "=" + name;
    auto networks = engine.get("/networks?filters=" + label_filter(selector));
    if (networks.empty()) throw not_found("no docker cluster named " + name);
    DockerCluster cluster;
    const auto& network = networks[0];
    cluster.network = network["Id"];
    cluster.info.name = name;
    cluster.info.backend = "docker";
    cluster.info.profile = label(network["Labels"], labels::kProfile);
    cluster.lazy_disk = label(network["Labels"], labels::kDisk) == "lazy";
    if (cluster.lazy_disk) cluster.info.disk = "lazy";
    for (const auto& config : network["IPAM"].value("Config", nlohmann::json::array())) {
        cluster.info.subnet = config.value("Subnet", "");
        cluster.gateway = config.value("Gateway", "");
    }
    auto containers = engine.get("/containers/json?all=1&filters=" + label_filter(selector));
    std::map<int, DockerNode> nodes;
    for (const auto& summary : containers) {
        const auto& labels = summary["Labels"];
        cluster.containers.push_back(summary["Id"]);
        auto role = label(labels, labels::kRole);
        if (role == "relay") {
            cluster.relays.push_back(summary["Id"]);
            cluster.relay_generation =
                std::max(cluster.relay_generation, label_int(labels, labels::kGeneration));
            continue;
        }
        int id = label_int(labels, labels::kNode);
        if (id <= 0) continue;
        auto& node = nodes[id];
        node.info.id = id;
        node.info.name = name + "-" + std::to_string(id);
        if (role == "sidecar") {
            node.sidecar = summary["Id"];
            node.agent_dir = agent_dir_of(summary);
            continue;
        }
        node.container = summary["Id"];
        node.info.status = status_of(summary);
        node.info.ip = label(labels, labels::kIp);
        node.info.local_port = label_int(labels, labels::kLocalPort);
        node.info.type =
            label(labels, labels::kType) == "client" ? NodeType::Client : NodeType::Server;
        node.info.profile = label(labels, labels::kProfile);
        node.client_port = label_int(labels, labels::kClientPort);
        node.stop_grace_ms = label_int(labels, labels::kStopGrace, 3000);
        std::string prefix = labels::kCapturedPrefix;
        for (const auto& [key, value] : labels.items()) {
            if (key.rfind(prefix, 0) == 0) node.captured[key.substr(prefix.size())] = value;
        }
    }
    for (auto& [id, node] : nodes) {
        // A sidecar whose node container is gone is still the node's, for teardown.
        if (node.container.empty()) node.info.status = NodeStatus::Dead;
        cluster.info.nodes.push_back(node.info);
        cluster.nodes.push_back(std::move(node));
    }
    return cluster;
}

}  // namespace atomixtest::docker
