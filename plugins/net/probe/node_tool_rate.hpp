// The rate probe through the backend's run_in_nodes (node_tool_rate.cpp).
#pragma once

#include <vector>

#include "atomixtest/backend.hpp"
#include "probe/rate_stream.hpp"

namespace atomixtest::net {

struct RateProbePair {
    int node = 0, peer = 0;
    std::string peer_ip;
};

// Every pair measured at once: `atomixtest-node-tool rate-receive` in the
// peer and `rate-send` in the node, each pair on a port of its own.
std::vector<RateMeasure> measure_rates_with_node_tool(Backend& backend, const std::string& cluster,
                                                      const std::vector<RateProbePair>& pairs,
                                                      int64_t total, int packet, int64_t burst);

}  // namespace atomixtest::net
