// The clock fault on a node: every process of it (the node's main process,
// as the backend sees it from this machine, and its descendants) changed
// together, all or none.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "process_clock.hpp"

namespace atomixtest::clock {

// The node's main process and its descendants (empty when it is not running).
std::vector<pid_t> node_processes(Backend& backend, const std::string& cluster, int node);

// Changes the clock of every process of the node; if one fails, those
// already changed are put back and the error is thrown. Returns each
// process's proof, the main process's first. Environment when the node is
// not running.
struct ProcessProof {
    pid_t pid;
    std::string command;
    ClockProof proof;
};
std::vector<ProcessProof> change_node_clock(Backend& backend, const std::string& cluster, int node,
                                            const ClockUpdate& update);

// Puts back the clock of every process of the node; returns how many had a
// fault.
int reset_node_clock(Backend& backend, const std::string& cluster, int node);

// The node's clock as its main process has it (nullopt: its own).
std::optional<ProcessClock> node_clock(Backend& backend, const std::string& cluster, int node);

// "etcd", from /proc/PID/comm.
std::string command_of(pid_t pid);

}  // namespace atomixtest::clock
