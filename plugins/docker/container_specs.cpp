#include "container_specs.hpp"

#include <dlfcn.h>

#include <cmath>
#include <filesystem>

#include "labels.hpp"
#include "sidecar/agent_protocol.hpp"

namespace atomixtest::docker {

std::string sidecar_name(const std::string& node_name) {
    return node_name + "-sidecar";
}

std::string relay_name(const std::string& cluster) {
    return cluster + "-relay";
}

// Assembled images keep host paths, so the program is where it is here:
// beside this plugin.
std::string sidecar_program() {
    Dl_info info{};
    dladdr(reinterpret_cast<void*>(&sidecar_program), &info);
    return (std::filesystem::path(info.dli_fname ? info.dli_fname : "").parent_path() /
            "atomixtest-sidecar")
        .string();
}

nlohmann::json network_body(const std::string& cluster, const std::string& profile,
                            const std::string& subnet, const std::string& gateway, bool lazy_disk) {
    nlohmann::json labels = {{labels::kCluster, cluster}, {labels::kProfile, profile}};
    if (lazy_disk) labels[labels::kDisk] = "lazy";
    return {{"Name", cluster},
            {"Driver", "bridge"},
            {"CheckDuplicate", true},
            {"Internal", true},  // no route out of the cluster
            {"Labels", labels},
            {"IPAM", {{"Config", {{{"Subnet", subnet}, {"Gateway", gateway}}}}}}};
}

nlohmann::json sidecar_body(const std::string& cluster, const NodePlan& node,
                            const Profile& profile, const std::string& tools_image,
                            const std::string& agent_dir) {
    return {{"Image", tools_image},
            {"Entrypoint", {sidecar_program(), "agent"}},
            {"Hostname", node.name},
            {"Labels",
             {{labels::kCluster, cluster},
              {labels::kNode, std::to_string(node.id)},
              {labels::kRole, "sidecar"},
              {labels::kType, to_string(profile.type)},
              {labels::kProfile, profile.name}}},
            {"HostConfig",
             {{"Init", true},  // reaps what the fault tools leave behind
              {"Binds", {agent_dir + ":" + kAgentDirInSidecar}},
              {"CapAdd", {"NET_ADMIN", "NET_RAW"}},
              {"NetworkMode", cluster}}},
            {"NetworkingConfig",
             {{"EndpointsConfig", {{cluster, {{"IPAMConfig", {{"IPv4Address", node.ip}}}}}}}}}};
}

nlohmann::json node_body(const std::string& cluster, const NodePlan& node, const Profile& profile,
                         const std::string& image, double cpus, int64_t memory) {
    std::vector<std::string> command;
    for (const auto& arg : profile.command) command.push_back(render_template(arg, node.values));
    std::vector<std::string> env;
    for (const auto& [key, value] : profile.env) {
        env.push_back(key + "=" + render_template(value, node.values));
    }
    nlohmann::json labels = {{labels::kCluster, cluster},
                             {labels::kNode, std::to_string(node.id)},
                             {labels::kRole, "node"},
                             {labels::kType, to_string(profile.type)},
                             {labels::kProfile, profile.name},
                             {labels::kIp, node.ip},
                             {labels::kLocalPort, std::to_string(node.local_port)},
                             {labels::kClientPort, std::to_string(profile.client_port)},
                             {labels::kStopGrace, std::to_string(profile.stop_grace.count())}};
    for (const auto& [key, value] : node.captured) {
        labels[std::string(labels::kCapturedPrefix) + key] = value;
    }
    nlohmann::json host = {{"NetworkMode", "container:" + sidecar_name(node.name)}};
    // A lazy disk is served on this machine and bound in: the image needs
    // nothing of FUSE.
    if (!node.data_source.empty()) host["Binds"] = {node.data_source + ":/data"};
    if (cpus > 0) host["NanoCpus"] = static_cast<int64_t>(std::llround(cpus * 1e9));
    if (memory > 0) host["Memory"] = memory;
    return {{"Image", image},
            {"Entrypoint", command},
            {"Env", env},
            {"Labels", labels},
            {"StopTimeout", std::max<int64_t>(1, profile.stop_grace.count() / 1000)},
            {"HostConfig", host}};
}

nlohmann::json relay_body(const std::string& cluster, const std::string& tools_image,
                          const std::vector<std::string>& mappings, int generation) {
    std::vector<std::string> entrypoint = {sidecar_program(), "relay"};
    entrypoint.insert(entrypoint.end(), mappings.begin(), mappings.end());
    return {{"Image", tools_image},
            {"Entrypoint", entrypoint},
            {"Labels",
             {{labels::kCluster, cluster},
              {labels::kRole, "relay"},
              {labels::kGeneration, std::to_string(generation)}}},
            // The host's network, where 127.0.0.1 is the user's: it listens
            // there only, and reaches the nodes over the cluster's bridge.
            {"HostConfig", {{"NetworkMode", "host"}, {"Init", true}}}};
}

}  // namespace atomixtest::docker
