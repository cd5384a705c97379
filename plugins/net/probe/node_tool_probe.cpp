// probe_pairs where this process cannot enter the nodes (a pod reached
// through the node agent): every node of the probe runs
// `atomixtest-node-tool probe` at once through the backend, on one UDP port
// chosen here, and says whom it heard. The datagrams cross the same rules as
// in-process probes do; what costs more is the start of each tool.
#include <map>
#include <random>
#include <sstream>

#include "atomixtest/error.hpp"
#include "atomixtest/node_tool.hpp"
#include "probe/node_tool_probe.hpp"

namespace atomixtest::net {

int node_probe_port() {
    std::random_device seed;
    return std::uniform_int_distribution<int>(20000, 29999)(seed);
}

PairProbe probe_pairs_with_node_tool(Backend& backend, const ClusterInfo& cluster,
                                     const BlockSet& cut, const std::vector<Block>& open,
                                     std::chrono::milliseconds window) {
    std::map<int, std::vector<std::string>> sends;  // by node: the addresses it sends to
    auto involve = [&](const Block& pair) {
        sends[pair.from].push_back(probe_address(cluster.node(pair.to)));
        sends[pair.to];
    };
    for (const auto& pair : cut) involve(pair);
    for (const auto& pair : open) involve(pair);
    auto port = std::to_string(node_probe_port());
    std::vector<NodeCommand> commands;
    for (const auto& [node, addresses] : sends) {
        std::vector<std::string> argv = {node_tool_program(),
                                         "probe",
                                         "--port",
                                         port,
                                         "--id",
                                         std::to_string(node),
                                         "--window-ms",
                                         std::to_string(window.count())};
        for (const auto& address : addresses) {
            argv.push_back("--to");
            argv.push_back(address);
        }
        commands.push_back({node, std::move(argv), ""});
    }
    auto start = std::chrono::steady_clock::now();
    auto results = backend.run_in_nodes(cluster.name, commands);
    PairProbe probe;
    probe.took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    for (const auto& result : results) {
        if (result.exit_code != 0) {
            throw Error(ErrorKind::Environment, "the probe in node " + std::to_string(result.node) +
                                                    " failed: " + result.err);
        }
        std::istringstream heard(result.out);
        for (int from = 0; heard >> from;) probe.arrived.insert({from, result.node});
    }
    return probe;
}

}  // namespace atomixtest::net
