// The pair probe through the backend's run_in_nodes (node_tool_probe.cpp).
#pragma once

#include "probe/pair_probe.hpp"

namespace atomixtest::net {

// Every probed node sends to its peers for the whole window (the tools start
// apart), so a pair is heard if it is open at all.
PairProbe probe_pairs_with_node_tool(
    Backend& backend, const ClusterInfo& cluster, const BlockSet& cut,
    const std::vector<Block>& open,
    std::chrono::milliseconds window = std::chrono::milliseconds(500));

}  // namespace atomixtest::net
