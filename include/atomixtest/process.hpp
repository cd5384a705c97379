// Running tools (ip, nft, etcd) as child processes, optionally inside a network
// namespace. Many commands can run at once so that a fault on five nodes costs
// one command's time, not five.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace atomixtest {

struct ProcessSpec {
    std::vector<std::string> argv;
    std::string input;                 // written to stdin, then stdin is closed
    std::optional<std::string> netns;  // path of a network namespace to enter
    std::chrono::milliseconds timeout{30000};
};

struct ProcessResult {
    int exit_code = -1;  // 128+N when killed by signal N, -1 when it could not start
    std::string out;
    std::string err;
};

ProcessResult run_process(const ProcessSpec& spec);
std::vector<ProcessResult> run_processes(const std::vector<ProcessSpec>& specs);

// Where an executable would be found on PATH, or empty.
std::string find_executable(const std::string& name);

// The fields of /proc/PID/stat after the command name, which may hold spaces
// and parentheses itself: [0] is the state (field 3), [11] and [12] the user
// and system CPU time (fields 14, 15), [19] the start time (field 22).
// Nothing when the process is gone.
std::optional<std::vector<std::string>> proc_stat_fields(int pid);

// Its user plus system CPU time, in clock ticks (0 when it is gone): what
// shows a load is running.
long process_cpu_ticks(int pid);

// Alive and not a zombie: an exited daemon stays one until whoever adopted it
// (init, or a container's) reaps it, which may take long, and counts as gone.
bool process_running(int pid);

}  // namespace atomixtest
