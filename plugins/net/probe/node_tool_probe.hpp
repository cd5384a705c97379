// The pair probe through the backend's run_in_nodes (node_tool_probe.cpp).
#pragma once

#include "probe/pair_probe.hpp"

namespace atomixtest::net {

// A port for the node tool's probes: above the ports systems under test
// listen on, below the kernel's ephemeral range, so that a probe's own
// sockets never meet a system's; random, so that two probes rarely share one.
int node_probe_port();

// Every probed node sends to its peers for the whole window (the tools start
// apart), so a pair is heard if it is open at all.
PairProbe probe_pairs_with_node_tool(
    Backend& backend, const ClusterInfo& cluster, const BlockSet& cut,
    const std::vector<Block>& open,
    std::chrono::milliseconds window = std::chrono::milliseconds(500));

}  // namespace atomixtest::net
