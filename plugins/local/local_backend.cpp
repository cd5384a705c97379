#include "local_backend.hpp"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "atomixtest/cgroup.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/membership.hpp"
#include "atomixtest/plugin.hpp"
#include "atomixtest/process.hpp"
#include "atomixtest/process_tag.hpp"
#include "atomixtest/readiness.hpp"
#include "cluster_state.hpp"
#include "control_socket.hpp"
#include "leftovers.hpp"
#include "mount/lazy_mount.hpp"
#include "namespaces.hpp"
#include "profile/profile_loader.hpp"
#include "supervisor_launch.hpp"
#include "util/private_dir.hpp"

namespace atomixtest::local {

namespace {

constexpr const char* kDefaultSubnet = "10.77.0.0/24";

// One node of the cluster, its templates rendered: `members` are whom its
// lists name, `cluster_state` whether it starts with the cluster or joins it.
LocalNode plan_node(const LocalCluster& cluster, const Profile& profile, int id,
                    const std::vector<MemberAddress>& members, const std::string& cluster_state) {
    LocalNode node;
    node.id = id;
    node.name = cluster.name + "-" + std::to_string(id);
    node.ip = node_address(cluster.subnet, id);
    node.netns = node_netns_name(cluster.name, id);
    node.client_port = profile.client_port;
    node.type = profile.type;
    node.profile = profile.name;
    node.stop_grace_ms = static_cast<int>(profile.stop_grace.count());
    auto dir = node_dir(cluster.name, id);
    auto values = node_template_values(profile, {.cluster = cluster.name,
                                                 .node = {id, node.name, node.ip},
                                                 .members = members,
                                                 .data_dir = (dir / "data").string(),
                                                 .log_dir = dir.string(),
                                                 .conf_dir = (dir / "conf").string(),
                                                 .cluster_state = cluster_state});
    for (const auto& arg : profile.command) node.argv.push_back(render_template(arg, values));
    for (const auto& [key, value] : profile.env) node.env[key] = render_template(value, values);
    node.files = render_files(profile, values);
    node.values = std::move(values);
    return node;
}

LocalCluster plan_cluster(const ClusterSpec& spec, const Profile& profile) {
    LocalCluster cluster;
    cluster.name = spec.name;
    cluster.profile = profile.name;
    cluster.subnet = spec.subnet.empty() ? kDefaultSubnet : spec.subnet;
    cluster.bridge_netns = bridge_netns_name(spec.name);
    cluster.lead_first = profile.lead_first;
    cluster.cpus = spec.cpus;
    cluster.memory = spec.memory;
    cluster.lazy_disk = spec.disk == "lazy" || profile.lazy_disk;
    std::vector<MemberAddress> members;
    for (int id = 1; id <= spec.nodes; ++id) {
        members.push_back(
            {id, spec.name + "-" + std::to_string(id), node_address(cluster.subnet, id)});
    }
    for (int id = 1; id <= spec.nodes; ++id) {
        cluster.nodes.push_back(plan_node(cluster, profile, id, members, "new"));
    }
    return cluster;
}

// A node's directory (its data, its log and the files its profile writes) and
// its cgroup, with the cluster's limits. Without limits a cgroup the machine
// refuses (no root, a read-only tree) is done without: the node then shares
// its supervisor's groups.
void prepare_node(const LocalCluster& cluster, LocalNode& node) {
    NodeCgroup cgroup(cluster.name, node.id);
    try {
        cgroup.create({.cpus = cluster.cpus, .memory = cluster.memory});
        node.cgroup_dirs.clear();
        for (const auto& group : cgroup.dirs()) node.cgroup_dirs.push_back(group);
    } catch (const Error&) {
        if (cluster.cpus > 0 || cluster.memory > 0) throw;
        node.cgroup_dirs.clear();
    }
    auto dir = node_dir(cluster.name, node.id);
    if (cluster.lazy_disk) {
        disk::mount_lazy_disk(disk::lazy_disk_at(dir / "data", dir), "local", cluster.name,
                              node.id);
    } else {
        fs::create_directories(dir / "data");
    }
    for (const auto& [relative, content] : node.files) {
        auto path = dir / "conf" / relative;
        fs::create_directories(path.parent_path());
        write_file_atomically(path, content);
    }
}

std::string log_tail(const fs::path& path, size_t lines) {
    std::ifstream in(path);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    std::string tail;
    for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
        tail += "    " + all[i] + "\n";
    }
    return tail;
}

// The files a node was started with, for a node that did not come up.
std::string config_used(const std::string& cluster, const LocalNode& node) {
    std::string text;
    for (const auto& [relative, content] : node.files) {
        text += "  config " + (node_dir(cluster, node.id) / "conf" / relative).string() + ":\n";
        std::stringstream lines(content);
        for (std::string line; std::getline(lines, line);) text += "    " + line + "\n";
    }
    std::string argv;
    for (const auto& arg : node.argv) argv += " " + arg;
    return text + "  command:" + argv + "\n";
}

// Whatever state the cluster is in (supervisor alive, crashed, half set up),
// leaves nothing of it: processes, namespaces, files.
// A node whose process the supervisor started and that has exited since (a
// bad flag, a config it refuses): set-up stops waiting for it at once
// instead of at the probe's timeout.
std::function<bool()> node_exited(const fs::path& dir, int id) {
    return [dir, id] {
        auto runtime = read_runtime(dir);
        auto it = runtime.nodes.find(id);
        return it != runtime.nodes.end() && it->second.pid > 0 && !process_running(it->second.pid);
    };
}

// Why a node is not ready, for the error: it exited, or it never answered.
std::string not_ready_reason(const fs::path& dir, int id, std::chrono::milliseconds timeout) {
    return node_exited(dir, id)()
               ? "exited before it became ready"
               : "did not become ready within " + std::to_string(timeout.count()) + " ms";
}

void destroy(const LocalCluster& cluster, const fs::path& dir) {
    int max_grace = 0;
    for (const auto& node : cluster.nodes) max_grace = std::max(max_grace, node.stop_grace_ms);
    auto runtime = read_runtime(dir);
    try {
        call_supervisor(dir / "supervisor.sock", {{"op", "shutdown"}},
                        std::chrono::milliseconds(max_grace + 5000));
    } catch (const Error&) {
        // No supervisor to ask: the kills below do its work.
    }
    if (runtime.supervisor_pid > 0) {
        for (int i = 0; i < 200 && process_running(runtime.supervisor_pid); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (process_running(runtime.supervisor_pid)) kill(runtime.supervisor_pid, SIGKILL);
    }
    std::vector<std::string> namespaces = {cluster.bridge_netns};
    for (const auto& node : cluster.nodes) namespaces.push_back(node.netns);
    for (const auto& netns : namespaces) {
        for (int pid : pids_in_namespace(netns)) kill(pid, SIGKILL);
    }
    // The nodes are gone: their lazy disks unmount (their daemons exit), or
    // the directory below could not be removed.
    disk::unmount_lazy_disks(dir);
    // Whatever left the namespaces (a command `execute` started that joined
    // another one) is found by its tag.
    kill_processes_tagged_with(cluster.name);
    delete_network(cluster);
    remove_cluster_cgroups(cluster.name);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    unmark_cluster_on_machine(cluster.name);
}

}  // namespace

ClusterInfo LocalBackend::setup(const ClusterSpec& spec, const Profile& profile) {
    validate_cluster_name(spec.name);
    if (spec.nodes < 1 || spec.nodes > 240) {
        throw bad_input("--nodes must be between 1 and 240, got " + std::to_string(spec.nodes));
    }
    if (spec.host != 0) {
        throw bad_input(
            "--host: a local cluster's nodes are all on this machine (--host is "
            "the kubernetes backend's)");
    }
    if (!spec.supernet.empty() || !spec.gateway.empty()) {
        throw bad_input(
            "--supernet and --gateway place a Docker network (--backend docker); the "
            "local backend takes --subnet");
    }
    // Everything the request can be refused for is refused before anything
    // of the cluster exists (an empty state dir would make the name taken).
    if (!spec.subnet.empty()) node_address(spec.subnet, 1);
    auto dir = cluster_dir(spec.name);
    make_state_directory(dir.parent_path());
    std::error_code error;
    if (!fs::create_directory(dir, error)) {
        throw bad_input(error ? "cannot create " + dir.string() + ": " + error.message()
                              : "a cluster named " + spec.name +
                                    " already exists; tear it down or choose another name");
    }
    auto leftovers = existing_namespaces(kNamespacePrefix + spec.name + ".");
    if (!leftovers.empty()) {
        fs::remove_all(dir, error);
        throw bad_input("namespaces of an earlier cluster named " + spec.name +
                        " are still present (" + leftovers.front() +
                        "); run `atomix-test gc` first");
    }
    LocalCluster cluster;
    try {
        cluster = plan_cluster(spec, profile);
    } catch (...) {
        fs::remove_all(dir, error);
        throw;
    }
    try {
        mark_cluster_on_machine(spec.name);
        for (auto& node : cluster.nodes) prepare_node(cluster, node);
        write_cluster(dir, cluster);
        if (find_executable(profile.command.front()).empty()) {
            throw environment_error("profile " + profile.name + " needs '" +
                                    profile.command.front() +
                                    "', which is not installed (scripts/setup installs it)");
        }
        create_network(cluster);
        auto started = launch_supervisor(dir);
        std::vector<ProbeTarget> targets;
        for (const auto& [id, port] : started.local_ports) {
            targets.push_back({id, port, node_exited(dir, id)});
        }
        auto not_ready = wait_until_ready(profile.ready, targets);
        if (!not_ready.empty()) {
            std::string message = "cluster " + spec.name + " is not ready:";
            for (int id : not_ready) {
                message += "\n  node " + std::to_string(id) + " (" + cluster.node(id).argv.front() +
                           ") " + not_ready_reason(dir, id, profile.ready.timeout) +
                           "; last lines of its log:\n" + log_tail(node_log(spec.name, id), 10) +
                           config_used(spec.name, cluster.node(id));
            }
            throw Error(ErrorKind::Environment, message);
        }
    } catch (...) {
        destroy(cluster, dir);
        throw;
    }
    return describe(spec.name);
}

void LocalBackend::teardown(const std::string& name) {
    validate_cluster_name(name);
    auto dir = cluster_dir(name);
    destroy(read_cluster(dir), dir);
}

std::vector<std::string> LocalBackend::list() {
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(state_root() / "local", error)) {
        if (fs::exists(entry.path() / "cluster.json")) {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

ClusterInfo LocalBackend::describe(const std::string& name) {
    validate_cluster_name(name);
    auto dir = cluster_dir(name);
    auto cluster = read_cluster(dir);
    auto runtime = read_runtime(dir);
    bool supervised = process_running(runtime.supervisor_pid);
    ClusterInfo info{name,           "local", cluster.profile,
                     cluster.subnet, {},      cluster.lazy_disk ? "lazy" : ""};
    for (const auto& node : cluster.nodes) {
        NodeInfo entry;
        entry.id = node.id;
        entry.name = node.name;
        entry.ip = node.ip;
        entry.type = node.type;
        entry.profile = node.profile;
        auto it = runtime.nodes.find(node.id);
        if (it != runtime.nodes.end()) {
            entry.local_port = it->second.local_port;
            // Without its supervisor a node is gone whatever was last written.
            entry.status = supervised ? it->second.status : NodeStatus::Dead;
            if (entry.status == NodeStatus::Running && !process_running(it->second.pid)) {
                entry.status = NodeStatus::Dead;
            }
        }
        info.nodes.push_back(entry);
    }
    return info;
}

std::string LocalBackend::node_action(const std::string& cluster, int node, NodeAction action) {
    describe(cluster).node(node);  // NotFound naming the cluster's nodes
    auto reply = call_supervisor(supervisor_socket(cluster),
                                 {{"op", "node"}, {"node", node}, {"action", to_string(action)}},
                                 std::chrono::seconds(60));
    if (!reply.value("ok", false)) {
        throw Error(ErrorKind::Internal, std::string(to_string(action)) + " node " +
                                             std::to_string(node) + ": " +
                                             reply.value("error", std::string("failed")));
    }
    auto done = reply.value("action", nlohmann::json::object());
    if (!done.contains("method")) return "";
    int processes = done.value("processes", 0);
    return std::to_string(processes) + (processes == 1 ? " process" : " processes") +
           " frozen by " + done.value("method", std::string());
}

std::string LocalBackend::logs(const std::string& cluster, int node) {
    describe(cluster).node(node);
    std::ifstream in(node_log(cluster, node));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

namespace {

// What a node leaves on this machine, removed: anything still running in its
// namespace, its bridge port and namespace, its cgroups, its directory.
void discard_node(const std::string& cluster, const LocalCluster& state, const LocalNode& node) {
    for (int pid : pids_in_namespace(node.netns)) kill(pid, SIGKILL);
    disk::unmount_lazy_disks(node_dir(cluster, node.id));
    remove_node_network(state, node);
    NodeCgroup(cluster, node.id).remove();
    std::error_code ignored;
    fs::remove_all(node_dir(cluster, node.id), ignored);
}

}  // namespace

NodeInfo LocalBackend::add_node(const std::string& cluster, const Profile& profile) {
    auto dir = cluster_dir(cluster);
    auto state = read_cluster(dir);
    auto info = describe(cluster);
    int id = 1;
    std::vector<MemberAddress> members;
    for (const auto& node : state.nodes) {
        id = std::max(id, node.id + 1);
        if (node.type == NodeType::Server) members.push_back({node.id, node.name, node.ip});
    }
    if (id > 240) throw bad_input("cluster " + cluster + " has no room for another node");
    auto name = cluster + "-" + std::to_string(id);
    members.push_back({id, name, node_address(state.subnet, id)});
    auto node = plan_node(state, profile, id, members, "existing");
    node.captured = announce_join(profile, info.nodes, node.values);
    bool recorded = false;
    try {
        add_node_network(state, node);
        prepare_node(state, node);
        state.nodes.push_back(node);
        write_cluster(dir, state);
        recorded = true;
        call_supervisor(supervisor_socket(cluster), {{"op", "add"}, {"spec", node_to_json(node)}},
                        std::chrono::seconds(10));
        auto runtime = read_runtime(dir);
        auto not_ready = wait_until_ready(
            profile.ready, {{id, runtime.nodes.at(id).local_port, node_exited(dir, id)}});
        if (!not_ready.empty()) {
            throw Error(ErrorKind::Environment,
                        "node " + std::to_string(id) + " " +
                            not_ready_reason(dir, id, profile.ready.timeout) +
                            "; last lines of its log:\n" + log_tail(node_log(cluster, id), 10) +
                            config_used(cluster, node));
        }
    } catch (...) {
        try {
            if (recorded) {
                remove_node(cluster, id);
            } else {
                // Announced but never recorded: take the announcement back.
                NodeInfo leaving{.id = id, .name = name, .ip = node.ip, .profile = profile.name};
                announce_leave(profile, cluster, info.nodes, leaving, node.captured);
                discard_node(cluster, state, node);
            }
        } catch (const Error&) {
            // keep the add's own error
        }
        throw;
    }
    return describe(cluster).node(id);
}

void LocalBackend::remove_node(const std::string& cluster, int id) {
    auto dir = cluster_dir(cluster);
    auto state = read_cluster(dir);
    auto info = describe(cluster);
    const auto& node = state.node(id);
    announce_leave(load_profile(node.profile), cluster, info.nodes, info.node(id), node.captured);
    try {
        call_supervisor(supervisor_socket(cluster), {{"op", "remove"}, {"node", id}},
                        std::chrono::milliseconds(node.stop_grace_ms + 5000));
    } catch (const Error&) {
        // A node the supervisor never took (a failed add): nothing runs.
    }
    discard_node(cluster, state, node);
    std::erase_if(state.nodes, [id](const LocalNode& each) { return each.id == id; });
    write_cluster(dir, state);
}

CommandResult LocalBackend::execute_in_node(const std::string& cluster, int node,
                                            const std::vector<std::string>& argv, bool detached) {
    auto netns = network_namespace(cluster, node);
    // Tagged, so that teardown and gc find it (and what it forks) even if it
    // leaves the node's namespace.
    std::vector<std::string> tagged = {"env", process_tag(cluster)};
    if (!detached) {
        tagged.insert(tagged.end(), argv.begin(), argv.end());
        auto result = run_process({.argv = tagged, .netns = netns});
        return {node, result.exit_code, result.out, result.err};
    }
    // Node.execute: started in the node's namespace and left running there.
    auto command = tagged;
    command.insert(command.end(),
                   {"sh", "-c", "setsid -f \"$@\" </dev/null >/dev/null 2>&1", "execute"});
    command.insert(command.end(), argv.begin(), argv.end());
    auto result = run_process({.argv = command, .netns = netns});
    return {node, result.exit_code, "", result.err};
}

std::string LocalBackend::network_namespace(const std::string& cluster, int node) {
    return netns_path(read_cluster(cluster_dir(cluster)).node(node).netns);
}

int LocalBackend::node_pid(const std::string& cluster, int node) {
    auto info = describe(cluster);
    if (info.node(node).status != NodeStatus::Running) return 0;
    auto runtime = read_runtime(cluster_dir(cluster));
    auto it = runtime.nodes.find(node);
    return it == runtime.nodes.end() ? 0 : it->second.pid;
}

std::vector<CommandResult> LocalBackend::run_in_nodes(const std::string& cluster,
                                                      const std::vector<NodeCommand>& commands) {
    auto info = read_cluster(cluster_dir(cluster));
    return run_in_namespaces(commands, [&](int node) { return netns_path(info.node(node).netns); });
}

std::vector<std::string> LocalBackend::remove_leftovers(const std::vector<std::string>& in_use,
                                                        bool dry_run) {
    return remove_local_leftovers(in_use, dry_run);
}

}  // namespace atomixtest::local

ATOMIXTEST_PLUGIN(Backend, "local",
                  "nodes as processes in network namespaces on this machine (no daemon)",
                  atomixtest::local::LocalBackend);
