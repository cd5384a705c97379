// The proof that a partition is in force, with real packets: every node sends
// a UDP datagram to every peer at once, from a thread that joined its
// namespace, and each records whom it heard from. The datagrams leave and
// enter through the same rules the system's packets do, so a pair that must
// be cut is seen to drop them and an open pair to pass them.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "atomixtest/cluster.hpp"
#include "block.hpp"

namespace atomixtest::net {

struct PairProbe {
    std::set<Block> arrived;  // {from, to} whose datagram arrived
    std::chrono::microseconds took{0};
};

// Sends over every pair of `cut` and `open` at once. It returns once every
// open pair has been heard and a grace has passed in which a cut pair would
// have been heard too (twice the time the open pairs took, at least 5 ms), or
// after `patience` if some open pair never is.
// Where a probe to the node goes: its own address. A Kubernetes Service's
// ClusterIP carries only the Service's ports, not a probe's (the rules and
// the shaping hold both addresses alike).
std::string probe_address(const NodeInfo& node);

PairProbe probe_pairs(Backend& backend, const ClusterInfo& cluster, const BlockSet& cut,
                      const std::vector<Block>& open,
                      std::chrono::milliseconds patience = std::chrono::milliseconds(500));

}  // namespace atomixtest::net
