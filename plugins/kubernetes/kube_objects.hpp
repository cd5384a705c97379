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

struct KubeNodePlan {
    int id = 0;
    std::string name;  // CLUSTER-ID: the pod's, the Service's and the ConfigMap's name
    std::string ip;    // the Service's ClusterIP
    std::string host;  // the Kubernetes node it runs on
    int local_port = 0;
    TemplateValues values;
    std::map<std::string, std::string> captured;  // from the profile's join
};

nlohmann::json namespace_body(const std::string& cluster, const std::string& profile,
                              const std::string& state_root_label);
nlohmann::json service_body(const std::string& cluster, int id, const Profile& profile,
                            int local_port);
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

}  // namespace atomixtest::kube
