// Work done from inside nodes' network namespaces without starting a process:
// a fault plugin joins each node's namespace on a thread of its own (the
// calling thread, and so the host's network, is never moved) and talks to the
// kernel there (netlink, NFQUEUE), with no tool needed in the node's image.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace atomixtest {

// Runs work(i) for every namespace path at once, each on a thread of its own
// that has joined namespaces[i]; returns when all are done. work must be safe
// to run concurrently (write to slot i of a pre-sized result). The first
// failure (by index) is rethrown once all have finished; a path that cannot be
// joined is Error(Environment) naming it.
void for_each_network_namespace(const std::vector<std::string>& namespaces,
                                const std::function<void(size_t)>& work);

// The processes whose network namespace is the one at path (what `ip netns
// pids` does), found through /proc: the way to find what a crashed run left
// running in a namespace. Empty if the path names no namespace.
std::vector<int> processes_in_network_namespace(const std::string& path);

}  // namespace atomixtest
