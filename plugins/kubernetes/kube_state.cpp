#include "kube_state.hpp"

#include <algorithm>

#include "atomixtest/error.hpp"
#include "kube_objects.hpp"
#include "labels.hpp"

namespace atomixtest::kube {

namespace {

std::string label_of(const nlohmann::json& object, const char* key) {
    const auto& labels = object["metadata"].value("labels", nlohmann::json::object());
    return labels.value(key, std::string());
}

std::string annotation_of(const nlohmann::json& object, const char* key) {
    const auto& notes = object["metadata"].value("annotations", nlohmann::json::object());
    return notes.value(key, std::string());
}

int number_or(const std::string& text, int fallback) {
    try {
        return text.empty() ? fallback : std::stoi(text);
    } catch (const std::exception&) {
        return fallback;
    }
}

}  // namespace

const KubeNode& KubeCluster::node(int id) const {
    for (const auto& node : nodes) {
        if (node.info.id == id) return node;
    }
    std::string ids;
    for (const auto& node : nodes) ids += (ids.empty() ? "" : ", ") + std::to_string(node.info.id);
    throw not_found("cluster " + info.name + " has no node " + std::to_string(id) +
                    " (its nodes: " + ids + ")");
}

std::vector<std::string> cluster_names(ApiClient& api, const std::string& state_root_label) {
    auto list = api.get("/api/v1/namespaces?labelSelector=" + std::string(labels::kStateRoot) +
                        "%3D" + state_root_label);
    std::vector<std::string> names;
    for (const auto& item : list.value("items", nlohmann::json::array())) {
        // A namespace being deleted is a cluster on its way out: not listed.
        if (item.value("status", nlohmann::json::object()).value("phase", "") == "Terminating") {
            continue;
        }
        auto name = label_of(item, labels::kCluster);
        if (!name.empty()) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

NodeStatus status_of_pod(const nlohmann::json& pod) {
    const auto& status = pod.value("status", nlohmann::json::object());
    for (const auto& container : status.value("containerStatuses", nlohmann::json::array())) {
        const auto& state = container.value("state", nlohmann::json::object());
        if (state.contains("running")) return NodeStatus::Running;
        if (state.contains("terminated")) {
            return state["terminated"].value("exitCode", -1) == 0 ? NodeStatus::Stopped
                                                                  : NodeStatus::Dead;
        }
        // Waiting: created but not started yet, or restarting after a death.
        return container.value("restartCount", 0) > 0 ? NodeStatus::Dead : NodeStatus::Stopped;
    }
    return NodeStatus::Stopped;
}

KubeCluster read_cluster(ApiClient& api, const std::string& cluster) {
    KubeCluster state;
    state.ns = namespace_of(cluster);
    auto ns = api.get("/api/v1/namespaces/" + state.ns);
    if (label_of(ns, labels::kCluster) != cluster) {
        throw not_found("namespace " + state.ns + " is not a cluster of atomix-test");
    }
    state.info.name = cluster;
    state.ns_uid = ns["metadata"].value("uid", "");
    state.info.backend = "kubernetes";
    state.info.profile = label_of(ns, labels::kProfile);
    state.pinned_host = annotation_of(ns, annotations::kPinnedHost);
    state.node_agent = annotation_of(ns, annotations::kNodeAgent) == "true";
    if (annotation_of(ns, annotations::kDisk) == "lazy") state.info.disk = "lazy";
    state.registry = annotation_of(ns, annotations::kRegistry);
    state.registry_ca = annotation_of(ns, annotations::kRegistryCa);
    state.pull_secret = !annotation_of(ns, annotations::kRegistryAuth).empty();
    auto selector = std::string("?labelSelector=") + labels::kRole + "%3Dnode";
    auto services = api.get("/api/v1/namespaces/" + state.ns + "/services" + selector);
    auto pods = api.get("/api/v1/namespaces/" + state.ns + "/pods" + selector);
    std::map<int, nlohmann::json> pod_of;
    for (const auto& pod : pods.value("items", nlohmann::json::array())) {
        pod_of[number_or(label_of(pod, labels::kNode), 0)] = pod;
    }
    for (const auto& service : services.value("items", nlohmann::json::array())) {
        KubeNode node;
        node.info.id = number_or(label_of(service, labels::kNode), 0);
        node.info.name = service["metadata"].value("name", "");
        node.info.ip = service["spec"].value("clusterIP", "");
        node.info.profile = label_of(service, labels::kProfile);
        node.info.type =
            label_of(service, labels::kType) == "client" ? NodeType::Client : NodeType::Server;
        node.info.local_port = number_or(annotation_of(service, annotations::kLocalPort), 0);
        node.client_port = number_or(annotation_of(service, annotations::kClientPort), 0);
        node.stop_grace_ms = number_or(annotation_of(service, annotations::kStopGrace), 3000);
        const auto& notes = service["metadata"].value("annotations", nlohmann::json::object());
        std::string prefix = annotations::kCapturedPrefix;
        for (const auto& [key, value] : notes.items()) {
            if (key.rfind(prefix, 0) == 0 && value.is_string()) {
                node.captured[key.substr(prefix.size())] = value.get<std::string>();
            }
        }
        node.home_host = annotation_of(service, annotations::kHost);
        node.info.host = node.home_host;
        node.info.status = NodeStatus::Stopped;
        auto pod = pod_of.find(node.info.id);
        if (pod != pod_of.end()) {
            node.has_pod = true;
            node.pod_uid = pod->second["metadata"].value("uid", "");
            node.info.host = pod->second["spec"].value("nodeName", "");
            node.info.own_ip =
                pod->second.value("status", nlohmann::json::object()).value("podIP", "");
            node.info.status = status_of_pod(pod->second);
            for (const auto& container : pod->second.value("status", nlohmann::json::object())
                                             .value("containerStatuses", nlohmann::json::array())) {
                node.container_id = container.value("containerID", "");
            }
            auto frozen = annotation_of(pod->second, annotations::kFrozenContainer);
            if (node.info.status == NodeStatus::Running && !frozen.empty() &&
                frozen == node.container_id) {
                node.info.status = NodeStatus::Paused;
            }
        }
        state.nodes.push_back(std::move(node));
    }
    std::sort(state.nodes.begin(), state.nodes.end(),
              [](const KubeNode& a, const KubeNode& b) { return a.info.id < b.info.id; });
    for (const auto& node : state.nodes) state.info.nodes.push_back(node.info);
    return state;
}

}  // namespace atomixtest::kube
