#include "kube_objects.hpp"

#include <algorithm>
#include <set>

#include "labels.hpp"

namespace atomixtest::kube {

std::string namespace_of(const std::string& cluster) {
    return "atomix-test-" + cluster;
}

std::string node_name(const std::string& cluster, int id) {
    return cluster + "-" + std::to_string(id);
}

std::string path_of(const std::string& ns, const std::string& kind, const std::string& name) {
    return "/api/v1/namespaces/" + ns + "/" + kind + (name.empty() ? "" : "/" + name);
}

namespace {

nlohmann::json node_labels(const std::string& cluster, int id, const Profile& profile) {
    return {{labels::kCluster, cluster},
            {labels::kNode, std::to_string(id)},
            {labels::kRole, "node"},
            {labels::kType, to_string(profile.type)},
            {labels::kProfile, profile.name}};
}

}  // namespace

std::string image_pull_policy(const std::string& image) {
    return image.rfind("atomix-test/", 0) == 0 ? "Never" : "IfNotPresent";
}

nlohmann::json pull_secret_body(const std::string& cluster, const std::string& docker_config) {
    return {{"apiVersion", "v1"},
            {"kind", "Secret"},
            {"type", "kubernetes.io/dockerconfigjson"},
            {"metadata", {{"name", kPullSecret}, {"labels", {{labels::kCluster, cluster}}}}},
            {"stringData", {{".dockerconfigjson", docker_config}}}};
}

nlohmann::json namespace_body(const std::string& cluster, const std::string& profile,
                              const std::string& state_root_label,
                              const NamespaceChoices& choices) {
    nlohmann::json body = {{"apiVersion", "v1"},
                           {"kind", "Namespace"},
                           {"metadata",
                            {{"name", namespace_of(cluster)},
                             {"labels",
                              {{labels::kCluster, cluster},
                               {labels::kProfile, profile},
                               {labels::kStateRoot, state_root_label}}}}}};
    auto& notes = body["metadata"]["annotations"] = nlohmann::json::object();
    if (!choices.pinned_host.empty()) notes[annotations::kPinnedHost] = choices.pinned_host;
    if (choices.lazy_disk) notes[annotations::kDisk] = "lazy";
    if (!choices.registry.empty()) notes[annotations::kRegistry] = choices.registry;
    if (!choices.registry_ca.empty()) notes[annotations::kRegistryCa] = choices.registry_ca;
    if (choices.pull_secret) notes[annotations::kRegistryAuth] = kPullSecret;
    if (choices.node_agent) {
        notes[annotations::kNodeAgent] = "true";
        // The agent's pods are privileged: Pod Security Admission's default
        // level does not apply to this namespace (a cluster that forbids
        // them by other means refuses the agent's dry run, in its words).
        body["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] = "privileged";
    }
    return body;
}

nlohmann::json service_body(const std::string& cluster, int id, const Profile& profile,
                            int local_port, const std::string& host) {
    nlohmann::json port_list = nlohmann::json::array();
    auto publish = [&](int port, const char* protocol) {
        port_list.push_back(
            {{"name", std::string(protocol[0] == 'T' ? "p" : "u") + std::to_string(port)},
             {"port", port},
             {"targetPort", port},
             {"protocol", protocol}});
    };
    std::set<int> peers(profile.peer_ports.begin(), profile.peer_ports.end());
    if (profile.client_port && !peers.count(profile.client_port)) {
        publish(profile.client_port, "TCP");
    }
    // A peer port also over UDP: members may gossip there (Atomix's SWIM
    // does, on its messaging port), and kube-proxy forwards only what the
    // Service names.
    for (int port : peers) {
        publish(port, "TCP");
        publish(port, "UDP");
    }
    return {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata",
             {{"name", node_name(cluster, id)},
              {"labels", node_labels(cluster, id, profile)},
              {"annotations",
               {{annotations::kLocalPort, std::to_string(local_port)},
                {annotations::kClientPort, std::to_string(profile.client_port)},
                {annotations::kStopGrace, std::to_string(profile.stop_grace.count())},
                {annotations::kHost, host}}}}},
            {"spec",
             {{"selector", {{labels::kCluster, cluster}, {labels::kNode, std::to_string(id)}}},
              {"ports", port_list},
              // Members find each other while they start, before they are Ready.
              {"publishNotReadyAddresses", true}}}};
}

nlohmann::json config_map_body(const std::string& cluster, const KubeNodePlan& node,
                               const Profile& profile) {
    nlohmann::json data = nlohmann::json::object();
    // A ConfigMap's keys are file names: nested paths are not for this backend yet.
    for (const auto& [path, text] : render_files(profile, node.values)) data[path] = text;
    return {{"apiVersion", "v1"},
            {"kind", "ConfigMap"},
            {"metadata", {{"name", node.name}, {"labels", node_labels(cluster, node.id, profile)}}},
            {"data", data}};
}

nlohmann::json pod_body(const std::string& cluster, const KubeNodePlan& node,
                        const Profile& profile, const std::string& image) {
    std::vector<std::string> command;
    for (const auto& arg : profile.command) command.push_back(render_template(arg, node.values));
    nlohmann::json env = nlohmann::json::array();
    // First, so that the others may name it as $(POD_IP).
    env.push_back(
        {{"name", "POD_IP"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "status.podIP"}}}}}});
    for (const auto& [key, value] : profile.env) {
        env.push_back({{"name", key}, {"value", render_template(value, node.values)}});
    }
    nlohmann::json mounts = {{{"name", "data"}, {"mountPath", "/data"}},
                             {{"name", "log"}, {"mountPath", "/log"}}};
    nlohmann::json data_volume = {{"name", "data"}, {"emptyDir", nlohmann::json::object()}};
    if (!node.data_host_dir.empty()) {
        data_volume = {{"name", "data"},
                       {"hostPath", {{"path", node.data_host_dir}, {"type", "DirectoryOrCreate"}}}};
    }
    nlohmann::json volumes = {data_volume,
                              {{"name", "log"}, {"emptyDir", nlohmann::json::object()}}};
    if (!profile.files.empty()) {
        mounts.push_back({{"name", "conf"}, {"mountPath", kConfDirInPod}});
        volumes.push_back({{"name", "conf"}, {"configMap", {{"name", node.name}}}});
    }
    auto pod_labels = node_labels(cluster, node.id, profile);
    nlohmann::json container = {{"name", kNodeContainer},
                                {"image", image},
                                // Images are put on the nodes, never pulled.
                                {"imagePullPolicy", image_pull_policy(image)},
                                {"command", command},
                                {"env", env},
                                // A request makes the pod Burstable: a BestEffort pod's
                                // cgroup has 2 CPU shares, so anything else on the
                                // machine starves it (and a stress in its cgroup,
                                // whose workers then never run).
                                {"resources", {{"requests", {{"cpu", kCpuRequest}}}}},
                                {"volumeMounts", mounts}};
    nlohmann::json pod = {{"apiVersion", "v1"},
                          {"kind", "Pod"},
                          {"metadata", {{"name", node.name}, {"labels", pod_labels}}},
                          {"spec",
                           {{"nodeName", node.host},
                            {"containers", {container}},
                            {"volumes", volumes},
                            {"enableServiceLinks", false},
                            {"automountServiceAccountToken", false},
                            {"terminationGracePeriodSeconds",
                             std::max<int64_t>(1, profile.stop_grace.count() / 1000)}}}};
    if (node.pull_secret) pod["spec"]["imagePullSecrets"] = {{{"name", kPullSecret}}};
    return pod;
}

}  // namespace atomixtest::kube
