// The clock fault on a node: every process of it (the node's main process,
// as the backend sees it from this machine, and its descendants) changed
// together, all or none.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "process_clock.hpp"

namespace atomixtest::clock {

// The processes of a cluster's nodes, found once for a command: the backend
// names each node's main process once (on docker, through the engine), and
// /proc is read once for their descendants.
class NodeProcesses {
  public:
    NodeProcesses(Backend& backend, const std::string& cluster, const std::vector<int>& nodes);
    // The node's main process first, then its descendants; empty when the
    // node is not running.
    const std::vector<pid_t>& of(int node) const;

  private:
    std::map<int, std::vector<pid_t>> processes_;
};

// A process and its descendants, the process first (none for pid 0).
std::vector<pid_t> process_tree(pid_t main);

// Changes the clock of every process of the node; if one fails, those
// already changed are put back and the error is thrown. Returns each
// process's proof, the main process's first. Environment when the node is
// not running.
struct ProcessProof {
    pid_t pid;
    std::string command;
    ClockProof proof;
};
std::vector<ProcessProof> change_node_clock(int node, const std::vector<pid_t>& processes,
                                            const ClockUpdate& update);

// Puts back the clock of every process of the node; returns how many had a
// fault.
int reset_node_clock(const std::vector<pid_t>& processes);

// The node's clock as its main process has it (nullopt: its own).
std::optional<ProcessClock> node_clock(const std::vector<pid_t>& processes);

// "etcd", from /proc/PID/comm.
std::string command_of(pid_t pid);

// Its command line, from /proc/PID/cmdline.
std::vector<std::string> argv_of(pid_t pid);

}  // namespace atomixtest::clock
