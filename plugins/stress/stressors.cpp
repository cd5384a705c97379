#include "stressors.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "atomixtest/cgroup.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/netns.hpp"
#include "atomixtest/process.hpp"
#include "atomixtest/process_tag.hpp"
#include "remote_stressors.hpp"

namespace atomixtest::stress {

namespace fs = std::filesystem;

namespace {

bool is_stress_ng(int pid) {
    std::error_code error;
    auto exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", error);
    return !error && exe.filename() == "stress-ng";
}

// The node's memory limit, read from its memory cgroup (0: none).
int64_t memory_limit_of(const std::vector<fs::path>& procs_files) {
    for (const auto& procs : procs_files) {
        for (const char* name : {"memory.max", "memory.limit_in_bytes"}) {
            std::ifstream in(procs.parent_path() / name);
            std::string text;
            if (!(in >> text) || text == "max") continue;
            auto value = std::stoll(text);
            if (value > 0 && value < (int64_t{1} << 60)) return value;
        }
    }
    return 0;
}

// Without a node limit: an eighth of this machine, at most 1 GiB per node, so
// that stressing every node of a cluster still leaves the machine standing.
int64_t default_memory_without_limit() {
    auto machine = static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE);
    return std::min<int64_t>(machine / 8, int64_t{1} << 30);
}

// The node's cgroups as a process sees them: its cpu and memory groups'
// procs files (or the unified group's), sorted.
std::vector<fs::path> sorted_procs_of(int pid) {
    auto files = cgroup_procs_of(pid);
    std::sort(files.begin(), files.end());
    return files;
}

// Checks that the stressors compete with the node: each in the node's own
// cgroups, and CPU workers running (their CPU time grows) within a second.
// A process that could not join a group, or workers that never ran, would be
// a stress that only looks applied.
std::string verify_stressors(Backend& backend, const std::string& cluster, int node,
                             const StressSpec& spec, const std::vector<fs::path>& node_groups) {
    auto pids = stressors_of(backend, cluster, node);
    auto wanted = node_groups;
    std::sort(wanted.begin(), wanted.end());
    for (int pid : pids) {
        auto groups = sorted_procs_of(pid);
        if (!groups.empty() && groups != wanted) {
            throw environment_error("stress-ng process " + std::to_string(pid) + " of node " +
                                    std::to_string(node) + " is not in the node's cgroups");
        }
    }
    std::string effect = "node " + std::to_string(node) + ": " + std::to_string(pids.size()) +
                         " stress-ng processes in its cgroups";
    if (spec.cpu <= 0) return effect;
    auto ticks = [&] {
        long sum = 0;
        for (int pid : stressors_of(backend, cluster, node)) sum += process_cpu_ticks(pid);
        return sum;
    };
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    for (long start = ticks(); std::chrono::steady_clock::now() < deadline;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (ticks() > start) return effect + ", the CPU workers running";
    }
    throw environment_error("the CPU workers of stress-ng on node " + std::to_string(node) +
                            " used no CPU in a second");
}

}  // namespace

