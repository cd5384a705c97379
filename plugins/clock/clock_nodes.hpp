// The nodes' clocks as the clock plugin reaches them: from this process
// (ptrace and /proc, the strobe daemon started here) when the backend lets it
// enter the nodes, or through the backend's run_in_nodes and the node clock
// tool on each node's machine when it does not (pods behind a node agent).
// Both do the same change the same way (node_change.hpp).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "node_change.hpp"

namespace atomixtest::clock {

struct NodeClockState {
    std::optional<ClockData> clock;  // nullopt: its own (or the node is not running)
    bool strobing = false;
};

struct StrobeStart {
    pid_t daemon = 0;  // as the node's machine numbers it
    bool seen_flipping = false;
};

class ClockNodes {
  public:
    virtual ~ClockNodes() = default;
    virtual std::map<int, NodeClockState> read(const std::vector<int>& nodes) = 0;
    // Ends the node's strobe, then changes its clock.
    virtual NodeChange change(int node, const nlohmann::json& change) = 0;
    // Starts the node's strobe daemon (spec: strobe_spec) and, for a watch
    // longer than 0, watches the first target until it flips.
    virtual StrobeStart start_strobe(int node, const nlohmann::json& spec,
                                     std::chrono::nanoseconds watch) = 0;
    // Ends the node's strobe and puts its clock back; Unavailable when the
    // node does not read its own clock after.
    virtual void reset(int node) = 0;
    // Every strobe of the cluster ended and every clock put back, as far as
    // it goes (a node that is not running has nothing to put back).
    virtual void clear(const std::vector<int>& nodes) = 0;
};

// The nodes (of a command) as the backend lets the plugin reach them: one
// of the two below.
std::unique_ptr<ClockNodes> clock_nodes(Backend& backend, const std::string& cluster,
                                        const std::vector<int>& nodes);

std::unique_ptr<ClockNodes> in_process_clocks(Backend& backend, const std::string& cluster,
                                              const std::vector<int>& nodes);
std::unique_ptr<ClockNodes> node_tool_clocks(Backend& backend, const std::string& cluster);

}  // namespace atomixtest::clock
