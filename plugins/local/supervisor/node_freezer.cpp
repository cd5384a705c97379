#include "node_freezer.hpp"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "atomixtest/cgroup.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/process.hpp"

namespace atomixtest::local {

namespace fs = std::filesystem;

namespace {

std::optional<fs::path> freezer_of(const std::vector<std::string>& cgroup_dirs) {
    for (const auto& dir : cgroup_dirs) {
        if (has_freezer(dir)) return fs::path(dir);
    }
    return std::nullopt;
}

// /proc/PID/stat: "pid (comm) S ppid pgrp ..."; comm may hold spaces and ')'.
struct ProcStat {
    char state = '?';
    pid_t group = 0;
};

std::optional<ProcStat> proc_stat(pid_t pid) {
    auto fields = proc_stat_fields(pid);
    if (!fields || fields->size() < 3 || (*fields)[0].empty()) return std::nullopt;
    return ProcStat{(*fields)[0][0], static_cast<pid_t>(std::atoi((*fields)[2].c_str()))};
}

std::vector<pid_t> processes_of_group(pid_t group) {
    std::vector<pid_t> found;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        pid_t pid = std::stoi(name);
        auto stat = proc_stat(pid);
        if (stat && stat->group == group) found.push_back(pid);
    }
    return found;
}

// A stopped process reads T (t when traced); one that exited meanwhile counts
// as stopped, it will not run again.
std::optional<pid_t> first_running(const std::vector<pid_t>& processes) {
    for (pid_t pid : processes) {
        auto stat = proc_stat(pid);
        if (stat && stat->state != 'T' && stat->state != 't' && stat->state != 'Z') return pid;
    }
    return std::nullopt;
}

template <typename Check>
bool wait_for(Check check, std::chrono::milliseconds patience) {
    auto deadline = std::chrono::steady_clock::now() + patience;
    while (!check()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    return true;
}

}  // namespace

FrozenNode freeze_node(const std::vector<std::string>& cgroup_dirs, pid_t group,
                       std::chrono::milliseconds patience) {
    if (auto freezer = freezer_of(cgroup_dirs)) {
        set_frozen(*freezer, true);
        if (!wait_for([&] { return is_frozen(*freezer); }, patience)) {
            set_frozen(*freezer, false);
            throw Error(ErrorKind::Unavailable, "the freezer of " + freezer->string() +
                                                    " did not freeze within " +
                                                    std::to_string(patience.count()) +
                                                    " ms (a process in an "
                                                    "uninterruptible wait?); the node was thawed");
        }
        return {"cgroup freezer", processes_in(*freezer).size()};
    }
    kill(-group, SIGSTOP);
    std::vector<pid_t> processes;
    std::optional<pid_t> running;
    bool stopped = wait_for(
        [&] {
            processes = processes_of_group(group);
            running = first_running(processes);
            return !running.has_value();
        },
        patience);
    if (!stopped) {
        kill(-group, SIGCONT);
        throw Error(ErrorKind::Unavailable, "process " + std::to_string(*running) +
                                                " of the node still ran " +
                                                std::to_string(patience.count()) +
                                                " ms after SIGSTOP; the node was resumed");
    }
    return {"SIGSTOP", processes.size()};
}

void thaw_node(const std::vector<std::string>& cgroup_dirs, pid_t group) {
    if (auto freezer = freezer_of(cgroup_dirs)) {
        set_frozen(*freezer, false);
        return;
    }
    kill(-group, SIGCONT);
}

}  // namespace atomixtest::local
