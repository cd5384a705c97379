#include "docker_backend.hpp"

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "atomixtest/interrupt.hpp"
#include "atomixtest/membership.hpp"
#include "atomixtest/netns.hpp"
#include "atomixtest/plugin.hpp"
#include "atomixtest/process_tag.hpp"
#include "atomixtest/readiness.hpp"
#include "cluster_plan.hpp"
#include "container_runtime.hpp"
#include "engine_api/log_stream.hpp"
#include "engine_api/query.hpp"
#include "image/image_store.hpp"
#include "image/tar_writer.hpp"
#include "mount/lazy_mount.hpp"
#include "profile/profile_loader.hpp"
#include "sidecar/agent_protocol.hpp"
#include "tools_image.hpp"
#include "util/paths.hpp"
#include "util/private_dir.hpp"

namespace atomixtest::docker {

namespace fs = std::filesystem;

namespace {

fs::path agent_dir(const std::string& cluster, int node) {
    return state_root() / "docker" / cluster / std::to_string(node);
}

// Runs work(i) for i in [0, count) on threads of their own; rethrows the first
// failure once all are done.
void in_parallel(size_t count, const std::function<void(size_t)>& work) {
    std::vector<std::future<void>> running;
    for (size_t i = 0; i < count; ++i) running.push_back(std::async(std::launch::async, work, i));
    std::exception_ptr first;
    for (auto& task : running) {
        try {
            task.get();
        } catch (...) {
            if (!first) first = std::current_exception();
        }
    }
    if (first) std::rethrow_exception(first);
}

std::vector<MemberAddress> servers_of(const DockerCluster& cluster) {
    std::vector<MemberAddress> members;
    for (const auto& node : cluster.nodes) {
        if (node.info.type == NodeType::Server && !node.container.empty()) {
            members.push_back({node.info.id, node.info.name, node.info.ip});
        }
    }
    return members;
}

}  // namespace

EngineClient& DockerBackend::engine() {
    std::call_once(engine_made_, [this] {
        engine_ = std::make_unique<EngineClient>(engine_address_from_environment());
    });
    return *engine_;
}

std::string DockerBackend::remembered_image(const std::string& key,
                                            const std::function<std::string()>& make) {
    std::lock_guard lock(images_mutex_);
    auto found = images_.find(key);
    if (found != images_.end()) return found->second;
    return images_[key] = make();
}

std::string DockerBackend::tools_image() {
    return remembered_image(
        "tools", [this] { return ensure_assembled_image(engine(), "tools", tools_image_files()); });
}

std::string DockerBackend::image_for(const Profile& profile) {
    if (!profile.image.host_files.empty()) {
        auto files = image_host_files(profile);
        return remembered_image("family " + profile.image.family, [&] {
            return ensure_assembled_image(engine(), profile.image.family, files);
        });
    }
    if (!profile.image.name.empty()) {
        return remembered_image("named " + profile.image.name,
                                [&] { return ensure_named_image(engine(), profile.image.name); });
    }
    throw bad_input("profile " + profile.name +
                    " says nothing of an image, which the docker backend needs "
                    "(image: {name: ...} or image: {host_files: [...]})");
}

void DockerBackend::create_node(const std::string& cluster, NodePlan node, const Profile& profile,
                                const std::string& image, double cpus, int64_t memory,
                                bool lazy_disk) {
    auto dir = agent_dir(cluster, node.id);
    make_state_directory(dir);
    if (lazy_disk) {
        auto disk = disk::lazy_disk_at(dir / "data", dir);
        disk::mount_lazy_disk(disk, "docker", cluster, node.id);
        node.data_source = disk.mountpoint.string();
    }
    auto sidecar = sidecar_name(node.name);
    engine().post("/containers/create?name=" + sidecar,
                  sidecar_body(cluster, node, profile, tools_image(), dir.string()));
    engine().post("/containers/" + sidecar + "/start");
    engine().post("/containers/create?name=" + node.name,
                  node_body(cluster, node, profile, image, cpus, memory));
    // The profile's files (a node's config) go in before it starts: the
    // system's image needs no shell to write them.
    auto files = render_files(profile, node.values);
    if (!files.empty()) {
        engine().call("PUT", "/containers/" + node.name + "/archive?path=/",
                      image::files_archive(kConfDirInNode, files), "application/x-tar");
    }
}

void DockerBackend::start_nodes(const std::vector<NodePlan>& nodes, const Profile& profile) {
    size_t first = 0;
    if (profile.lead_first.port != 0 && nodes.size() > 1) {
        // See LeadFirst: the first member serves before the others start.
        engine().post("/containers/" + nodes[0].name + "/start");
        auto url = "http://" + nodes[0].ip + ":" + std::to_string(profile.lead_first.port) +
                   profile.lead_first.path;
        auto deadline = std::chrono::steady_clock::now() + profile.lead_first.timeout;
        for_each_network_namespace(
            {network_namespace_of_sidecar(engine(), nodes[0].name)}, [&](size_t) {
                while (std::chrono::steady_clock::now() < deadline) {
                    try {
                        auto reply =
                            http_request({.url = url, .timeout = std::chrono::milliseconds(200)});
                        if (reply.status == 200) return;
                    } catch (const Error&) {
                        // not listening yet
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                }
            });
        first = 1;
    }
    in_parallel(nodes.size() - first, [&](size_t i) {
        engine().post("/containers/" + nodes[first + i].name + "/start");
    });
}

void DockerBackend::wait_ready(const std::string& cluster, const Profile& profile,
                               const std::vector<NodePlan>& nodes) {
    std::vector<ProbeTarget> targets;
    for (const auto& node : nodes) targets.push_back({node.id, node.local_port});
    require_ready(cluster, profile.ready, targets, [&](int id) { return logs(cluster, id); });
}

// The new relay listens beside the old one (SO_REUSEPORT) before the old one
// goes, so LOCAL PORTs stay open while a node is added or removed.
void DockerBackend::replace_relay(const std::string& cluster) {
    auto state = read_cluster(engine(), cluster);
    std::vector<std::string> mappings;
    for (const auto& node : state.nodes) {
        if (node.container.empty() || node.info.local_port == 0) continue;
        mappings.push_back(std::to_string(node.info.local_port) + "=" + node.info.ip + ":" +
                           std::to_string(node.client_port));
    }
    auto name = relay_name(cluster) + "-" + std::to_string(state.relay_generation + 1);
    engine().post("/containers/create?name=" + name,
                  relay_body(cluster, tools_image(), mappings, state.relay_generation + 1));
    engine().post("/containers/" + name + "/start");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (split_log_stream(engine().call("GET", "/containers/" + name + "/logs?stdout=1").body)
               .out.find("relay: ready") == std::string::npos) {
        if (std::chrono::steady_clock::now() > deadline) {
            throw environment_error("the LOCAL PORT relay " + name +
                                    " did not start: " + logs_of_container(name));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    remove_containers(state.relays);
}

std::string DockerBackend::logs_of_container(const std::string& name) {
    return split_log_stream(
               engine().call("GET", "/containers/" + name + "/logs?stdout=1&stderr=1&tail=50").body)
        .both;
}

void DockerBackend::remove_containers(const std::vector<std::string>& ids) {
    in_parallel(ids.size(), [&](size_t i) {
        try {
            engine().call("DELETE", "/containers/" + ids[i] + "?force=1&v=1");
        } catch (const Error& error) {
            if (error.kind() != ErrorKind::NotFound) throw;
        }
    });
}

ClusterInfo DockerBackend::setup(const ClusterSpec& spec, const Profile& profile) {
    validate_cluster_name(spec.name);
    if (spec.nodes < 1 || spec.nodes > 200) throw bad_input("--nodes must be 1..200");
    if (spec.host != 0) {
        throw bad_input(
            "--host: a docker cluster's nodes are all on this engine's machine "
            "(--host is the kubernetes backend's)");
    }
    auto existing = engine().get("/networks?filters=" + name_filter(spec.name));
    for (const auto& network : existing) {
        if (network.value("Name", "") == spec.name) {
            throw bad_input("a Docker network named " + spec.name +
                            " exists already: the name is in use");
        }
    }
    auto network = plan_network(engine(), spec);
    // Images before any object: a profile that cannot be assembled leaves nothing.
    auto image = image_for(profile);
    tools_image();
    std::vector<int> ids;
    std::vector<MemberAddress> members;
    for (int id = 1; id <= spec.nodes; ++id) {
        ids.push_back(id);
        members.push_back({id, spec.name + "-" + std::to_string(id), node_ip(network.subnet, id)});
    }
    auto nodes = plan_nodes(spec.name, profile, network.subnet, ids, members, "new");
    // From here on the network is this setup's, and so is everything labelled
    // with the cluster: a failure removes all of it, and nothing else.
    bool lazy_disk = spec.disk == "lazy" || profile.lazy_disk;
    engine().post("/networks/create", network_body(spec.name, profile.name, network.subnet,
                                                   network.gateway, lazy_disk));
    try {
        in_parallel(nodes.size(), [&](size_t i) {
            create_node(spec.name, nodes[i], profile, image, spec.cpus, spec.memory, lazy_disk);
        });
        throw_if_interrupted("set-up, creating containers");
        replace_relay(spec.name);
        start_nodes(nodes, profile);
        throw_if_interrupted("set-up, starting nodes");
        wait_ready(spec.name, profile, nodes);
    } catch (...) {
        try {
            teardown(spec.name);
        } catch (const Error&) {
            // the setup's own error is the one to report
        }
        throw;
    }
    return describe(spec.name);
}

// Helpers a fault started from this machine in a node's namespace (the
// userspace netem) go with it, rather than linger in a namespace nothing uses.
void DockerBackend::stop_helpers_of(const DockerNode& node) {
    auto netns = network_namespace_of_sidecar(engine(), sidecar_name(node.info.name), false);
    if (netns.empty()) return;
    for (int pid : processes_in_network_namespace(netns)) kill(pid, SIGKILL);
}

void DockerBackend::teardown(const std::string& cluster) {
    auto state = read_cluster(engine(), cluster);
    for (const auto& node : state.nodes) {
        if (!node.sidecar.empty()) stop_helpers_of(node);
    }
    remove_containers(state.containers);
    // The containers that bound them are gone: the lazy disks unmount.
    disk::unmount_lazy_disks(state_root() / "docker" / cluster);
    // A helper whose sidecar was already gone had no namespace to be found by.
    kill_processes_tagged_with(cluster);
    engine().call("DELETE", "/networks/" + state.network);
    std::error_code ignored;
    fs::remove_all(state_root() / "docker" / cluster, ignored);
}

std::vector<std::string> DockerBackend::list() {
    return cluster_names(engine());
}

// Containers and networks carry the cluster's label, so every one of them is a
// listed cluster (gc tears those down by their claims); what a crash can leave
// besides is an agent dir of a cluster whose containers are gone.
std::vector<std::string> DockerBackend::remove_leftovers(const std::vector<std::string>& in_use,
                                                         bool dry_run) {
    auto listed = list();
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(state_root() / "docker", error)) {
        auto cluster = entry.path().filename().string();
        if (std::find(listed.begin(), listed.end(), cluster) != listed.end() ||
            std::find(in_use.begin(), in_use.end(), cluster) != in_use.end()) {
            continue;
        }
        for (const auto& mountpoint : disk::lazy_disk_mounts(entry.path())) {
            found.push_back("lazy disk mount " + mountpoint);
        }
        found.push_back("agent dir " + entry.path().string());
        if (dry_run) continue;
        disk::unmount_lazy_disks(entry.path());
        fs::remove_all(entry.path(), error);
    }
    return found;
}

ClusterInfo DockerBackend::describe(const std::string& cluster) {
    return read_cluster(engine(), cluster).info;
}

std::string DockerBackend::node_action(const std::string& cluster, int node, NodeAction action) {
    auto state = read_cluster(engine(), cluster);
    const auto& target = state.node(node);
    auto grace = std::to_string(std::max(1, target.stop_grace_ms / 1000));
    auto path = "/containers/" + target.info.name;
    auto timeout = std::chrono::milliseconds(target.stop_grace_ms) + std::chrono::seconds(30);
    // A paused container is thawed first for a graceful stop: SIGTERM would
    // wait for the thaw.
    bool paused = target.info.status == NodeStatus::Paused;
    if (paused && (action == NodeAction::Stop || action == NodeAction::Restart)) {
        engine().call("POST", path + "/unpause");
    }
    switch (action) {
        case NodeAction::Kill:
            engine().call("POST", path + "/kill?signal=KILL");
            break;
        case NodeAction::Stop:
            engine().call("POST", path + "/stop?t=" + grace, "", "application/json", timeout);
            break;
        case NodeAction::Start:
        case NodeAction::Recover:
            engine().call("POST", path + "/start");
            break;
        case NodeAction::Restart:
            engine().call("POST", path + "/restart?t=" + grace, "", "application/json", timeout);
            break;
        case NodeAction::Pause:
            return pause_container(path);
        case NodeAction::Resume:
            if (target.info.status == NodeStatus::Paused) engine().call("POST", path + "/unpause");
            break;
    }
    return "";
}

// The engine freezes the container's cgroup and answers once it is frozen;
// its own word (State.Paused) is read back before the pause counts.
std::string DockerBackend::pause_container(const std::string& path) {
    engine().call("POST", path + "/pause");
    auto state = engine().get(path + "/json").value("State", nlohmann::json::object());
    if (!state.value("Paused", false)) {
        engine().call("POST", path + "/unpause");
        throw Error(ErrorKind::Unavailable,
                    "the engine accepted the pause of " + path + " but says it is " +
                        state.value("Status", std::string("?")) + "; it was unpaused");
    }
    return "the engine says the container is paused (cgroup freezer)";
}

std::string DockerBackend::logs(const std::string& cluster, int node) {
    auto state = read_cluster(engine(), cluster);
    return logs_of_container(state.node(node).info.name);
}

NodeInfo DockerBackend::add_node(const std::string& cluster, const Profile& profile) {
    auto state = read_cluster(engine(), cluster);
    int id = 1;
    for (const auto& node : state.nodes) id = std::max(id, node.info.id + 1);
    auto image = image_for(profile);
    auto members = servers_of(state);
    members.push_back({id, cluster + "-" + std::to_string(id), node_ip(state.info.subnet, id)});
    auto nodes = plan_nodes(cluster, profile, state.info.subnet, {id}, members, "existing");
    auto& plan = nodes.front();
    plan.captured = announce_join(profile, state.info.nodes, plan.values);
    for (const auto& [key, value] : plan.captured) plan.values[key] = value;
    try {
        create_node(cluster, plan, profile, image, 0, 0, state.lazy_disk);
        engine().post("/containers/" + plan.name + "/start");
        replace_relay(cluster);
        wait_ready(cluster, profile, nodes);
    } catch (...) {
        try {
            remove_node(cluster, id);
        } catch (const Error&) {
            // keep the add's own error
        }
        throw;
    }
    return read_cluster(engine(), cluster).node(id).info;
}

void DockerBackend::remove_node(const std::string& cluster, int node) {
    auto state = read_cluster(engine(), cluster);
    const auto& target = state.node(node);
    announce_leave(load_profile(target.info.profile), cluster, state.info.nodes, target.info,
                   target.captured);
    std::vector<std::string> ids;
    if (!target.container.empty()) ids.push_back(target.container);
    if (!target.sidecar.empty()) {
        stop_helpers_of(target);
        ids.push_back(target.sidecar);
    }
    remove_containers(ids);
    disk::unmount_lazy_disks(agent_dir(cluster, node));
    std::error_code ignored;
    fs::remove_all(agent_dir(cluster, node), ignored);
    replace_relay(cluster);
}

CommandResult DockerBackend::execute_in_node(const std::string& cluster, int node,
                                             const std::vector<std::string>& argv, bool detached) {
    auto state = read_cluster(engine(), cluster);
    return exec_in_container(engine(), state.node(node).info.name, node, argv, detached);
}

// One inspection of the sidecar, by its name: faults ask this for every node.
int DockerBackend::node_pid(const std::string& cluster, int node) {
    auto state = read_cluster(engine(), cluster);
    const auto& target = state.node(node);
    if (target.container.empty()) return 0;
    return engine().get("/containers/" + target.container + "/json")["State"].value("Pid", 0);
}

std::string DockerBackend::network_namespace(const std::string& cluster, int node) {
    try {
        return network_namespace_of_sidecar(engine(),
                                            sidecar_name(cluster + "-" + std::to_string(node)));
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::NotFound) throw;
        throw not_found("cluster " + cluster + " has no node " + std::to_string(node));
    }
}

std::vector<CommandResult> DockerBackend::run_in_nodes(const std::string& cluster,
                                                       const std::vector<NodeCommand>& commands) {
    auto state = read_cluster(engine(), cluster);
    std::vector<std::string> sockets;
    for (const auto& command : commands) {
        const auto& node = state.node(command.node);
        if (node.agent_dir.empty()) {
            throw environment_error("node " + std::to_string(command.node) + " of " + cluster +
                                    " has no sidecar");
        }
        sockets.push_back((fs::path(node.agent_dir) / kAgentSocketName).string());
    }
    std::vector<CommandResult> results(commands.size());
    in_parallel(commands.size(),
                [&](size_t i) { results[i] = call_agent(sockets[i], commands[i]); });
    return results;
}

}  // namespace atomixtest::docker

ATOMIXTEST_PLUGIN(Backend, "docker",
                  "nodes in Docker containers on an internal network, through the Engine API",
                  atomixtest::docker::DockerBackend);
