// The nodes' clocks changed from this process: the backend names each node's
// main process on this machine (NodeProcesses), and the strobe daemons are
// started here, tagged with the cluster.
#include "atomixtest/error.hpp"
#include "clock_nodes.hpp"
#include "node_clock.hpp"
#include "strobe.hpp"

namespace atomixtest::clock {

namespace {

class InProcessClocks : public ClockNodes {
  public:
    InProcessClocks(Backend& backend, std::string cluster, const std::vector<int>& nodes)
        : cluster_(std::move(cluster)), processes_(backend, cluster_, nodes) {}

    std::map<int, NodeClockState> read(const std::vector<int>& nodes) override {
        auto strobes = strobes_of(cluster_);
        std::map<int, NodeClockState> states;
        for (int node : nodes) {
            auto clock = node_clock(processes_.of(node));
            states[node] = {clock ? std::optional(clock->data) : std::nullopt,
                            !strobes[node].empty()};
        }
        return states;
    }

    NodeChange change(int node, const nlohmann::json& change) override {
        stop_strobes(strobes_of(cluster_)[node]);
        return change_node(node, processes_.of(node), change);
    }

    StrobeStart start_strobe(int node, const nlohmann::json& spec,
                             std::chrono::nanoseconds watch) override {
        auto targets = targets_from(spec.at("targets"));
        StrobeStart started;
        started.daemon = clock::start_strobe(
            cluster_, node, std::chrono::nanoseconds(spec.at("period_ns").get<int64_t>()),
            std::chrono::nanoseconds(spec.at("duration_ns").get<int64_t>()), targets);
        if (watch.count() > 0) started.seen_flipping = seen_flipping(targets.front(), watch);
        return started;
    }

    void reset(int node) override {
        stop_strobes(strobes_of(cluster_)[node]);
        reset_node_clock(processes_.of(node));
        if (node_clock(processes_.of(node))) {
            throw Error(ErrorKind::Unavailable,
                        "node " + std::to_string(node) + "'s clock could not be put back");
        }
    }

    void clear(const std::vector<int>& nodes) override {
        for (const auto& [node, daemons] : strobes_of(cluster_)) stop_strobes(daemons);
        for (int node : nodes) reset_node_clock(processes_.of(node));
    }

  private:
    std::string cluster_;
    NodeProcesses processes_;
};

}  // namespace

std::unique_ptr<ClockNodes> in_process_clocks(Backend& backend, const std::string& cluster,
                                              const std::vector<int>& nodes) {
    return std::make_unique<InProcessClocks>(backend, cluster, nodes);
}

}  // namespace atomixtest::clock
