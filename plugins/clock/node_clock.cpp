#include "node_clock.hpp"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <fstream>
#include <map>
#include <optional>

#include "atomixtest/error.hpp"
#include "atomixtest/process.hpp"

namespace atomixtest::clock {

namespace {

// Every process's parent, from /proc/PID/stat (proc_stat_fields).
std::multimap<pid_t, pid_t> children_by_parent() {
    std::multimap<pid_t, pid_t> children;
    DIR* proc = opendir("/proc");
    if (!proc) return children;
    while (auto* entry = readdir(proc)) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
        int pid = std::atoi(entry->d_name);
        auto fields = proc_stat_fields(pid);
        if (!fields || fields->size() < 2) continue;
        children.emplace(std::atoi((*fields)[1].c_str()), pid);
    }
    closedir(proc);
    return children;
}

// A process that ended meanwhile (a short-lived child) has no clock to change.
bool gone(pid_t pid) {
    return kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

std::string command_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

namespace {

std::vector<pid_t> tree_of(pid_t main, const std::multimap<pid_t, pid_t>& children) {
    std::vector<pid_t> processes = {main};
    for (size_t i = 0; i < processes.size(); ++i) {
        auto [first, last] = children.equal_range(processes[i]);
        for (auto it = first; it != last; ++it) {
            if (it->second != getpid()) processes.push_back(it->second);
        }
    }
    return processes;
}

}  // namespace

std::vector<pid_t> process_tree(pid_t main) {
    if (main <= 0) return {};
    return tree_of(main, children_by_parent());
}

std::vector<std::string> argv_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
    std::vector<std::string> argv;
    for (std::string arg; std::getline(in, arg, '\0');) argv.push_back(arg);
    return argv;
}

NodeProcesses::NodeProcesses(Backend& backend, const std::string& cluster,
                             const std::vector<int>& nodes) {
    std::optional<std::multimap<pid_t, pid_t>> children;
    for (int node : nodes) {
        pid_t main = backend.node_pid(cluster, node);
        if (main <= 0) {
            processes_[node] = {};
            continue;
        }
        if (!children) children = children_by_parent();
        processes_[node] = tree_of(main, *children);
    }
}

const std::vector<pid_t>& NodeProcesses::of(int node) const {
    static const std::vector<pid_t> none;
    auto it = processes_.find(node);
    return it == processes_.end() ? none : it->second;
}

std::vector<ProcessProof> change_node_clock(int node, const std::vector<pid_t>& processes,
                                            const ClockUpdate& update) {
    if (processes.empty()) {
        throw environment_error("node " + std::to_string(node) +
                                " is not running: its clock lives in its processes");
    }
    std::vector<ProcessProof> proofs;
    try {
        for (pid_t pid : processes) {
            try {
                proofs.push_back({pid, command_of(pid), change_process_clock(pid, update)});
            } catch (const Error&) {
                if (pid == processes.front() || !gone(pid)) throw;
            }
        }
    } catch (...) {
        for (const auto& done : proofs) {
            try {
                reset_process_clock(done.pid);
            } catch (const Error&) {
                // the first error is the one to report
            }
        }
        throw;
    }
    return proofs;
}

int reset_node_clock(const std::vector<pid_t>& processes) {
    int reset = 0;
    for (pid_t pid : processes) {
        try {
            if (reset_process_clock(pid)) ++reset;
        } catch (const Error&) {
            if (!gone(pid)) throw;
        }
    }
    return reset;
}

std::optional<ProcessClock> node_clock(const std::vector<pid_t>& processes) {
    if (processes.empty()) return std::nullopt;
    return read_process_clock(processes.front());
}

}  // namespace atomixtest::clock
