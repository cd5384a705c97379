// The userspace netem driver: starts, finds and stops atomixtest-netem inside
// a node's network namespace, and installs or removes its queue rule there.
#pragma once

#include <optional>
#include <string>

#include "atomixtest/backend.hpp"
#include "netem_spec.hpp"

namespace atomixtest::net {

// The spec of the daemon running in the namespace, if any.
std::optional<NetemSpec> running_netem(const std::string& netns_path);

// Replaces whatever runs in the namespace with a daemon for spec, and queues
// the node's outgoing packets to it. Throws Error(Environment) if it cannot.
void start_userspace_netem(Backend& backend, const std::string& cluster, int node,
                           const NetemSpec& spec);

// Removes the rules, then stops the daemon (which first lets held packets go).
void stop_userspace_netem(Backend& backend, const std::string& cluster, int node);

}  // namespace atomixtest::net
