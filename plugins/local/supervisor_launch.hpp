// Starting a cluster's supervisor as a daemon (its own session, reparented away
// from the CLI) and waiting for its first report: the LOCAL PORTs it bound.
#pragma once

#include <filesystem>
#include <map>

namespace atomixtest::local {

struct SupervisorStarted {
    int pid = 0;
    std::map<int, int> local_ports;  // node id -> port
};

SupervisorStarted launch_supervisor(const std::filesystem::path& cluster_dir);

}  // namespace atomixtest::local
