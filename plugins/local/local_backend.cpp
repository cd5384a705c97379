#include "local_backend.hpp"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/plugin.hpp"
#include "atomixtest/process.hpp"
#include "atomixtest/readiness.hpp"
#include "cluster_state.hpp"
#include "control_socket.hpp"
#include "namespaces.hpp"
#include "supervisor_launch.hpp"

namespace atomixtest::local {

namespace {

constexpr const char* kDefaultSubnet = "10.77.0.0/24";

LocalCluster plan_cluster(const ClusterSpec& spec, const Profile& profile) {
    LocalCluster cluster;
    cluster.name = spec.name;
    cluster.profile = profile.name;
    cluster.subnet = spec.subnet.empty() ? kDefaultSubnet : spec.subnet;
    cluster.bridge_netns = bridge_netns_name(spec.name);
    cluster.lead_first = profile.lead_first;
    std::string members;
    for (int id = 1; id <= spec.nodes; ++id) {
        TemplateValues values = {{"cluster", spec.name},
                                 {"name", spec.name + "-" + std::to_string(id)},
                                 {"id", std::to_string(id)},
                                 {"ip", node_address(cluster.subnet, id)}};
        if (!profile.member.empty()) {
            members += (members.empty() ? "" : profile.member_separator) +
                       render_template(profile.member, values);
        }
    }
    for (int id = 1; id <= spec.nodes; ++id) {
        LocalNode node;
        node.id = id;
        node.name = spec.name + "-" + std::to_string(id);
        node.ip = node_address(cluster.subnet, id);
        node.netns = node_netns_name(spec.name, id);
        node.client_port = profile.client_port;
        node.type = profile.type;
        node.profile = profile.name;
        node.stop_grace_ms = static_cast<int>(profile.stop_grace.count());
        auto dir = node_dir(spec.name, id);
        TemplateValues values = {{"cluster", spec.name},
                                 {"name", node.name},
                                 {"id", std::to_string(id)},
                                 {"ip", node.ip},
                                 {"data_dir", (dir / "data").string()},
                                 {"log_dir", dir.string()},
                                 {"client_port", std::to_string(profile.client_port)},
                                 {"members", members},
                                 {"cluster_state", "new"}};
        for (const auto& arg : profile.command) node.argv.push_back(render_template(arg, values));
        for (const auto& [key, value] : profile.env) node.env[key] = render_template(value, values);
        cluster.nodes.push_back(node);
    }
    return cluster;
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

// A zombie counts as gone: the supervisor's parent (init, after the double
// fork) may take its time to reap it.
bool process_alive(int pid) {
    if (pid <= 0) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text)) return false;
    auto state_at = text.rfind(')');
    return state_at != std::string::npos && state_at + 2 < text.size() && text[state_at + 2] != 'Z';
}

// Whatever state the cluster is in (supervisor alive, crashed, half set up),
// leaves nothing of it: processes, namespaces, files.
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
        for (int i = 0; i < 200 && process_alive(runtime.supervisor_pid); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (process_alive(runtime.supervisor_pid)) kill(runtime.supervisor_pid, SIGKILL);
    }
    std::vector<std::string> namespaces = {cluster.bridge_netns};
    for (const auto& node : cluster.nodes) namespaces.push_back(node.netns);
    for (const auto& netns : namespaces) {
        for (int pid : pids_in_namespace(netns)) kill(pid, SIGKILL);
    }
    delete_network(cluster);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
}

}  // namespace

