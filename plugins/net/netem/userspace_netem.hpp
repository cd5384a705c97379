// The userspace netem driver: starts, finds and stops atomixtest-netem inside
// a node's network namespace, and installs or removes its queue rule there.
// The daemon also holds the node's whole shaping on its command line (the
// kernel's part too): the record read back by `faults` and the next change.
#pragma once

#include <optional>
#include <string>

#include "atomixtest/backend.hpp"
#include "shaping.hpp"

namespace atomixtest::net {

// The shaping the daemon in the namespace holds, if one runs.
std::optional<Shaping> running_shaping(const std::string& netns_path);
// The same for a node, entered from here or through the backend.
std::optional<Shaping> running_shaping(Backend& backend, const std::string& cluster, int node);

// Replaces whatever runs in the namespace with a daemon holding shaping, and
// queues to it the packets it must see (none when the kernel does it all).
// `rules_in_place`: the queue rules of the daemon replaced are there, and
// only their chain is rewritten. Throws Error(Environment) if it cannot.
void start_userspace_netem(Backend& backend, const std::string& cluster, int node,
                           const Shaping& shaping, bool rules_in_place);

// Removes the rules, then stops the daemon (which first lets held packets go).
void stop_userspace_netem(Backend& backend, const std::string& cluster, int node);
// Stops the daemon alone, for a caller that removed the rules already.
void stop_netem_daemon(Backend& backend, const std::string& cluster, int node);

}  // namespace atomixtest::net