std::string start_stressors(Backend& backend, const std::string& cluster, int node,
                            const StressSpec& spec) {
    if (!backend.reaches_nodes_in_process(cluster)) {
        auto memory = spec.memory_bytes > 0 ? spec.memory_bytes : default_memory_without_limit();
        return start_remote_stressors(backend, cluster, node, spec, memory);
    }
    auto program = find_executable("stress-ng");
    if (program.empty()) {
        throw environment_error("stress-ng is not installed (scripts/setup installs it)");
    }
    int node_pid = backend.node_pid(cluster, node);
    if (node_pid <= 0) {
        throw environment_error("node " + std::to_string(node) +
                                " is not running: stress competes with a running node");
    }
    auto procs_files = cgroup_procs_of(node_pid);
    // Bounded so that a memory stress cannot take the machine down.
    auto limit = memory_limit_of(procs_files);
    auto memory = spec.memory_bytes > 0 ? spec.memory_bytes
                                        : (limit > 0 ? limit / 2 : default_memory_without_limit());
    auto args = stress_ng_argv(spec, memory);
    args.front() = program;
    // Everything the child needs is prepared here: after fork it only calls
    // async-signal-safe functions.
    int netns = open(backend.network_namespace(cluster, node).c_str(), O_RDONLY | O_CLOEXEC);
    if (netns < 0)
        throw environment_error("cannot open node " + std::to_string(node) + "'s namespace");
    std::vector<std::string> procs;
    for (const auto& file : procs_files) procs.push_back(file.string());
    auto workdir = "/proc/" + std::to_string(node_pid) + "/cwd";
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    auto environment = tagged_environment(cluster);  // for gc
    auto envp = environment_pointers(environment);

    pid_t child = fork();
    if (child < 0) {
        close(netns);
        throw environment_error(std::string("fork: ") + strerror(errno));
    }
    if (child == 0) {
        // A session of its own, and no parent here: it outlives this command.
        setsid();
        if (fork() != 0) _exit(0);
        setpgid(0, 0);  // stress-ng leads a group its workers share: one kill ends all
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        if (setns(netns, CLONE_NEWNET) != 0) _exit(126);
        for (const auto& file : procs) {
            int fd = open(file.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0 || dprintf(fd, "%d\n", getpid()) < 0) _exit(125);
            close(fd);
        }
        if (chdir(workdir.c_str()) != 0) _exit(124);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    close(netns);
    int status = 0;
    waitpid(child, &status, 0);
    // Running means seen in the node's namespace (a failed join exits
    // instead), with its workers forked: a parent and at least one process
    // per worker (a memory worker forks a child of its own).
    size_t expected = 1 + static_cast<size_t>(spec.cpu + spec.io + spec.memory + spec.hdd);
    // Polled often: stress-ng forks its workers within milliseconds, and the
    // time to "in force" is a figure users compare.
    bool seen = false;
    for (int attempt = 0; attempt < 2000; ++attempt) {
        auto running = stressors_of(backend, cluster, node).size();
        seen = seen || running > 0;
        if (running >= expected) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // Slow to fork its workers is still running; none at all is not.
    if (!seen) {
        throw environment_error("stress-ng did not start in node " + std::to_string(node) +
                                " (could not join its namespace or cgroup)");
    }
    try {
        return verify_stressors(backend, cluster, node, spec, procs_files);
    } catch (...) {
        stop_stressors(backend, cluster, node);
        throw;
    }
}

std::vector<int> stressors_of(Backend& backend, const std::string& cluster, int node) {
    if (!backend.reaches_nodes_in_process(cluster)) {
        return remote_stressors_of(backend, cluster, node);
    }
    std::vector<int> pids;
    for (int pid : processes_in_network_namespace(backend.network_namespace(cluster, node))) {
        if (is_stress_ng(pid)) pids.push_back(pid);
    }
    return pids;
}

void stop_stressors(Backend& backend, const std::string& cluster, int node) {
    if (!backend.reaches_nodes_in_process(cluster)) {
        return stop_remote_stressors(backend, cluster, node);
    }
    for (int attempt = 0; attempt < 2000; ++attempt) {
        auto pids = stressors_of(backend, cluster, node);
        if (pids.empty()) return;
        for (int pid : pids) {
            kill(-getpgid(pid), SIGKILL);
            kill(pid, SIGKILL);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    throw environment_error("stress-ng processes of node " + std::to_string(node) +
                            " would not end");
}

std::string stressor_command(Backend& backend, const std::string& cluster, int node) {
    if (!backend.reaches_nodes_in_process(cluster)) {
        return remote_stressor_command(backend, cluster, node);
    }
    for (int pid : stressors_of(backend, cluster, node)) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (auto& c : text) c = c == '\0' ? ' ' : c;
        if (getpgid(pid) == pid) return text;  // the parent, leader of its group
    }
    return "";
}

}  // namespace atomixtest::stress
