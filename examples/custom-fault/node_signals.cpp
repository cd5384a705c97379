#include "node_signals.hpp"

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "atomixtest/error.hpp"

namespace pause_fault {

namespace {

// The state letter of /proc/PID/stat, "PID (COMM) STATE ...": COMM may hold
// spaces and parentheses, so the state follows the last ')'. 0 when gone.
char process_state(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::stringstream text;
    text << in.rdbuf();
    auto line = text.str();
    auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size()) return 0;
    return line[close + 2];
}

void signal_until(int pid, int signal, bool stopped) {
    if (kill(pid, signal) != 0) {
        if (errno == ESRCH) return;  // it ended: nothing left to pause or resume
        throw atomixtest::environment_error("cannot signal process " + std::to_string(pid) + ": " +
                                            std::strerror(errno));
    }
    for (int attempt = 0; attempt < 1000; ++attempt) {
        auto state = process_state(pid);
        if (state == 0 || (state == 'T') == stopped) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    throw atomixtest::environment_error("process " + std::to_string(pid) + " did not " +
                                        (stopped ? "stop" : "continue") + " within 1s");
}

}  // namespace

int running_pid(atomixtest::Backend& backend, const std::string& cluster, int node) {
    int pid = backend.node_pid(cluster, node);
    if (pid <= 0) {
        throw atomixtest::environment_error("node " + std::to_string(node) +
                                            " is not running: only a running node can be paused");
    }
    return pid;
}

void stop_process(int pid) {
    signal_until(pid, SIGSTOP, true);
}

void continue_process(int pid) {
    signal_until(pid, SIGCONT, false);
}

bool is_stopped(int pid) {
    return process_state(pid) == 'T';
}

}  // namespace pause_fault
