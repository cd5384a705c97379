// Starting a daemon that outlives the command that starts it (a cluster's
// supervisor, relay, fault helpers): forked twice into a session of its own
// (no terminal signal reaches it), tagged with its cluster for gc, optionally
// inside a network namespace, its output in a log file. It reports on fd 3,
// one line, once it is ready; the launcher waits for that line.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace atomixtest {

struct DaemonLaunch {
    std::vector<std::string> argv;  // argv[0]: the executable's path
    std::string cluster;            // its process tag
    std::optional<std::string> netns;
    std::string log_file;  // stdout and stderr (appended); "" for /dev/null
    std::chrono::milliseconds ready_within{10000};
};

// The daemon's ready line. Throws Environment, naming the log, when the daemon
// exits or stays silent past ready_within.
std::string launch_daemon(const DaemonLaunch& launch);

}  // namespace atomixtest
