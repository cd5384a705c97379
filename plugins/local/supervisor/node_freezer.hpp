// node.pause on the local backend: every process of a node frozen at once,
// keeping its memory, sockets and peers' connections, as in a long GC pause
// or a stalled VM. The node's cgroup freezer when it has one (it also holds
// what the node forks while being frozen); where none exists (no cgroup tree
// the supervisor may write), SIGSTOP of the node's process group. Either way
// the freeze is checked, not assumed, before pause returns.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace atomixtest::local {

struct FrozenNode {
    std::string method;  // "cgroup freezer" or "SIGSTOP"
    size_t processes = 0;
};

// Freezes the node whose process group is `group`; returns once every one of
// its processes is frozen (or stopped), else thaws it and throws
// Error(Unavailable) naming a process that still runs.
FrozenNode freeze_node(const std::vector<std::string>& cgroup_dirs, pid_t group,
                       std::chrono::milliseconds patience = std::chrono::seconds(2));

// Thaws it again; a node that is not frozen is left as it is.
void thaw_node(const std::vector<std::string>& cgroup_dirs, pid_t group);

}  // namespace atomixtest::local
