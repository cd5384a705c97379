#include "userspace_netem.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "atomixtest/error.hpp"
#include "atomixtest/netns.hpp"
#include "atomixtest/node_tool.hpp"
#include "atomixtest/process.hpp"
#include "atomixtest/process_tag.hpp"
#include "netem_rules.hpp"

namespace atomixtest::net {

namespace {

constexpr const char* kDaemonName = "atomixtest-netem";
constexpr const char* kWatchdogName = "atomixtest-netem-watchdog";

// The daemon is installed beside this plugin.
std::string daemon_executable() {
    Dl_info info{};
    dladdr(reinterpret_cast<void*>(&daemon_executable), &info);
    auto path =
        std::filesystem::path(info.dli_fname ? info.dli_fname : "").parent_path() / kDaemonName;
    if (access(path.c_str(), X_OK) != 0) {
        throw Error(ErrorKind::Environment,
                    "the userspace netem daemon is missing: " + path.string());
    }
    return path.string();
}

struct Daemon {
    pid_t pid;
    std::vector<std::string> argv;
};

// Daemons are found by what they are and where they run, not by a pid file:
// that survives a crash of whoever started them.
std::vector<Daemon> processes_named(const std::string& netns_path, const char* name) {
    if (!std::filesystem::exists(netns_path)) {
        throw Error(ErrorKind::Environment, "no network namespace " + netns_path);
    }
    std::vector<Daemon> found;
    for (int pid : processes_in_network_namespace(netns_path)) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
        std::vector<std::string> argv;
        for (std::string arg; std::getline(in, arg, '\0');) argv.push_back(arg);
        if (argv.empty() || std::filesystem::path(argv[0]).filename() != name) continue;
        found.push_back({static_cast<pid_t>(pid), argv});
    }
    return found;
}

std::vector<Daemon> daemons_in(const std::string& netns_path) {
    return processes_named(netns_path, kDaemonName);
}

void run_in_node(Backend& backend, const std::string& cluster, int node,
                 std::vector<std::string> argv, const std::string& input = "") {
    auto results = backend.run_in_nodes(cluster, {{node, std::move(argv), input}});
    if (results.empty() || results[0].exit_code != 0) {
        throw Error(ErrorKind::Environment,
                    "netem rules on node " + std::to_string(node) + ": " +
                        (results.empty() ? std::string("not run") : results[0].err));
    }
}

// The daemons, then their watchdogs (which go with them, but a moment later:
// once stopped, nothing of the fault is left running).
void stop_daemons(const std::string& netns_path) {
    auto daemons = daemons_in(netns_path);
    auto watchdogs = processes_named(netns_path, kWatchdogName);
    daemons.insert(daemons.end(), watchdogs.begin(), watchdogs.end());
    for (const auto& daemon : daemons) kill(daemon.pid, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (const auto& daemon : daemons) {
        while (process_running(daemon.pid) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        kill(daemon.pid, SIGKILL);
    }
}

// Detached (its own session, reparented away) so it outlives this command.
void launch_daemon(const std::string& cluster, const std::string& netns_path,
                   const std::string& spec_json) {
    auto executable = daemon_executable();
    auto environment = tagged_environment(cluster);  // for gc
    auto envp = environment_pointers(environment);
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) {
        throw Error(ErrorKind::Environment, std::string("pipe: ") + strerror(errno));
    }
    int netns = open(netns_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (netns < 0) throw Error(ErrorKind::Environment, "no network namespace " + netns_path);
    pid_t first = fork();
    if (first == 0) {
        if (setns(netns, CLONE_NEWNET) != 0 || setsid() < 0) _exit(1);
        if (fork() != 0) _exit(0);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(ready[1], 1);
        dup2(null, 2);
        const char* argv[] = {executable.c_str(), spec_json.c_str(), nullptr};
        execve(executable.c_str(), const_cast<char* const*>(argv), envp.data());
        _exit(127);
    }
    close(netns);
    close(ready[1]);
    waitpid(first, nullptr, 0);
    std::string said;
    char buffer[64];
    pollfd pfd{ready[0], POLLIN, 0};
    while (said.find('\n') == std::string::npos && poll(&pfd, 1, 3000) > 0) {
        ssize_t n = read(ready[0], buffer, sizeof buffer);
        if (n <= 0) break;
        said.append(buffer, static_cast<size_t>(n));
    }
    close(ready[0]);
    if (said.rfind("ready", 0) != 0) {
        throw Error(ErrorKind::Environment, "the userspace netem daemon did not start in " +
                                                netns_path +
                                                " (is NFQUEUE available in this kernel?)");
    }
}

// Where this process cannot enter the node: the daemon started by the
// backend (detached, in the node's namespace), found and ended by the node
// tool, and seen ready when a queue is bound in that namespace.
void stop_daemons_through(Backend& backend, const std::string& cluster, int node) {
    // The watchdog is the same program under another name: one kill ends both.
    run_node_tool(backend, cluster, node, {"kill", kDaemonName});
}

void launch_daemon_through(Backend& backend, const std::string& cluster, int node,
                           const Shaping& shaping) {
    auto spec_json = shaping.to_json().dump();
    NodeCommand start{.node = node, .argv = {daemon_executable(), spec_json}, .detached = true};
    auto started = backend.run_in_nodes(cluster, {start});
    if (started.empty() || started[0].exit_code != 0) {
        throw Error(ErrorKind::Environment,
                    "the userspace netem daemon did not start in node " + std::to_string(node) +
                        ": " + (started.empty() ? std::string("not run") : started[0].err));
    }
    // A daemon that only holds the record (the kernel shapes it all) binds
    // no queue: it is ready once it runs.
    bool queue = shaping.needs_daemon();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < deadline) {
        auto seen = queue ? backend.run_in_nodes(
                                cluster, {{node, {"cat", "/proc/net/netfilter/nfnetlink_queue"}}})
                          : backend.run_in_nodes(
                                cluster, {{node, {node_tool_program(), "processes", kDaemonName}}});
        if (!seen.empty() && seen[0].exit_code == 0 && !seen[0].out.empty()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop_daemons_through(backend, cluster, node);
    throw Error(ErrorKind::Environment, "the userspace netem daemon bound no queue in node " +
                                            std::to_string(node) +
                                            " within 3 s (is NFQUEUE available in its kernel?)");
}

std::optional<Shaping> shaping_on_command_line(const std::string& json_text) {
    auto json = nlohmann::json::parse(json_text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    return Shaping::from_json(json);
}

}  // namespace

std::optional<Shaping> running_shaping(Backend& backend, const std::string& cluster, int node) {
    if (backend.reaches_nodes_in_process(cluster)) {
        return running_shaping(backend.network_namespace(cluster, node));
    }
    auto listed =
        backend.run_in_nodes(cluster, {{node, {node_tool_program(), "processes", kDaemonName}}});
    if (listed.empty() || listed[0].exit_code != 0) return std::nullopt;
    for (const auto& process : parse_node_processes(listed[0].out)) {
        // PROGRAM SPEC: the daemon's command line, its arguments joined by spaces.
        auto space = process.command.find(' ');
        if (space == std::string::npos) continue;
        auto spec = process.command.substr(space + 1);
        while (!spec.empty() && spec.back() == ' ') spec.pop_back();
        if (auto shaping = shaping_on_command_line(spec)) return shaping;
    }
    return std::nullopt;
}

std::optional<Shaping> running_shaping(const std::string& netns_path) {
    for (const auto& daemon : daemons_in(netns_path)) {
        if (daemon.argv.size() != 2) continue;
        auto json = nlohmann::json::parse(daemon.argv[1], nullptr, false);
        if (!json.is_discarded()) return Shaping::from_json(json);
    }
    return std::nullopt;
}

void start_userspace_netem(Backend& backend, const std::string& cluster, int node,
                           const Shaping& shaping, bool rules_in_place) {
    bool here = backend.reaches_nodes_in_process(cluster);
    if (!here) {
        stop_daemons_through(backend, cluster, node);
        launch_daemon_through(backend, cluster, node, shaping);
        bool every_peer = false;
        auto addresses = shaping.daemon_addresses(every_peer);
        if (!every_peer && addresses.empty() && !rules_in_place) return;
        try {
            run_in_node(backend, cluster, node, {"iptables-restore", "-w", "--noflush"},
                        netem_rules_script(cluster, every_peer, addresses, !rules_in_place));
        } catch (...) {
            stop_daemons_through(backend, cluster, node);
            throw;
        }
        return;
    }
    auto netns_path = backend.network_namespace(cluster, node);
    // The queue has one reader: the old daemon goes first. Meanwhile the
    // queue's bypass lets packets pass rather than wait.
    stop_daemons(netns_path);
    launch_daemon(cluster, netns_path, shaping.to_json().dump());
    bool every_peer = false;
    auto addresses = shaping.daemon_addresses(every_peer);
    if (!every_peer && addresses.empty() && !rules_in_place) return;  // a record only
    try {
        run_in_node(backend, cluster, node, {"iptables-restore", "-w", "--noflush"},
                    netem_rules_script(cluster, every_peer, addresses, !rules_in_place));
    } catch (...) {
        stop_daemons(netns_path);
        throw;
    }
}

void stop_userspace_netem(Backend& backend, const std::string& cluster, int node) {
    run_in_node(backend, cluster, node, netem_rules_removal());
    stop_netem_daemon(backend, cluster, node);
}

void stop_netem_daemon(Backend& backend, const std::string& cluster, int node) {
    if (!backend.reaches_nodes_in_process(cluster)) {
        stop_daemons_through(backend, cluster, node);
        return;
    }
    stop_daemons(backend.network_namespace(cluster, node));
}

}  // namespace atomixtest::net
