// A clock change on one node, done where the node's processes are: in this
// process when it can enter them, in atomixtest-node-clock on the node's
// machine when it cannot. Either way the same checks: every process changed
// or none, the main process's reading described, a rate seen running, and
// the machine's own clock seen not to step meanwhile.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "strobe.hpp"

namespace atomixtest::clock {

struct NodeChange {
    std::string seen;                   // "node 1: etcd (pid 123) reads the time -5.000s off"
    std::vector<StrobeTarget> targets;  // each changed process's selector, for a strobe
};

// Changes the clock of the node's processes (the main one first) as the
// change (clock_change.hpp) says. Unavailable when the process does not read
// what was asked or the machine's clock stepped meanwhile (the node may be
// left changed: the caller puts it back); Environment when the node is not
// running.
NodeChange change_node(int node, const std::vector<pid_t>& processes, const nlohmann::json& change);

nlohmann::json targets_json(const std::vector<StrobeTarget>& targets);
std::vector<StrobeTarget> targets_from(const nlohmann::json& json);

}  // namespace atomixtest::clock
