// measure_rate where this process cannot enter the nodes (a pod reached
// through the node agent): the same bytes, sent and counted by the node tool
// in the nodes (plugins/node_tool/rate_ends.cpp).
#include "probe/node_tool_rate.hpp"

#include <sstream>

#include "atomixtest/error.hpp"
#include "atomixtest/node_tool.hpp"
#include "probe/node_tool_probe.hpp"

namespace atomixtest::net {

std::vector<RateMeasure> measure_rates_with_node_tool(Backend& backend, const std::string& cluster,
                                                      const std::vector<RateProbePair>& pairs,
                                                      int64_t total, int packet, int64_t burst) {
    std::vector<NodeCommand> commands;
    for (const auto& pair : pairs) {
        auto port = std::to_string(node_probe_port());
        commands.push_back({pair.peer,
                            {node_tool_program(), "rate-receive", "--port", port, "--burst",
                             std::to_string(burst)}});
        commands.push_back(
            {pair.node,
             {node_tool_program(), "rate-send", "--to", pair.peer_ip, "--port", port, "--bytes",
              std::to_string(total), "--packet", std::to_string(packet)}});
    }
    auto results = backend.run_in_nodes(cluster, commands);
    for (const auto& result : results) {
        if (result.exit_code != 0) {
            throw Error(
                ErrorKind::Environment,
                "the rate probe in node " + std::to_string(result.node) + " failed: " + result.err);
        }
    }
    std::vector<RateMeasure> measures;
    for (size_t i = 0; i + 1 < results.size(); i += 2) {
        RateMeasure measure;
        int64_t took_us = 0;
        std::istringstream(results[i].out) >> measure.arrived >> measure.tail >> took_us;
        measure.tail_took = std::chrono::microseconds(took_us);
        std::istringstream(results[i + 1].out) >> measure.sent;
        measures.push_back(measure);
    }
    return measures;
}

}  // namespace atomixtest::net
