// The API bodies of a cluster's objects: its namespace, and per node a
// Service (its stable address, allocated before any pod exists, so that every
// node's command can name every other), a ConfigMap of the profile's files,
// and the pod that runs it on a chosen Kubernetes node.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "atomixtest/profile.hpp"

namespace atomixtest::kube {

// atomix-test-CLUSTER.
std::string namespace_of(const std::string& cluster);

// CLUSTER-ID: the node's pod, Service and ConfigMap.
std::string node_name(const std::string& cluster, int id);

// The API path of a namespace's objects of a kind, or of one of them.
std::string path_of(const std::string& ns, const std::string& kind, const std::string& name = "");

struct KubeNodePlan {
    int id = 0;
    std::string name;  // CLUSTER-ID: the pod's, the Service's and the ConfigMap's name
    std::string ip;    // the Service's ClusterIP
    std::string host;  // the Kubernetes node it runs on
    int local_port = 0;
    TemplateValues values;
    std::map<std::string, std::string> captured;  // from the profile's join
    // A directory of the Kubernetes node for the data dir, which outlives the
    // pod (stop, then start); "" for an emptyDir, which goes with it.
    std::string data_host_dir;
    // The node's dir on a Kubernetes node reached through the node agent
    // (agent/node_dirs.hpp; data_host_dir is its data), "" when this machine
    // keeps it (scripts/kube's nodes, in the cluster's state dir).
    std::string node_dir;
    bool pull_secret = false;  // pulls with the registry's credentials (kPullSecret)
};

// pinned_host: --host's Kubernetes node, "" when the pods are spread.
// What a cluster's namespace records of how it was set up (its annotations).
struct NamespaceChoices {
    std::string pinned_host;  // --host's Kubernetes node
    bool node_agent = false;
    bool lazy_disk = false;
    std::string registry;      // --registry, as Registry::named() says it
    std::string registry_ca;   // --registry-ca's PEM
    bool pull_secret = false;  // --registry-auth: kPullSecret holds it
};

// The Secret of a cluster's registry credentials, which every pod of the
// cluster names to pull with (the system's and the agent's).
constexpr const char* kPullSecret = "atomix-test-registry";
nlohmann::json pull_secret_body(const std::string& cluster, const std::string& docker_config);
// An image of this machine's (atomix-test/...) is imported into the nodes
// and never pulled; one named with a registry is pulled once per node.
std::string image_pull_policy(const std::string& image);

nlohmann::json namespace_body(const std::string& cluster, const std::string& profile,
                              const std::string& state_root_label, const NamespaceChoices& choices);
nlohmann::json service_body(const std::string& cluster, int id, const Profile& profile,
                            int local_port, const std::string& host);
nlohmann::json config_map_body(const std::string& cluster, const KubeNodePlan& node,
                               const Profile& profile);
nlohmann::json pod_body(const std::string& cluster, const KubeNodePlan& node,
                        const Profile& profile, const std::string& image);

// What {listen_ip} renders to in a pod: Kubernetes puts the pod's own address
// there (the POD_IP variable, from the downward API), since the node's {ip}
// is its Service's and no interface of the pod has it.
constexpr const char* kPodIpReference = "$(POD_IP)";

// Where the profile's files are in the pod.
constexpr const char* kConfDirInPod = "/conf";
// Each node's CPU request: small enough for 27 pods on 3 Kubernetes nodes of
// 2 cores (the scale bench), enough for a fair share of a busy machine.
constexpr const char* kCpuRequest = "100m";
// The one container of a node's pod.
constexpr const char* kNodeContainer = "node";

}  // namespace atomixtest::kube
