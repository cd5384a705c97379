#include "entropy/nemesis.hpp"

#include <algorithm>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/rate.hpp"
#include "session/param_check.hpp"

namespace atomixtest {

namespace {

// A strobe is never shorter than its default period (clock.strobe refuses
// a period longer than its duration): a fault the run's end cuts short.
constexpr Duration kShortestStrobe = std::chrono::milliseconds(10);

const char* kind_name(FunctionKind kind) {
    switch (kind) {
        case FunctionKind::Crash:
            return "crash";
        case FunctionKind::Pause:
            return "pause";
        case FunctionKind::PartitionRandom:
            return "partition-random";
        case FunctionKind::PartitionIsolate:
            return "partition-isolate";
        case FunctionKind::PartitionHalves:
            return "partition-halves";
        case FunctionKind::PartitionBridge:
            return "partition-bridge";
        case FunctionKind::PartitionRing:
            return "partition-ring";
        case FunctionKind::PartitionLeader:
            return "partition-leader";
        case FunctionKind::StressNetwork:
            return "stress-network";
        case FunctionKind::StressRate:
            return "stress-rate";
        case FunctionKind::StressCpu:
            return "stress-cpu";
        case FunctionKind::StressIo:
            return "stress-io";
        case FunctionKind::StressMemory:
            return "stress-memory";
        case FunctionKind::Restart:
            return "restart";
        case FunctionKind::Membership:
            return "membership";
        case FunctionKind::ClockBump:
            return "clock-bump";
        case FunctionKind::ClockStrobe:
            return "clock-strobe";
        case FunctionKind::ClockRate:
            return "clock-rate";
        case FunctionKind::Fault:
            return "fault";
    }
    return "unknown";
}

// A built-in function as the verb that does it and its params.
std::pair<std::string, Params> verb_of(const PlannedFault& planned,
                                       const EntropyFunction& function) {
    Params node = nlohmann::json::object();
    if (planned.nodes.size() == 1) node["node"] = planned.nodes[0];
    switch (function.kind) {
        case FunctionKind::Crash: {
            // --majority: the drawn nodes killed together, recovered together.
            Params params = {{"node", planned.nodes.size() == 1 ? nlohmann::json(planned.nodes[0])
                                                                : nlohmann::json(planned.nodes)}};
            if (function.lose_unfsynced) params["lose_unfsynced"] = true;
            return {"node.kill", params};
        }
        case FunctionKind::Pause:
            return {"node.pause",
                    {{"node", planned.nodes.empty() ? nlohmann::json("all")
                                                    : nlohmann::json(planned.nodes)}}};
        case FunctionKind::PartitionRandom:
            return {"net.bipartition",
                    {{"local", planned.nodes.at(0)}, {"remote", planned.nodes.at(1)}}};
        case FunctionKind::PartitionIsolate:
            return {"net.isolate", node};
        case FunctionKind::PartitionHalves:
            return {"net.halves", nlohmann::json::object()};
        case FunctionKind::PartitionBridge:
            return {"net.bridge", node};
        case FunctionKind::PartitionRing:
            return {"net.ring", {{"order", planned.nodes}}};
        case FunctionKind::PartitionLeader:
            // Whoever leads when the fault starts, as the profile finds it.
            return {"net.isolate", {{"node", "leader"}}};
        case FunctionKind::StressNetwork:
            node["latency"] = format_duration(function.latency);
            return {"net.delay", node};
        case FunctionKind::StressRate:
            node["rate"] = format_rate(function.rate);
            return {"net.rate", node};
        case FunctionKind::StressCpu:
        case FunctionKind::StressIo:
        case FunctionKind::StressMemory: {
            const char* kind = function.kind == FunctionKind::StressCpu  ? "cpu"
                               : function.kind == FunctionKind::StressIo ? "io"
                                                                         : "memory";
            node[kind] = function.workers;
            return {"stress.start", node};
        }
        // The clock verbs draw a node when none is given: every node is said.
        case FunctionKind::ClockBump:
            if (planned.nodes.empty()) node["node"] = "all";
            node["offset"] = function.clock_option().substr(7);
            return {"clock.bump", node};
        case FunctionKind::ClockStrobe:
            if (planned.nodes.empty()) node["node"] = "all";
            // It flips for as long as the fault stays (its 10ms flips at least).
            node["duration"] = format_duration(std::max<Duration>(planned.period, kShortestStrobe));
            return {"clock.strobe", node};
        case FunctionKind::ClockRate:
            if (planned.nodes.empty()) node["node"] = "all";
            node["rate"] = function.clock_rate;
            return {"clock.rate", node};
        default:
            throw Error(ErrorKind::Internal,
                        std::string("no verb for ") + kind_name(function.kind));
    }
}

}  // namespace

nlohmann::json Nemesis::planned_what(const PlannedFault& planned, const EntropyFunction& function) {
    // The leader is known once the fault is applied (the stop event names it).
    nlohmann::json nodes = function.kind == FunctionKind::PartitionLeader ? "leader" : "all";
    if (planned.nodes.size() == 1) nodes = planned.nodes[0];
    if (planned.nodes.size() > 1) nodes = planned.nodes;
    return {{"nodes", nodes}, {"function", function.describe()}};
}

std::string Nemesis::name_of(const EntropyFunction& function) {
    if (function.kind == FunctionKind::Fault) return function.verb;
    return kind_name(function.kind);
}

Nemesis::Nemesis(Workspace& workspace, std::shared_ptr<Backend> backend, std::string cluster,
                 uint64_t seed)
    : faults_(workspace, std::move(backend), std::move(cluster), seed) {}

ActiveFault Nemesis::apply(const PlannedFault& planned, const EntropyFunction& function) {
    auto name = name_of(function);
    ActiveFault fault;
    switch (function.kind) {
        case FunctionKind::Restart:
            fault = restart_every_node(function.lose_unfsynced);
            break;
        case FunctionKind::Membership:
            fault = add_a_server();
            break;
        case FunctionKind::Fault: {
            const auto& verb = faults_.workspace().verb(function.verb);
            fault =
                through_door(name, function.verb, params_from_words(verb.spec, function.params));
            break;
        }
        case FunctionKind::Crash:
            if (planned.lag.count() > 0) {
                fault = crash_ahead_of_a_lagging_minority(planned, function);
                break;
            }
            [[fallthrough]];
        default: {
            auto [verb, params] = verb_of(planned, function);
            fault = through_door(name, verb, params);
            break;
        }
    }
    if (fault.what.is_null()) fault.what = planned_what(planned, function);
    fault.what["function"] = function.describe();
    // What the plugin saw of it once applied: the history says it was in force.
    if (!fault.verified.empty()) fault.what["verified"] = fault.verified;
    return fault;
}

ActiveFault Nemesis::through_door(const std::string& name, const std::string& verb,
                                  const Params& params) {
    auto applied = faults_.apply(verb, params);
    nlohmann::json what = nullptr;
    // A fault whose nodes the door drew (or completed) says which they were.
    if (applied.params.contains("node")) what = {{"nodes", applied.params["node"]}};
    if (!applied.warnings.empty()) what["warnings"] = applied.warnings;
    if (applied.entry->owner == VerbOwner::Fault && name == verb) what["params"] = applied.params;
    return {name, what,
            [this, undo = applied.undo] {
                if (undo) faults_.apply_undo(*undo);
            },
            applied.verified};
}

// crash --majority --lag: the nodes the majority leaves out are cut off
// (net.isolate), so for the lag the majority alone acknowledges writes; then
// it is killed (losing what it never synced, with --lose-unfsynced) and they
// are reconnected, holding the only other copy of the log, an old one. A
// system that acknowledged only what its majority had synced loses nothing.
// A cut, not a pause: a frozen node's kernel still takes its peers' messages
// into its sockets, and it reads them all once thawed.
ActiveFault Nemesis::crash_ahead_of_a_lagging_minority(const PlannedFault& planned,
                                                       const EntropyFunction& function) {
    std::vector<int> lagging;
    for (int id : faults_.cluster().node_ids()) {
        if (std::find(planned.nodes.begin(), planned.nodes.end(), id) == planned.nodes.end()) {
            lagging.push_back(id);
        }
    }
    std::vector<Undo> reconnect;
    auto reconnect_all = [&] {
        for (const auto& undo : reconnect) faults_.apply_undo(undo);
    };
    ActiveFault crash;
    try {
        for (int id : lagging) {
            auto cut = faults_.apply("net.isolate", {{"node", id}});
            if (cut.undo) reconnect.push_back(*cut.undo);
        }
        std::this_thread::sleep_for(planned.lag);
        auto [verb, params] = verb_of(planned, function);
        crash = through_door(name_of(function), verb, params);
    } catch (const Error&) {
        reconnect_all();
        throw;
    }
    reconnect_all();
    crash.what["lagging"] = lagging;
    crash.what["lag_ms"] = planned.lag.count() / 1'000'000;
    return crash;
}

// Every node down at once, then every node back: the original's restart.
ActiveFault Nemesis::restart_every_node(bool lose_unfsynced) {
    auto ids = faults_.cluster().node_ids();
    Params kill = {{"node", ids}};
    if (lose_unfsynced) kill["lose_unfsynced"] = true;
    faults_.apply("node.kill", kill);
    faults_.apply("node.recover", {{"node", ids}});
    return {"restart", {{"nodes", ids}}, [] {}};
}

ActiveFault Nemesis::add_a_server() {
    auto added = faults_.apply("node.add", nlohmann::json::object()).result;
    int id = added.at("id").get<int>();
    {
        std::lock_guard lock(mutex_);
        added_nodes_.insert(id);
    }
    return {
        "membership", {{"nodes", id}, {"added", added.value("name", std::string())}}, [this, id] {
            faults_.apply("node.remove", {{"node", id}});
            std::lock_guard lock(mutex_);
            added_nodes_.erase(id);
        }};
}

void Nemesis::heal_everything(std::ostream& log) {
    auto attempt = [&](const std::string& what, const std::function<void()>& action) {
        try {
            action();
        } catch (const std::exception& error) {
            log << "warning: " << what << ": " << error.what() << "\n";
        }
    };
    std::set<int> added;
    {
        std::lock_guard lock(mutex_);
        added = added_nodes_;
    }
    attempt("clearing faults", [&] { faults_.clear(); });
    for (int id : added) {
        attempt("removing node " + std::to_string(id), [&] {
            faults_.apply("node.remove", {{"node", id}});
        });
    }
    for (const auto& node : faults_.cluster().nodes) {
        if (node.status == NodeStatus::Running) continue;
        bool paused = node.status == NodeStatus::Paused;
        attempt((paused ? "resuming node " : "recovering node ") + std::to_string(node.id), [&] {
            faults_.apply(paused ? "node.resume" : "node.recover", {{"node", node.id}});
        });
    }
}

}  // namespace atomixtest
