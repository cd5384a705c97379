// The `clock` fault plugin (x86-64): the wall clock of a node's processes
// jumps (bump), flips back and forth (strobe) or runs fast or slow (rate),
// and is put back (reset, every fault's undo), with no effect on this
// machine's clock or any other process. Each change is checked inside the
// node's processes before apply returns: a fault that is not seen there is
// undone and refused.
#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <thread>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/plugin.hpp"
#include "clock_verbs.hpp"
#include "node_clock.hpp"
#include "strobe.hpp"

namespace atomixtest::clock {

namespace {

// How far apart the two reads that show a rate are: long enough for their
// own spread (a few hundred microseconds on a loaded machine) to be well
// under a percent of it. The process runs meanwhile.
constexpr auto kRateSpan = std::chrono::milliseconds(100);

// The longest strobe period the command waits to see a flip of.
constexpr auto kWatchedPeriod = std::chrono::milliseconds(50);

// This machine's wall clock against its boot clock: a step of the host's
// clock (by anyone) changes it; NTP's slewing only by microseconds.
int64_t host_clock_step() {
    timespec real{}, boot{};
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    return (real.tv_sec - boot.tv_sec) * 1000000000LL + (real.tv_nsec - boot.tv_nsec);
}

// What a node's clock is, for comparing before and after: the function of
// real time its processes compute (the strobe's selector aside).
std::string clock_signature(const std::optional<ProcessClock>& clock) {
    if (!clock) return "own";
    const auto& data = clock->data;
    return std::to_string(data.base_ns) + "/" + std::to_string(data.rate_fp) + "/" +
           std::to_string(data.offsets[0]) + "/" + std::to_string(data.offsets[1]);
}

std::string describe(int node, const std::vector<ProcessProof>& proofs) {
    const auto& main = proofs.front();
    auto text = "node " + std::to_string(node) + ": " + main.command + " (pid " +
                std::to_string(main.pid) + ") " + main.proof.describe();
    if (proofs.size() > 1) text += ", and " + std::to_string(proofs.size() - 1) + " more processes";
    return text;
}

}  // namespace

class ClockPlugin : public FaultPlugin {
  public:
    std::vector<VerbSpec> verbs() const override { return clock_verbs(); }

    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext& context) override {
        auto nodes = nodes_param(params, "node");
        const auto& cluster = context.cluster.name;
        if (verb == "reset") {
            reset(context, nodes);
            return std::nullopt;
        }
        ClockUpdate update;
        std::chrono::nanoseconds period{}, duration{};
        if (verb == "bump") {
            auto offset = signed_duration(params.at("offset").get<std::string>()).count();
            update = [offset](ClockData& data, int64_t) { bump(data, offset); };
        } else if (verb == "rate") {
            double rate = number_param(params, "rate");
            update = [rate](ClockData& data, int64_t now) { set_rate(data, rate, now); };
        } else if (verb == "strobe") {
            auto delta = duration_param(params, "delta").count();
            period = duration_param(params, "period");
            duration = duration_param(params, "duration");
            update = [=](ClockData& data, int64_t now) {
                arm_strobe(data, delta, period.count(), now + duration.count());
            };
        } else {
            throw not_found("the clock plugin has no verb " + verb);
        }
        // A frozen process cannot be held to change it (ptrace waits for it).
        for (int node : nodes) {
            if (context.cluster.node(node).status == NodeStatus::Paused) {
                throw Error(
                    ErrorKind::Unavailable,
                    "node " + std::to_string(node) + " is paused: resume it to change its clock");
            }
        }
        NodeProcesses processes(context.backend, cluster, context.cluster.node_ids());
        // The other nodes and this machine, before: they must not change.
        std::map<int, std::string> others;
        for (int node : context.cluster.node_ids()) {
            if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) {
                others[node] = clock_signature(node_clock(processes.of(node)));
            }
        }
        auto host_before = host_clock_step();
        auto strobes = verb == "strobe" ? strobes_of(cluster) : std::map<int, std::vector<pid_t>>();
        std::vector<std::pair<int, std::optional<ProcessClock>>> changed;
        try {
            for (int node : nodes) {
                auto before = node_clock(processes.of(node));
                stop_strobes(strobes[node]);
                auto proofs = change_node_clock(node, processes.of(node), update);
                changed.emplace_back(node, before);
                if (verb == "rate") see_rate(proofs.front());
                auto seen = describe(node, proofs);
                if (verb == "strobe") {
                    seen += start_node_strobe(cluster, node, proofs, period, duration);
                }
                context.verified(seen);
            }
            for (const auto& [node, signature] : others) {
                if (clock_signature(node_clock(processes.of(node))) != signature) {
                    throw Error(ErrorKind::Unavailable,
                                "node " + std::to_string(node) + "'s clock changed too");
                }
            }
            if (std::llabs(host_clock_step() - host_before) > 5000000) {
                throw Error(ErrorKind::Unavailable, "this machine's clock stepped meanwhile");
            }
        } catch (...) {
            for (const auto& [node, before] : changed) {
                put_back(cluster, node, processes.of(node), before);
            }
            throw;
        }
        context.verified("this machine's clock and the other nodes' unchanged");
        return Undo{"reset", {{"node", nodes}}};
    }

    nlohmann::json in_force(FaultContext& context) override {
        nlohmann::json list = nlohmann::json::array();
        // A clock fault acts on the node's processes from here: where they
        // cannot be entered none was applied (the backend refuses it).
        if (!context.backend.reaches_nodes_in_process(context.cluster.name)) return list;
        auto ids = context.cluster.node_ids();
        NodeProcesses processes(context.backend, context.cluster.name, ids);
        auto strobes = strobes_of(context.cluster.name);
        for (int node : ids) {
            auto clock = node_clock(processes.of(node));
            if (!clock) continue;
            auto fault = describe_fault(node, clock->data, !strobes[node].empty());
            if (!fault.is_null()) list.push_back(fault);
        }
        return list;
    }

    void clear(FaultContext& context) override {
        for (const auto& [node, daemons] : strobes_of(context.cluster.name)) stop_strobes(daemons);
        if (!context.backend.reaches_nodes_in_process(context.cluster.name)) return;
        auto ids = context.cluster.node_ids();
        NodeProcesses processes(context.backend, context.cluster.name, ids);
        for (int node : ids) reset_node_clock(processes.of(node));
    }

  private:
    static void reset(FaultContext& context, const std::vector<int>& nodes) {
        NodeProcesses processes(context.backend, context.cluster.name, nodes);
        auto strobes = strobes_of(context.cluster.name);
        for (int node : nodes) {
            stop_strobes(strobes[node]);
            reset_node_clock(processes.of(node));
            if (node_clock(processes.of(node))) {
                throw Error(ErrorKind::Unavailable,
                            "node " + std::to_string(node) + "'s clock could not be put back");
            }
            context.verified("node " + std::to_string(node) + " reads its own clock again");
        }
    }

    // A node whose change failed later on gets the clock it had.
    static void put_back(const std::string& cluster, int node, const std::vector<pid_t>& processes,
                         const std::optional<ProcessClock>& before) {
        try {
            stop_strobes(strobes_of(cluster)[node]);
            if (!before) {
                reset_node_clock(processes);
                return;
            }
            auto previous = before->data;
            change_node_clock(node, processes, [&](ClockData& data, int64_t) { data = previous; });
        } catch (const Error&) {
            // the error that made us put it back is the one reported
        }
    }

    // A second read of the node's main process, a while later and without
    // holding it meanwhile, shows how fast its clock runs.
    static void see_rate(ProcessProof& main) {
        std::this_thread::sleep_for(kRateSpan);
        main.proof.rate_seen = rate_between(main.proof, read_process_time(main.pid));
    }

    // Starts the node's daemon and says what was seen of it: a short period
    // is watched until the daemon flips the main process's clock (a long one
    // would hold the command for as long).
    static std::string start_node_strobe(const std::string& cluster, int node,
                                         const std::vector<ProcessProof>& proofs,
                                         std::chrono::nanoseconds period,
                                         std::chrono::nanoseconds duration) {
        std::vector<StrobeTarget> targets;
        for (const auto& proof : proofs) {
            auto clock = read_process_clock(proof.pid);
            if (clock) targets.push_back({proof.pid, clock->selector_address()});
        }
        if (targets.empty()) throw environment_error("node " + std::to_string(node) + " is gone");
        pid_t daemon = start_strobe(cluster, node, period, duration, targets);
        auto said = ", flipped every " + format_duration(period) + " by the strobe daemon (pid " +
                    std::to_string(daemon) + ")";
        if (period > kWatchedPeriod) return said;
        if (!seen_flipping(targets.front(), 3 * period + std::chrono::milliseconds(20))) {
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
