// The `clock` fault plugin (x86-64): the wall clock of a node's processes
// jumps (bump), flips back and forth (strobe) or runs fast or slow (rate),
// and is put back (reset, every fault's undo), with no effect on the clock of
// the node's machine or any other process. Each change is checked inside the
// node's processes before apply returns: a fault that is not seen there is
// undone and refused. The nodes are reached from this process, or through
// the backend and a tool on the node's machine (clock_nodes.hpp).
#include <algorithm>
#include <map>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/plugin.hpp"
#include "clock_change.hpp"
#include "clock_nodes.hpp"
#include "clock_verbs.hpp"
#include "strobe.hpp"

namespace atomixtest::clock {

namespace {

// The longest strobe period the command waits to see a flip of.
constexpr auto kWatchedPeriod = std::chrono::milliseconds(50);

std::optional<ClockData> clock_of(const std::map<int, NodeClockState>& states, int node) {
    auto it = states.find(node);
    return it == states.end() ? std::nullopt : it->second.clock;
}

}  // namespace

class ClockPlugin : public FaultPlugin {
  public:
    std::vector<VerbSpec> verbs() const override { return clock_verbs(); }

    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext& context) override {
        auto nodes = nodes_param(params, "node");
        if (verb == "reset") {
            auto clocks = clock_nodes(context.backend, context.cluster.name, nodes);
            for (int node : nodes) {
                clocks->reset(node);
                context.verified("node " + std::to_string(node) + " reads its own clock again");
            }
            return std::nullopt;
        }
        auto change = change_of(verb, params);
        // A frozen process cannot be held to change it (ptrace waits for it).
        for (int node : nodes) {
            if (context.cluster.node(node).status == NodeStatus::Paused) {
                throw Error(
                    ErrorKind::Unavailable,
                    "node " + std::to_string(node) + " is paused: resume it to change its clock");
            }
        }
        auto ids = context.cluster.node_ids();
        auto clocks = clock_nodes(context.backend, context.cluster.name, ids);
        auto before = clocks->read(ids);
        std::vector<int> changed;
        try {
            for (int node : nodes) {
                changed.push_back(node);
                auto done = clocks->change(node, change);
                auto seen = done.seen;
                if (verb == "strobe")
                    seen += start_node_strobe(*clocks, node, params, done.targets);
                context.verified(seen);
            }
            // The other nodes must not have changed.
            std::vector<int> others;
            for (int node : ids) {
                if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) {
                    others.push_back(node);
                }
            }
            auto after = clocks->read(others);
            for (int node : others) {
                if (clock_signature(clock_of(after, node)) !=
                    clock_signature(clock_of(before, node))) {
                    throw Error(ErrorKind::Unavailable,
                                "node " + std::to_string(node) + "'s clock changed too");
                }
            }
        } catch (...) {
            for (int node : changed) put_back(*clocks, node, clock_of(before, node));
            throw;
        }
        context.verified(context.backend.reaches_nodes_in_process(context.cluster.name)
                             ? "this machine's clock and the other nodes' unchanged"
                             : "the clocks of the nodes' machines and the other nodes' unchanged");
        return Undo{"reset", {{"node", nodes}}};
    }

    nlohmann::json in_force(FaultContext& context) override {
        nlohmann::json list = nlohmann::json::array();
        auto ids = context.cluster.node_ids();
        auto clocks = clock_nodes(context.backend, context.cluster.name, ids);
        for (const auto& [node, state] : clocks->read(ids)) {
            if (!state.clock) continue;
            auto fault = describe_fault(node, *state.clock, state.strobing);
            if (!fault.is_null()) list.push_back(fault);
        }
        return list;
    }

    void clear(FaultContext& context) override {
        auto ids = context.cluster.node_ids();
        clock_nodes(context.backend, context.cluster.name, ids)->clear(ids);
    }

  private:
    // A node whose change failed later on gets the clock it had.
    static void put_back(ClockNodes& clocks, int node, const std::optional<ClockData>& before) {
        try {
            if (!before) {
                clocks.reset(node);
                return;
            }
            clocks.change(node, restore_of(*before));
        } catch (const Error&) {
            // the error that made us put it back is the one reported
        }
    }

    // Starts the node's daemon and says what was seen of it: a short period
    // is watched until the daemon flips the main process's clock (a long one
    // would hold the command for as long).
    static std::string start_node_strobe(ClockNodes& clocks, int node, const Params& params,
                                         const std::vector<StrobeTarget>& targets) {
        auto period = duration_param(params, "period");
        auto duration = duration_param(params, "duration");
        if (targets.empty()) throw environment_error("node " + std::to_string(node) + " is gone");
        auto watch = period > kWatchedPeriod ? std::chrono::nanoseconds(0)
                                             : 3 * period + std::chrono::milliseconds(20);
        auto started =
            clocks.start_strobe(node, strobe_spec(node, period, duration, targets), watch);
        auto said = ", flipped every " + format_duration(period) + " by the strobe daemon (pid " +
                    std::to_string(started.daemon) + ")";
        if (watch.count() == 0) return said;
        if (!started.seen_flipping) {
            throw Error(ErrorKind::Unavailable, "node " + std::to_string(node) +
                                                    "'s clock was not seen flipping within " +
                                                    format_duration(3 * period));
        }
        return said + ", seen flipping";
    }

    static nlohmann::json describe_fault(int node, const ClockData& data, bool strobing) {
        auto offset = data.offsets[strobing ? 0 : (data.selector & 1)];
        if (offset == 0 && data.rate_fp == kRateOne && !strobing) return nullptr;
        nlohmann::json fault = {
            {"type", "clock"}, {"node", node}, {"offset", format_signed(offset)}};
        auto summary = "clock of node " + std::to_string(node) + ": " + format_signed(offset);
        if (data.rate_fp != kRateOne) {
            fault["rate"] = data.rate;
            summary += ", rate " + nlohmann::json(data.rate).dump();
        }
        if (strobing) {
            auto delta = format_duration(std::chrono::nanoseconds(data.strobe_delta_ns));
            auto period = format_duration(std::chrono::nanoseconds(data.strobe_period_ns));
            fault["strobe"] = {{"delta", delta}, {"period", period}};
            summary += ", strobe +" + delta + " every " + period;
        }
        fault["summary"] = summary;
        return fault;
    }
};

}  // namespace atomixtest::clock

ATOMIXTEST_PLUGIN(Fault, "clock",
                  "wall clock faults inside nodes' processes (x86-64: their vDSO, through ptrace)",
                  atomixtest::clock::ClockPlugin);
