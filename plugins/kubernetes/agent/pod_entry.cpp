#include "pod_entry.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "atomixtest/cgroup.hpp"
#include "pod_processes.hpp"

namespace atomixtest::kube {

namespace {

constexpr int kCannotEnter = 125;

struct PodPids {
    int sandbox = 0;
    int main = 0;
};

PodPids pod_pids(const std::string& uid) {
    auto pids = processes_of_pods({uid})[uid];
    return {sandbox_or_first(pids), container_main_pid(pids)};
}

int refuse(const std::string& reason) {
    std::cerr << "atomixtest-node-agent: " << reason << "\n";
    return kCannotEnter;
}

bool join_namespace(int pid, const char* kind, int type) {
    int fd = open(("/proc/" + std::to_string(pid) + "/ns/" + kind).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool joined = setns(fd, type) == 0;
    close(fd);
    return joined;
}

// A load runs beside the container's own processes: under its limits, seen
// by its cgroup's accounting, and ended with its PID namespace. Joined by the
// command's own process ("0" is the writer itself, in whatever PID namespace
// it is), so the agent's processes stay in the agent's cgroup.
struct ContainerEntry {
    std::vector<std::string> procs_files;
    std::string workdir;
};

std::string enter_container_pid_namespace(int main, ContainerEntry& entry) {
    for (const auto& procs : cgroup_procs_of(main)) entry.procs_files.push_back(procs.string());
    entry.workdir = "/proc/" + std::to_string(main) + "/cwd";
    // The calling process stays where it is; its next child is born there.
    if (!join_namespace(main, "pid", CLONE_NEWPID)) {
        return std::string("cannot join the container's PID namespace: ") + strerror(errno);
    }
    return "";
}

std::vector<char*> pointers(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    for (const auto& arg : argv) out.push_back(const_cast<char*>(arg.c_str()));
    out.push_back(nullptr);
    return out;
}

// In the child, before exec: async-signal-safe calls only. Says the errno of
// what failed through the report pipe.
[[noreturn]] void exec_command(const std::vector<std::string>& argv, const ContainerEntry* entry,
                               int report) {
    if (entry) {
        for (const auto& file : entry->procs_files) {
            int fd = open(file.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0 || write(fd, "0\n", 2) != 2) {
                int error = errno;
                (void)!write(report, &error, sizeof error);
                _exit(126);
            }
            close(fd);
        }
        if (chdir(entry->workdir.c_str()) != 0) {
            int error = errno;
            (void)!write(report, &error, sizeof error);
            _exit(126);
        }
    }
    auto args = pointers(argv);
    execvp(args[0], args.data());
    int error = errno;
    (void)!write(report, &error, sizeof error);
    _exit(127);
}

// The first process in the pod's PID namespace: joins the container's
// cgroups, then reaps the command and whatever it orphans (a killed
// stress-ng's workers), which would otherwise become zombies of the pod's
// first process; ends with the last of them.
[[noreturn]] void reap_in_pod(const std::vector<std::string>& argv, const ContainerEntry& entry,
                              int report) {
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t command = fork();
    if (command == 0) {
        setpgid(0, 0);  // one group: `atomixtest-node-tool kill` ends it whole
        exec_command(argv, &entry, report);
    }
    close(report);
    while (waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
    _exit(0);
}

// The errno a child reported before its exec, 0 once the exec closed the pipe.
int reported_error(int report) {
    int error = 0;
    bool failed = read(report, &error, sizeof error) == sizeof error;
    close(report);
    return failed ? error : 0;
}

// Left running, in a session of its own. Its parent is a keeper of this
// machine's PID namespace that waits for it and is then reaped by the agent
// container's runtime shim (a subreaper): a command in the pod's PID
// namespace would otherwise end as a zombie of the pod's first process,
// which need not reap anything. The exec returns once the command runs.
int start_detached(const std::vector<std::string>& argv, const ContainerEntry* entry) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return refuse(std::string("pipe: ") + strerror(errno));
    pid_t keeper = fork();
    if (keeper == 0) {
        setsid();
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        pid_t command = fork();
        if (command == 0 && entry) reap_in_pod(argv, *entry, report[1]);
        if (command == 0) {
            setpgid(0, 0);  // one group: `atomixtest-node-tool kill` ends it whole
            exec_command(argv, nullptr, report[1]);
        }
        close(report[1]);
        if (command > 0) waitpid(command, nullptr, 0);
        _exit(0);
    }
    close(report[1]);
    if (keeper < 0) return refuse(std::string("fork: ") + strerror(errno));
    if (int error = reported_error(report[0]); error != 0) {
        std::cerr << "atomixtest-node-agent: cannot start " << argv[0] << ": " << strerror(error)
                  << "\n";
        return 127;
    }
    return 0;
}

int run_attached(const std::vector<std::string>& argv, const ContainerEntry* entry) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return refuse(std::string("pipe: ") + strerror(errno));
    pid_t child = fork();
    if (child == 0) exec_command(argv, entry, report[1]);
    close(report[1]);
    if (int error = reported_error(report[0]); error != 0) {
        std::cerr << "atomixtest-node-agent: cannot start " << argv[0] << ": " << strerror(error)
                  << "\n";
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int signal_number(const std::string& name) {
    static const std::map<std::string, int> known = {{"SIGKILL", SIGKILL}, {"SIGTERM", SIGTERM},
                                                     {"SIGINT", SIGINT},   {"SIGSTOP", SIGSTOP},
                                                     {"SIGCONT", SIGCONT}, {"SIGHUP", SIGHUP}};
    auto it = known.find(name);
    return it == known.end() ? 0 : it->second;
}

}  // namespace

int run_in_pod(const PodCommand& command) {
    auto pids = pod_pids(command.pod_uid);
    if (pids.sandbox == 0) return refuse("no process of pod " + command.pod_uid + " runs here");
    if (!join_namespace(pids.sandbox, "net", CLONE_NEWNET)) {
        return refuse("cannot join the pod's network namespace: " + std::string(strerror(errno)));
    }
    // What a node-side tool acts on (the clock's): the container's main
    // process, as this machine's /proc (the agent's hostPID) names it.
    if (pids.main != 0) setenv("ATOMIXTEST_NODE_PID", std::to_string(pids.main).c_str(), 1);
    ContainerEntry entry;
    if (command.in_cgroup) {
        if (pids.main == 0) return refuse("pod " + command.pod_uid + "'s container is not running");
        if (auto failure = enter_container_pid_namespace(pids.main, entry); !failure.empty()) {
            return refuse(failure);
        }
    }
    const auto* joined = command.in_cgroup ? &entry : nullptr;
    return command.detached ? start_detached(command.argv, joined)
                            : run_attached(command.argv, joined);
}

int run_beside_pods(const std::string& node_dir, const std::vector<std::string>& argv,
                    bool detached) {
    setenv("ATOMIXTEST_NODE_DIR", node_dir.c_str(), 1);
    return detached ? start_detached(argv, nullptr) : run_attached(argv, nullptr);
}

namespace {

// The container's group in the freezer tree (v1), or its unified group (v2).
std::string freezer_dir_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
    std::string unified;
    for (std::string line; std::getline(in, line);) {
        if (auto at = line.find(":freezer:"); at != std::string::npos) {
            return "/sys/fs/cgroup/freezer" + line.substr(at + 9);
        }
        if (line.rfind("0::", 0) == 0) unified = "/sys/fs/cgroup" + line.substr(3);
    }
    return unified;
}

}  // namespace

int freeze_pod_container(const std::string& pod_uid, bool freeze) {
    int main = pod_pids(pod_uid).main;
    if (main == 0) return refuse("pod " + pod_uid + "'s container is not running here");
    auto dir = freezer_dir_of(main);
    if (dir.empty() || !has_freezer(dir)) return refuse("the container's cgroup has no freezer");
    try {
        set_frozen(dir, freeze);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (is_frozen(dir) != freeze) {
            if (std::chrono::steady_clock::now() > deadline) {
                if (freeze) set_frozen(dir, false);
                std::cerr << "atomixtest-node-agent: " << dir << " was not "
                          << (freeze ? "frozen" : "thawed") << " within 2 s\n";
                return 1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    } catch (const std::exception& error) {
        return refuse(error.what());
    }
    std::cout << processes_in(dir).size() << std::endl;
    return 0;
}

int signal_pod_container(const std::string& pod_uid, const std::string& signal, int wait_ms) {
    int number = signal_number(signal);
    if (number == 0) return refuse("unknown signal " + signal);
    int main = pod_pids(pod_uid).main;
    if (main == 0) return refuse("pod " + pod_uid + "'s container is not running here");
    kill(main, number);
    std::cout << main << std::endl;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    while (kill(main, 0) == 0 && in_pod(main, pod_uid)) {
        if (std::chrono::steady_clock::now() > deadline) return 1;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return 0;
}

}  // namespace atomixtest::kube
