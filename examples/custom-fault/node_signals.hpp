// Pausing a node's main process as the kernel does it for a debugger or a
// shell's Ctrl-Z: SIGSTOP freezes every thread at once, so the node neither
// answers nor notices time passing, and SIGCONT lets it run on. Unlike a
// crash, its memory, sockets and peers' connections stay.
#pragma once

#include <string>

#include "atomixtest/backend.hpp"

namespace pause_fault {

// The node's main process (Backend::node_pid, on any backend); throws
// Environment when the node is not running.
int running_pid(atomixtest::Backend& backend, const std::string& cluster, int node);

// Sends the signal and returns once /proc shows the process stopped (SIGSTOP)
// or running again (SIGCONT): signals are delivered asynchronously.
void stop_process(int pid);
void continue_process(int pid);

// Whether the process is in state T (stopped by a signal) in /proc/PID/stat.
bool is_stopped(int pid);

}  // namespace pause_fault
