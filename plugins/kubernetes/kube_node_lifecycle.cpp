// A node's pod deleted and made again, and nodes added to or removed from a
// running cluster: the pods come and go, the Service (address, LOCAL PORT,
// what the join captured, where the pod runs) stays as long as the node does.
#include <algorithm>
#include <thread>

#include "agent/node_dirs.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "atomixtest/membership.hpp"
#include "atomixtest/process_tag.hpp"
#include "kube_agent.hpp"
#include "kube_backend.hpp"
#include "kube_runtime.hpp"
#include "labels.hpp"
#include "mount/lazy_mount.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest::kube {

namespace fs = std::filesystem;

std::vector<MemberAddress> KubeBackend::servers_of(const KubeCluster& state) {
    std::vector<MemberAddress> members;
    for (const auto& node : state.nodes) {
        if (node.info.type == NodeType::Server) {
            members.push_back({node.info.id, node.info.name, node.info.ip});
        }
    }
    return members;
}

// The relay holds every LOCAL PORT of the cluster: one for the nodes as they
// are now replaces it.
void KubeBackend::replace_relay(const std::string& cluster) {
    forget_state(cluster);
    kill_processes_tagged_with(cluster);
    start_relay(read_cluster(api(), cluster));
}

void KubeBackend::delete_pod(const KubeCluster& state, const KubeNode& node, int grace_seconds) {
    auto path = path_of(state.ns, "pods", node.info.name);
    api().call("DELETE", path + "?gracePeriodSeconds=" + std::to_string(grace_seconds));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace_seconds + 60);
    while (api().call("GET", path).status != 404) {
        if (std::chrono::steady_clock::now() > deadline) {
            throw Error(ErrorKind::Unavailable,
                        "the pod of node " + std::to_string(node.info.id) + " was not gone " +
                            std::to_string(grace_seconds + 60) + " s after its deletion");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

// Stop: the pod deleted with the profile's grace (SIGTERM first), its data
// dir kept on its Kubernetes node; the Service stays, so the node is listed
// (stopped) and keeps its address.
std::string KubeBackend::stop_node(const KubeCluster& state, const KubeNode& node) {
    if (!node.has_pod) return "";
    int grace = std::max(1, (node.stop_grace_ms + 999) / 1000);
    delete_pod(state, node, grace);
    return "its pod is deleted (SIGTERM, " + std::to_string(grace) +
           " s of grace); its data dir is kept on " + node.home_host;
}

// Start after a stop: the pod made again on the Kubernetes node that has its
// data, with what the join captured, and waited for until it answers.
std::string KubeBackend::start_node(const KubeCluster& state, const KubeNode& node) {
    auto profile = load_profile_to_start(node.info.profile);
    auto plan = plan_node(pods_of(state), profile, {node.info.id, node.info.name, node.info.ip},
                          servers_of(state), node.home_host, node.info.local_port, "existing");
    for (const auto& [key, value] : node.captured) plan.values[key] = value;
    auto image = image_for(profile, {node.home_host}, registry_of(state));
    api().post(path_of(state.ns, "pods"), pod_body(state.info.name, plan, profile, image));
    wait_ready(state.info.name, profile, {plan});
    // It answers a moment before its kubelet says it runs: `nodes` after
    // the start must not read it stopped.
    wait_until_reported_running(state.info.name);
    return "its pod is made again on " + node.home_host + " with its data dir";
}

NodeInfo KubeBackend::add_node(const std::string& cluster, const Profile& profile) {
    auto state = read_cluster(api(), cluster);
    int id = 1;
    std::vector<int> taken;
    for (const auto& node : state.nodes) {
        id = std::max(id, node.info.id + 1);
        taken.push_back(node.info.local_port);
    }
    auto hosts = ready_hosts();
    auto host = state.pinned_host.empty() ? hosts[(id - 1) % hosts.size()] : state.pinned_host;
    auto image = image_for(profile, {host}, registry_of(state));
    int port = local_port_not_in(taken);
    auto member = create_service(cluster, id, profile, port, host);
    try {
        auto members = servers_of(state);
        if (profile.type == NodeType::Server) members.push_back(member);
        auto plan = plan_node(pods_of(state), profile, member, members, host, port, "existing");
        plan.captured = announce_join(profile, state.info.nodes, plan.values);
        if (!plan.captured.empty()) {
            nlohmann::json notes = nlohmann::json::object();
            for (const auto& [key, value] : plan.captured) {
                plan.values[key] = value;
                notes[std::string(annotations::kCapturedPrefix) + key] = value;
            }
            api().merge_patch(path_of(state.ns, "services", plan.name),
                              {{"metadata", {{"annotations", notes}}}});
        }
        if (state.info.disk == "lazy") mount_node_disk(cluster, plan);
        create_pods(cluster, {plan}, profile, image);
        replace_relay(cluster);
        wait_ready(cluster, profile, {plan});
        wait_until_reported_running(cluster);
    } catch (...) {
        try {
            remove_node(cluster, id);
        } catch (const Error&) {
            // the add's own error is the one to report
        }
        throw;
    }
    forget_state(cluster);
    return read_cluster(api(), cluster).node(id).info;
}

// The profile's leave first (etcd's member remove), then the node's objects.
void KubeBackend::remove_node(const std::string& cluster, int node) {
    auto state = read_cluster(api(), cluster);
    const auto& target = state.node(node);
    announce_leave(load_profile(target.info.profile), cluster, state.info.nodes, target.info,
                   target.captured);
    if (target.has_pod) delete_pod(state, target, 0);
    api().call("DELETE", path_of(state.ns, "services", target.info.name));
    api().call("DELETE", path_of(state.ns, "configmaps", target.info.name));
    remove_node_dir(state, target);
    replace_relay(cluster);
}

// Its pod is gone: its lazy disk (if any) unmounts before its data goes.
void KubeBackend::remove_node_dir(const KubeCluster& state, const KubeNode& node) {
    if (state.node_agent) {
        remove_dir_through_agent(state, node.home_host, node_dir_of(state.ns_uid, node.info.id));
        return;
    }
    auto volume = cluster_dir(state.info.name) / "volumes" / std::to_string(node.info.id);
    disk::unmount_lazy_disks(volume);
    std::error_code ignored;
    fs::remove_all(volume, ignored);
    fs::remove_all(cluster_dir(state.info.name) / "disks" / std::to_string(node.info.id), ignored);
}

}  // namespace atomixtest::kube
