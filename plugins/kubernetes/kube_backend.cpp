#include "kube_backend.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <thread>

#include "agent/node_dirs.hpp"
#include "api/kubeconfig.hpp"
#include "api/pod_exec.hpp"
#include "api/port_forward.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "atomixtest/node_tool.hpp"
#include "atomixtest/plugin.hpp"
#include "atomixtest/process.hpp"
#include "atomixtest/process_tag.hpp"
#include "atomixtest/readiness.hpp"
#include "image/assembled_image.hpp"
#include "image/image_archive.hpp"
#include "kube_agent.hpp"
#include "kube_images.hpp"
#include "kube_registry.hpp"
#include "kube_runtime.hpp"
#include "labels.hpp"
#include "mount/lazy_mount.hpp"
#include "node_disk_tool.hpp"
#include "util/daemon_launch.hpp"
#include "util/paths.hpp"
#include "util/port_forwarder.hpp"
#include "util/private_dir.hpp"
#include "util/scope_exit.hpp"

namespace atomixtest::kube {

namespace fs = std::filesystem;

namespace {

// Which state root made a cluster, as a label value (63 characters at most).
std::string state_root_label() {
    return image::sha256_hex(state_root().string()).substr(0, 16);
}

// Namespaces and pods are DNS labels: the cluster name's '_' and '.' are not.
void validate_for_kubernetes(const std::string& cluster) {
    validate_cluster_name(cluster);
    static const std::regex label("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    if (!std::regex_match(cluster, label)) {
        throw bad_input("cluster name '" + cluster +
                        "' cannot name a Kubernetes namespace: use a-z, 0-9 and '-', "
                        "starting and ending with a letter or digit");
    }
}

std::string relay_program() {
    Dl_info info{};
    dladdr(reinterpret_cast<void*>(&relay_program), &info);
    return (fs::path(info.dli_fname ? info.dli_fname : "").parent_path() / "atomixtest-kube-relay")
        .string();
}

}  // namespace

fs::path cluster_dir(const std::string& cluster) {
    return state_root() / "kubernetes" / cluster;
}

// The kernel may hand out a port again until its relay listens on it.
int local_port_not_in(const std::vector<int>& taken) {
    int port = 0;
    do {
        port = free_local_port();
    } while (std::find(taken.begin(), taken.end(), port) != taken.end());
    return port;
}

bool KubeBackend::configured() {
    for (const auto& file : kubeconfig_files(kubeconfig_choice_from_environment())) {
        if (fs::exists(file)) return true;
    }
    return false;
}

ApiClient& KubeBackend::api() {
    std::call_once(api_made_, [this] {
        api_ = std::make_unique<ApiClient>(load_api_endpoint(kubeconfig_choice_from_environment()));
        // The first word with the server: unreachable or refused is said now.
        api_->server_version();
    });
    return *api_;
}

// A Kubernetes node's runtime socket does not change while this process
// runs: every node's asked of the API once, not once per fault step.
std::string KubeBackend::runtime_socket(const std::string& host) {
    std::lock_guard lock(sockets_mutex_);
    auto it = runtime_sockets_.find(host);
    if (it == runtime_sockets_.end()) {
        for (const auto& [name, socket] : containerd_sockets(api()))
            runtime_sockets_[name] = socket;
        // A node the list did not have (gone meanwhile): none to reach.
        it = runtime_sockets_.emplace(host, "").first;
    }
    return it->second;
}

// The API's view of a cluster, read again only after 200 ms: one command's
// steps (locating the cluster, describing it, each node's namespace) ask for
// it several times in a row, while Kubernetes reports a pod's change a
// second after it anyway; this backend's own changes forget it at once.
KubeCluster KubeBackend::cluster_state(const std::string& cluster) {
    std::lock_guard lock(states_mutex_);
    auto now = std::chrono::steady_clock::now();
    auto it = states_.find(cluster);
    if (it != states_.end() && now - it->second.read_at < std::chrono::milliseconds(200)) {
        return it->second.state;
    }
    auto state = read_cluster(api(), cluster);
    states_[cluster] = {state, now};
    return state;
}

void KubeBackend::forget_state(const std::string& cluster) {
    std::lock_guard lock(states_mutex_);
    states_.erase(cluster);
}

std::vector<std::string> KubeBackend::ready_hosts() {
    std::vector<std::string> hosts;
    for (const auto& node : api().get("/api/v1/nodes").value("items", nlohmann::json::array())) {
        bool ready = false;
        for (const auto& condition : node.value("status", nlohmann::json::object())
                                         .value("conditions", nlohmann::json::array())) {
            ready = ready || (condition.value("type", "") == "Ready" &&
                              condition.value("status", "") == "True");
        }
        bool cordoned = node.value("spec", nlohmann::json::object()).value("unschedulable", false);
        if (ready && !cordoned) hosts.push_back(node["metadata"].value("name", ""));
    }
    std::sort(hosts.begin(), hosts.end());
    if (hosts.empty()) throw environment_error("the Kubernetes cluster has no Ready node");
    return hosts;
}

std::string KubeBackend::image_for(const Profile& profile, const std::vector<std::string>& hosts,
                                   const Registry& registry) {
    if (profile.image.host_files.empty()) {
        throw bad_input("profile " + profile.name +
                        " has no image the kubernetes backend can assemble "
                        "(image: {host_files: [...]}), which it imports into the nodes or "
                        "pushes to --registry");
    }
    auto files = image_host_files(profile);
    auto tag = image::assembled_image_tag(profile.image.family, files);
    if (!registry.empty()) return push_assembled_image(registry, profile.image.family, tag, files);
    ensure_image_on_hosts(api(), profile.image.family, tag, files, hosts,
                          state_root() / "kubernetes" / ".images");
    return tag;
}

Registry KubeBackend::registry_asked() {
    auto option = [](const char* variable) {
        const char* value = std::getenv(variable);
        return std::string(value ? value : "");
    };
    return registry_from(option("ATOMIX_TEST_KUBE_REGISTRY"),
                         option("ATOMIX_TEST_KUBE_REGISTRY_CA"),
                         option("ATOMIX_TEST_KUBE_REGISTRY_AUTH"));
}

Registry KubeBackend::registry_of(const KubeCluster& state) {
    auto registry = registry_from(state.registry, "", "");
    registry.ca_pem = state.registry_ca;
    if (state.pull_secret) {
        auto secret = api().get(path_of(state.ns, "secrets", kPullSecret));
        auto data = secret.value("data", nlohmann::json::object());
        registry.auth =
            auth_in_docker_config(base64_decode(data.value(".dockerconfigjson", std::string()),
                                                "the Secret " + std::string(kPullSecret)),
                                  registry.address);
    }
    return registry;
}

// The credentials as a Secret of the namespace, which every pod of the
// cluster (the agent's too) names to pull with.
void KubeBackend::keep_registry_credentials(const std::string& cluster, const Registry& registry) {
    api().post(path_of(namespace_of(cluster), "secrets"),
               pull_secret_body(cluster, docker_config_of(registry)));
}

// A new namespace's pods are refused until the controller-manager has made
// its default ServiceAccount.
void KubeBackend::wait_for_service_account(const std::string& ns) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (true) {
        auto reply = api().call("GET", path_of(ns, "serviceaccounts", "default"));
        if (reply.status == 200) return;
        if (std::chrono::steady_clock::now() > deadline) {
            throw environment_error("namespace " + ns +
                                    " got no default ServiceAccount within 20 s (is the "
                                    "controller-manager running?)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

MemberAddress KubeBackend::create_service(const std::string& cluster, int id,
                                          const Profile& profile, int local_port,
                                          const std::string& host) {
    auto service = api().post(path_of(namespace_of(cluster), "services"),
                              service_body(cluster, id, profile, local_port, host));
    return {id, node_name(cluster, id), service["spec"].value("clusterIP", "")};
}

KubeBackend::PodsOf KubeBackend::pods_of(const KubeCluster& state) {
    return {state.info.name, state.node_agent ? state.ns_uid : "", state.pull_secret};
}

// The data dir is a directory of the Kubernetes node (a hostPath), so that a
// stopped node starts with its data: in the node dir the agent keeps there
// (agent/node_dirs.hpp), or, for a node of scripts/kube reached from here,
// in the cluster's state dir.
KubeNodePlan KubeBackend::plan_node(const PodsOf& pods, const Profile& profile,
                                    const MemberAddress& node,
                                    const std::vector<MemberAddress>& members,
                                    const std::string& host, int local_port,
                                    const std::string& cluster_state) {
    KubeNodePlan plan;
    plan.id = node.id;
    plan.name = node.name;
    plan.ip = node.ip;
    plan.host = host;
    plan.local_port = local_port;
    plan.pull_secret = pods.pull_secret;
    if (!pods.agent_ns_uid.empty()) {
        plan.node_dir = node_dir_of(pods.agent_ns_uid, node.id);
        plan.data_host_dir = plan.node_dir + "/data";
    } else if (!runtime_socket(host).empty()) {
        plan.data_host_dir =
            (cluster_dir(pods.cluster) / "volumes" / std::to_string(node.id)).string();
    }
    plan.values = node_template_values(profile, {.cluster = pods.cluster,
                                                 .node = node,
                                                 .members = members,
                                                 .data_dir = "/data",
                                                 .log_dir = "/log",
                                                 .conf_dir = kConfDirInPod,
                                                 .cluster_state = cluster_state,
                                                 .listen_ip = kPodIpReference});
    return plan;
}

// A lazy disk is served at the node's data dir before its pod exists, and the
// pod binds it as its hostPath: the image needs nothing of FUSE. Its daemon
// runs on this machine (tagged with the cluster) for scripts/kube's nodes,
// else in the node agent on the pod's Kubernetes node (the node disk tool,
// beside the node; agent/node_dirs.hpp).
void KubeBackend::mount_node_disk(const std::string& cluster, const KubeNodePlan& node) {
    if (!node.node_dir.empty()) {
        auto mounted = exec_on_host(cluster, node.host,
                                    agent_beside_argv(node.node_dir, false,
                                                      {plugin_program(disk::kNodeDiskProgram),
                                                       "mount", cluster, std::to_string(node.id)}),
                                    "");
        if (mounted.exit_code != 0) {
            throw environment_error("the node agent on " + node.host +
                                    " could not make the lazy disk of node " +
                                    std::to_string(node.id) + ": " + mounted.err);
        }
        return;
    }
    auto disk = disk::lazy_disk_at(node.data_host_dir,
                                   cluster_dir(cluster) / "disks" / std::to_string(node.id));
    disk::mount_lazy_disk(disk, "kubernetes", cluster, node.id);
}

void KubeBackend::create_pods(const std::string& cluster, const std::vector<KubeNodePlan>& nodes,
                              const Profile& profile, const std::string& image) {
    auto ns = namespace_of(cluster);
    for (const auto& node : nodes) {
        if (!profile.files.empty()) {
            api().post(path_of(ns, "configmaps"), config_map_body(cluster, node, profile));
        }
    }
    size_t first = 0;
    if (profile.lead_first.port != 0 && nodes.size() > 1) {
        // See LeadFirst: the first member serves before the others start.
        api().post(path_of(ns, "pods"), pod_body(cluster, nodes[0], profile, image));
        auto deadline = std::chrono::steady_clock::now() + profile.lead_first.timeout;
        auto endpoint = api().endpoint();
        while (std::chrono::steady_clock::now() < deadline) {
            try {
                open_port_forward(endpoint, {ns, nodes[0].name, profile.lead_first.port});
                break;
            } catch (const Error&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        first = 1;
    }
    for (size_t i = first; i < nodes.size(); ++i) {
        api().post(path_of(ns, "pods"), pod_body(cluster, nodes[i], profile, image));
    }
}

// The relay holds the cluster's LOCAL PORTs; a new one replaces it when the
// nodes change.
void KubeBackend::start_relay(const KubeCluster& cluster) {
    auto dir = cluster_dir(cluster.info.name);
    make_state_directory(dir);
    std::vector<std::string> argv = {relay_program(), cluster.ns};
    for (const auto& node : cluster.nodes) {
        if (node.info.local_port == 0 || node.client_port == 0) continue;
        argv.push_back(std::to_string(node.info.local_port) + "=" + node.info.name + ":" +
                       std::to_string(node.client_port));
    }
    // The relay reads the same kubeconfig and context as this process.
    auto endpoint = api().endpoint();
    setenv("ATOMIX_TEST_KUBE_CONTEXT", endpoint.context.c_str(), 1);
    launch_daemon(
        {.argv = argv, .cluster = cluster.info.name, .log_file = (dir / "relay.log").string()});
}

void KubeBackend::wait_ready(const std::string& cluster, const Profile& profile,
                             const std::vector<KubeNodePlan>& nodes) {
    std::vector<ProbeTarget> targets;
    for (const auto& node : nodes) targets.push_back({node.id, node.local_port, {}});
    require_ready(cluster, profile.ready, targets, [&](int id) { return logs(cluster, id); });
}

// The kubelets report a container running a moment after it answers: the
// cluster is described once they have.
void KubeBackend::wait_until_reported_running(const std::string& cluster) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (true) {
        auto state = read_cluster(api(), cluster);
        bool all = std::all_of(state.nodes.begin(), state.nodes.end(), [](const KubeNode& node) {
            return node.info.status == NodeStatus::Running;
        });
        if (all) return;
        if (std::chrono::steady_clock::now() > deadline) {
            throw environment_error("the pods of " + cluster +
                                    " answer, but their kubelets do not report them running");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

ClusterInfo KubeBackend::setup(const ClusterSpec& spec, const Profile& profile) {
    validate_for_kubernetes(spec.name);
    if (spec.nodes < 1 || spec.nodes > 200) throw bad_input("--nodes must be 1..200");
    auto ns = namespace_of(spec.name);
    auto existing = api().call("GET", "/api/v1/namespaces/" + ns);
    if (existing.status == 200) {
        throw bad_input("the Kubernetes namespace " + ns + " exists already: the name is in use");
    }
    // Anything but "not found" (a refusal by RBAC) in the server's own words.
    if (existing.status != 404) api().get("/api/v1/namespaces/" + ns);
    auto hosts = ready_hosts();
    if (spec.host > static_cast<int>(hosts.size())) {
        std::string names;
        for (const auto& host : hosts) names += (names.empty() ? "" : ", ") + host;
        throw bad_input("--host " + std::to_string(spec.host) + ": the Kubernetes cluster has " +
                        std::to_string(hosts.size()) + " Ready node(s) (" + names + ")");
    }
    // The image before any object: a profile that cannot be assembled leaves nothing.
    std::vector<std::string> spread;
    for (int id = 1; id <= spec.nodes; ++id) {
        spread.push_back(spec.host > 0 ? hosts[spec.host - 1] : hosts[(id - 1) % hosts.size()]);
    }
    auto registry = registry_asked();
    auto image = image_for(profile, spread, registry);
    // Faults enter the pods from this process where their processes are this
    // machine's; elsewhere (or when asked) through the node agent.
    bool agent = wants_node_agent() || std::any_of(hosts.begin(), hosts.end(), [&](const auto& h) {
                     return runtime_socket(h).empty();
                 });
    bool lazy_disk = spec.disk == "lazy" || profile.lazy_disk;
    auto made = api().post("/api/v1/namespaces",
                           namespace_body(spec.name, profile.name, state_root_label(),
                                          {.pinned_host = spec.host > 0 ? hosts[spec.host - 1] : "",
                                           .node_agent = agent,
                                           .lazy_disk = lazy_disk,
                                           .registry = registry.named(),
                                           .registry_ca = registry.ca_pem,
                                           .pull_secret = !registry.auth.empty()}));
    PodsOf pods{spec.name, agent ? made["metadata"].value("uid", "") : "", !registry.auth.empty()};
    try {
        wait_for_service_account(ns);
        if (!registry.auth.empty()) keep_registry_credentials(spec.name, registry);
        if (agent) install_agent(spec.name, hosts, registry);
        std::vector<MemberAddress> members;
        std::vector<int> local_ports;
        for (int id = 1; id <= spec.nodes; ++id) {
            int port = local_port_not_in(local_ports);
            local_ports.push_back(port);
            members.push_back(create_service(spec.name, id, profile, port, spread[id - 1]));
        }
        std::vector<KubeNodePlan> nodes;
        for (int id = 1; id <= spec.nodes; ++id) {
            nodes.push_back(plan_node(pods, profile, members[id - 1], members, spread[id - 1],
                                      local_ports[id - 1], "new"));
        }
        if (lazy_disk) {
            // Behind the agent, its pods serve the disks: they must run first.
            if (agent) wait_for_agents(spec.name);
            for (const auto& node : nodes) mount_node_disk(spec.name, node);
        }
        throw_if_interrupted("set-up, creating services");
        start_relay(read_cluster(api(), spec.name));
        create_pods(spec.name, nodes, profile, image);
        throw_if_interrupted("set-up, starting pods");
        wait_ready(spec.name, profile, nodes);
        wait_until_reported_running(spec.name);
        if (agent) wait_for_agents(spec.name);
    } catch (...) {
        try {
            teardown(spec.name);
        } catch (const Error&) {
            // the setup's own error is the one to report
        }
        throw;
    }
    forget_state(spec.name);
    return describe(spec.name);
}

void KubeBackend::teardown(const std::string& cluster) {
    validate_for_kubernetes(cluster);
    forget_state(cluster);
    kill_processes_tagged_with(cluster);
    auto ns = namespace_of(cluster);
    auto found = api().call("GET", "/api/v1/namespaces/" + ns);
    std::optional<Error> dirs_left;
    if (found.status == 200) {
        auto labels = found.json()["metadata"].value("labels", nlohmann::json::object());
        if (labels.value(labels::kCluster, std::string()) != cluster) {
            throw bad_input("namespace " + ns + " is not a cluster of atomix-test; left alone");
        }
        // The pods at once (a test cluster is not a production one), their
        // node dirs on the Kubernetes nodes while the agent is there to
        // remove them, then the namespace, waited for, so that the name can
        // be used again.
        api().call("DELETE", path_of(ns, "pods") + "?gracePeriodSeconds=0&labelSelector=" +
                                 labels::kRole + "%3Dnode");
        auto state = read_cluster(api(), cluster);
        if (state.node_agent) {
            try {
                remove_node_dirs_through_agents(state);
            } catch (const Error& error) {
                dirs_left = error;
            }
        }
        api().call("DELETE", path_of(ns, "pods") + "?gracePeriodSeconds=0");
        api().remove("/api/v1/namespaces/" + ns);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (api().call("GET", "/api/v1/namespaces/" + ns).status != 404) {
            if (std::chrono::steady_clock::now() > deadline) {
                throw environment_error("namespace " + ns + " was not removed within 60 s");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    // The pods that bound them are gone: the lazy disks unmount.
    disk::unmount_lazy_disks(cluster_dir(cluster));
    std::error_code ignored;
    fs::remove_all(cluster_dir(cluster), ignored);
    // The namespace goes all the same (a broken agent would keep it
    // forever); what is left on a Kubernetes node is said.
    if (dirs_left) throw *dirs_left;
}

std::vector<std::string> KubeBackend::list() {
    if (!configured()) return {};
    return cluster_names(api(), state_root_label());
}

// Kubernetes does not know of a frozen container: its freezer cgroup is
// read, where this machine reaches it.
ClusterInfo KubeBackend::describe(const std::string& cluster) {
    validate_for_kubernetes(cluster);
    auto state = cluster_state(cluster);
    std::vector<std::string> uids;
    for (const auto& node : state.nodes) {
        // Through the agent, a pause is recorded on the pod (read_cluster).
        if (node.info.status == NodeStatus::Running && !state.node_agent &&
            !runtime_socket(node.info.host).empty()) {
            uids.push_back(node.pod_uid);
        }
    }
    auto processes = processes_of_pods(uids);
    for (auto& node : state.info.nodes) {
        auto it = processes.find(state.node(node.id).pod_uid);
        if (it != processes.end() && container_frozen(it->second)) node.status = NodeStatus::Paused;
    }
    return state.info;
}

// A node's pod process on this machine, remembered for the rest of this
// command while it stays the pod's (a fault step asks for every node's
// namespace several times); a pod made again has a new UID, and is read
// again from the API.
int KubeBackend::pod_pid_of(const std::string& cluster, int node) {
    auto key = cluster + "/" + std::to_string(node);
    {
        std::lock_guard lock(pods_mutex_);
        auto it = pod_pids_.find(key);
        if (it != pod_pids_.end() && in_pod(it->second.pid, it->second.uid)) return it->second.pid;
    }
    // One read of the API for every node of the cluster: a step asks for each.
    auto state = cluster_state(cluster);
    const auto& target = state.node(node);
    if (runtime_socket(target.info.host).empty()) {
        throw environment_error("node " + std::to_string(node) + " runs on " + target.info.host +
                                ", whose processes this machine cannot see; a cluster set up "
                                "with --node-agent takes its faults through the node agent");
    }
    std::vector<std::string> uids;
    for (const auto& each : state.nodes) {
        if (each.has_pod && !runtime_socket(each.info.host).empty()) uids.push_back(each.pod_uid);
    }
    auto processes = processes_of_pods(uids);
    std::lock_guard lock(pods_mutex_);
    for (const auto& each : state.nodes) {
        auto it = processes.find(each.pod_uid);
        if (it == processes.end()) continue;
        if (int pid = sandbox_or_first(it->second)) {
            pod_pids_[cluster + "/" + std::to_string(each.info.id)] = {each.pod_uid, pid};
        }
    }
    auto it = pod_pids_.find(key);
    if (it == pod_pids_.end() || it->second.uid != target.pod_uid) {
        throw Error(ErrorKind::Unavailable,
                    "node " + std::to_string(node) + " of " + cluster + " has no pod running");
    }
    return it->second.pid;
}

// The containerd socket of the node's container, for an action on it.
std::string KubeBackend::runtime_of(const KubeNode& node, NodeAction action) {
    auto socket = runtime_socket(node.info.host);
    if (socket.empty() || node.container_id.empty()) {
        throw Error(ErrorKind::Unavailable, "node " + std::to_string(node.info.id) +
                                                " has no running container to " +
                                                to_string(action));
    }
    return socket;
}

std::string KubeBackend::node_action(const std::string& cluster, int node, NodeAction action) {
    forget_state(cluster);
    ScopeExit forget([&] { forget_state(cluster); });
    auto state = read_cluster(api(), cluster);
    const auto& target = state.node(node);
    switch (action) {
        case NodeAction::Kill:
        case NodeAction::Restart: {
            if (state.node_agent) {
                return signal_through_agent(state, target,
                                            action == NodeAction::Kill ? "SIGKILL" : "SIGTERM");
            }
            auto socket = runtime_of(target, action);
            // The pod's restart policy starts it again, its data dir kept.
            int pid = task_pid(socket, target.container_id);
            signal_task(socket, target.container_id,
                        action == NodeAction::Kill ? "SIGKILL" : "SIGTERM");
            auto deadline = std::chrono::steady_clock::now() +
                            std::chrono::milliseconds(target.stop_grace_ms) +
                            std::chrono::seconds(5);
            while (pid != 0 && process_running(pid)) {
                if (std::chrono::steady_clock::now() > deadline) {
                    throw Error(ErrorKind::Unavailable,
                                "node " + std::to_string(node) + "'s process (pid " +
                                    std::to_string(pid) + ") outlived the signal");
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            return "its process (pid " + std::to_string(pid) +
                   ") is gone; the pod starts the container again";
        }
        case NodeAction::Stop:
            return stop_node(state, target);
        case NodeAction::Start:
        case NodeAction::Recover: {
            if (!target.has_pod) return start_node(state, target);
            // The kubelet starts a dead container again by itself (after a
            // back-off that grows with each death): waited for here.
            auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
            while (read_cluster(api(), cluster).node(node).info.status != NodeStatus::Running) {
                if (std::chrono::steady_clock::now() > deadline) {
                    throw Error(ErrorKind::Unavailable, "node " + std::to_string(node) +
                                                            " was not started again within 90 s");
                }
                throw_if_interrupted("waiting for a pod's container to start again");
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            return "the pod's container runs again";
        }
        case NodeAction::Pause:
        case NodeAction::Resume: {
            if (state.node_agent) {
                return freeze_through_agent(state, target, action == NodeAction::Pause);
            }
            auto socket = runtime_of(target, action);
            bool pause = action == NodeAction::Pause;
            auto status = task_status(socket, target.container_id);
            if (status == (pause ? "PAUSED" : "RUNNING")) return "";
            pause_task(socket, target.container_id, pause);
            // The runtime's own word, read back, before the pause counts.
            status = task_status(socket, target.container_id);
            if (pause && status != "PAUSED") {
                pause_task(socket, target.container_id, false);
                throw Error(ErrorKind::Unavailable, "containerd accepted the pause of node " +
                                                        std::to_string(node) + " but says it is " +
                                                        status + "; it was resumed");
            }
            return pause ? "the runtime says the container is paused (cgroup freezer)" : "";
        }
    }
    throw bad_input(std::string("node action ") + to_string(action) +
                    " is not known to the kubernetes backend");
}

std::string KubeBackend::logs(const std::string& cluster, int node) {
    auto state = read_cluster(api(), cluster);
    const auto& target = state.node(node);
    if (!target.has_pod) return "";
    auto reply =
        api().call("GET", path_of(state.ns, "pods", target.info.name) + "/log?tailLines=200");
    return reply.status == 200 ? reply.body : "";
}

// Through the API server's exec, so that it works on any cluster kubectl
// reaches. Detached: the image's sh starts it in a session of its own and
// the exec returns at once; the pod's end ends it.
CommandResult KubeBackend::execute_in_node(const std::string& cluster, int node,
                                           const std::vector<std::string>& argv, bool detached) {
    if (argv.empty()) throw bad_input("run: no command given");
    auto state = read_cluster(api(), cluster);
    const auto& target = state.node(node);
    if (target.info.status != NodeStatus::Running) {
        throw Error(ErrorKind::Unavailable, "node " + std::to_string(node) + " of " + cluster +
                                                " is " + to_string(target.info.status) +
                                                ": its container cannot run a command");
    }
    PodExec exec{
        .ns = state.ns, .pod = target.info.name, .container = kNodeContainer, .argv = argv};
    if (detached) {
        exec.argv = {"sh", "-c", "setsid -f \"$@\" </dev/null >/dev/null 2>&1", "execute"};
        exec.argv.insert(exec.argv.end(), argv.begin(), argv.end());
    }
    auto result = exec_in_pod(api().endpoint(), exec);
    if (detached && result.exit_code != 0) {
        throw Error(
            ErrorKind::Unavailable,
            "execute on node " + std::to_string(node) +
                " needs sh and setsid in the node's image (the profile's image.host_files): " +
                result.err);
    }
    return {node, result.exit_code, detached ? "" : result.out, result.err};
}

namespace {

Error reached_through_agent(const std::string& cluster, int node) {
    return Error(
        ErrorKind::Environment,
        "node " + std::to_string(node) + " of " + cluster +
            " is reached through the node agent, and this fault acts from this "
            "process: through the agent work partitions, netem (not rate), stress, clock, kill "
            "and pause (README)");
}

}  // namespace

// The sandbox's namespace: it outlives the container's restarts.
std::string KubeBackend::network_namespace(const std::string& cluster, int node) {
    if (cluster_state(cluster).node_agent) throw reached_through_agent(cluster, node);
    return "/proc/" + std::to_string(pod_pid_of(cluster, node)) + "/ns/net";
}

bool KubeBackend::reaches_nodes_in_process(const std::string& cluster) {
    return !cluster_state(cluster).node_agent;
}

int KubeBackend::node_pid(const std::string& cluster, int node) {
    auto state = cluster_state(cluster);
    if (state.node_agent) throw reached_through_agent(cluster, node);
    const auto& target = state.node(node);
    if (runtime_socket(target.info.host).empty()) return 0;
    return container_main_pid(processes_of_pods({target.pod_uid})[target.pod_uid]);
}

std::vector<CommandResult> KubeBackend::run_in_nodes(const std::string& cluster,
                                                     const std::vector<NodeCommand>& commands) {
    auto state = cluster_state(cluster);
    if (state.node_agent) return run_through_agents(state, commands);
    return run_in_namespaces(commands, [&](int node) { return network_namespace(cluster, node); });
}

// A crash between a setup's steps can leave a relay (tagged, found by gc's
// process sweep) and a state dir; the namespace itself is a listed cluster.
std::vector<std::string> KubeBackend::remove_leftovers(const std::vector<std::string>& in_use,
                                                       bool dry_run) {
    std::vector<std::string> listed;
    try {
        listed = list();
    } catch (const Error&) {
        // No Kubernetes to ask: its namespaces are not this machine's to judge.
        return {};
    }
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(state_root() / "kubernetes", error)) {
        auto cluster = entry.path().filename().string();
        if (cluster.front() == '.' ||
            std::find(listed.begin(), listed.end(), cluster) != listed.end() ||
            std::find(in_use.begin(), in_use.end(), cluster) != in_use.end()) {
            continue;
        }
        for (const auto& mountpoint : disk::lazy_disk_mounts(entry.path())) {
            found.push_back("lazy disk mount " + mountpoint);
        }
        found.push_back("state dir " + entry.path().string());
        if (dry_run) continue;
        disk::unmount_lazy_disks(entry.path());
        fs::remove_all(entry.path(), error);
    }
    return found;
}

}  // namespace atomixtest::kube

ATOMIXTEST_PLUGIN(Backend, "kubernetes",
                  "nodes as pods of a Kubernetes cluster (its own namespace), LOCAL PORTs through "
                  "the API server",
                  atomixtest::kube::KubeBackend);