ClusterInfo LocalBackend::setup(const ClusterSpec& spec, const Profile& profile) {
    validate_cluster_name(spec.name);
    if (spec.nodes < 1 || spec.nodes > 240) {
        throw bad_input("--nodes must be between 1 and 240, got " + std::to_string(spec.nodes));
    }
    auto dir = cluster_dir(spec.name);
    fs::create_directories(dir.parent_path());
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
    auto cluster = plan_cluster(spec, profile);
    try {
        for (const auto& node : cluster.nodes)
            fs::create_directories(node_dir(spec.name, node.id) / "data");
        write_cluster(dir, cluster);
        if (find_executable(profile.command.front()).empty()) {
            throw environment_error("profile " + profile.name + " needs '" +
                                    profile.command.front() +
                                    "', which is not installed (scripts/setup installs it)");
        }
        create_network(cluster);
        auto started = launch_supervisor(dir);
        std::vector<ProbeTarget> targets;
        for (const auto& [id, port] : started.local_ports) targets.push_back({id, port});
        auto not_ready = wait_until_ready(profile.ready, targets);
        if (!not_ready.empty()) {
            std::string message = "cluster " + spec.name + " did not become ready within " +
                                  std::to_string(profile.ready.timeout.count()) + " ms;";
            for (int id : not_ready) {
                message += "\n  node " + std::to_string(id) + " (" +
                           cluster.nodes[static_cast<size_t>(id - 1)].argv.front() +
                           "), last lines of its log:\n" + log_tail(node_log(spec.name, id), 10);
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
    bool supervised = process_alive(runtime.supervisor_pid);
    ClusterInfo info{name, "local", cluster.profile, cluster.subnet, {}};
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
            if (entry.status == NodeStatus::Running && !process_alive(it->second.pid)) {
                entry.status = NodeStatus::Dead;
            }
        }
        info.nodes.push_back(entry);
    }
    return info;
}

void LocalBackend::node_action(const std::string& cluster, int node, NodeAction action) {
    describe(cluster).node(node);  // NotFound naming the cluster's nodes
    auto reply = call_supervisor(supervisor_socket(cluster),
                                 {{"op", "node"}, {"node", node}, {"action", to_string(action)}},
                                 std::chrono::seconds(60));
    if (!reply.value("ok", false)) {
        throw Error(ErrorKind::Internal, std::string(to_string(action)) + " node " +
                                             std::to_string(node) + ": " +
                                             reply.value("error", std::string("failed")));
    }
}

std::string LocalBackend::logs(const std::string& cluster, int node) {
    describe(cluster).node(node);
    std::ifstream in(node_log(cluster, node));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

NodeInfo LocalBackend::add_node(const std::string&, const Profile&) {
    throw environment_error(
        "add-node is not available on the local backend yet; use --backend docker");
}

void LocalBackend::remove_node(const std::string&, int) {
    throw environment_error(
        "remove-node is not available on the local backend yet; use --backend docker");
}

CommandResult LocalBackend::execute_in_node(const std::string& cluster, int node,
                                            const std::vector<std::string>& argv, bool detached) {
    auto netns = network_namespace(cluster, node);
    if (!detached) {
        auto result = run_process({.argv = argv, .netns = netns});
        return {node, result.exit_code, result.out, result.err};
    }
    // Node.execute: started in the node's namespace and left running there.
    auto command = std::vector<std::string>{
        "sh", "-c", "setsid -f \"$@\" </dev/null >/dev/null 2>&1", "execute"};
    command.insert(command.end(), argv.begin(), argv.end());
    auto result = run_process({.argv = command, .netns = netns});
    return {node, result.exit_code, "", result.err};
}

std::string LocalBackend::network_namespace(const std::string& cluster, int node) {
    auto info = read_cluster(cluster_dir(cluster));
    if (node < 1 || node > static_cast<int>(info.nodes.size())) {
        throw not_found("cluster " + cluster + " has no node " + std::to_string(node));
    }
    return netns_path(info.nodes[static_cast<size_t>(node - 1)].netns);
}

std::vector<CommandResult> LocalBackend::run_in_nodes(const std::string& cluster,
                                                      const std::vector<NodeCommand>& commands) {
    auto info = read_cluster(cluster_dir(cluster));
    std::vector<ProcessSpec> specs;
    for (const auto& command : commands) {
        if (command.node < 1 || command.node > static_cast<int>(info.nodes.size())) {
            throw not_found("cluster " + cluster + " has no node " + std::to_string(command.node));
        }
        specs.push_back(
            {.argv = command.argv,
             .input = command.input,
             .netns = netns_path(info.nodes[static_cast<size_t>(command.node - 1)].netns),
             .timeout = std::chrono::seconds(30)});
    }
    auto results = run_processes(specs);
    std::vector<CommandResult> out;
    for (size_t i = 0; i < results.size(); ++i) {
        out.push_back({commands[i].node, results[i].exit_code, results[i].out, results[i].err});
    }
    return out;
}

}  // namespace atomixtest::local

ATOMIXTEST_PLUGIN(Backend, "local",
                  "nodes as processes in network namespaces on this machine (no daemon)",
                  atomixtest::local::LocalBackend);
