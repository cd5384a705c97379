// delay, drop, reorder, duplicate, corrupt and restore: netem on the packets a
// node sends to other nodes (not loopback, so LOCAL PORT traffic is spared),
// on one node or all. The kernel's netem qdisc is used where the kernel has it
// (probed once per process), else the userspace driver (NFQUEUE). Faults of
// different verbs on one node add up, as netem options do.
#include <cstdio>
#include <map>

#include "actions.hpp"
#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "netem/netem_spec.hpp"
#include "netem/tc_netem.hpp"
#include "netem/userspace_netem.hpp"

namespace atomixtest::net {

namespace {

constexpr const char* kInterface = "eth0";

bool kernel_has_netem(FaultContext& context, int node) {
    static std::map<std::string, bool> probed;  // by backend+cluster; kernels do not change
    auto key = context.cluster.backend + "/" + context.cluster.name;
    auto it = probed.find(key);
    if (it != probed.end()) return it->second;
    auto results =
        context.backend.run_in_nodes(context.cluster.name, {{node, tc_netem_probe(), ""}});
    return probed[key] = !results.empty() && results[0].exit_code == 0;
}

// The new verb's settings over what the node already has.
NetemSpec merged(NetemSpec current, const std::string& verb, const NetemSpec& change) {
    if (verb == "delay") {
        current.latency = change.latency;
        current.jitter = change.jitter;
        current.delay_correlation = change.delay_correlation;
        current.distribution = change.distribution;
    } else if (verb == "drop") {
        current.loss = change.loss;
    } else if (verb == "reorder") {
        current.reorder = change.reorder;
        if (current.latency.count() == 0) current.latency = change.latency;
    } else if (verb == "duplicate") {
        current.duplicate = change.duplicate;
    } else if (verb == "corrupt") {
        current.corrupt = change.corrupt;
    }
    return current;
}

void set_netem(FaultContext& context, int node, const std::optional<NetemSpec>& spec) {
    if (kernel_has_netem(context, node)) {
        auto argv = spec ? tc_netem_command(kInterface, *spec) : tc_netem_removal(kInterface);
        auto result = context.backend.run_in_nodes(context.cluster.name, {{node, argv, ""}});
        if (!result.empty() && result[0].exit_code != 0 && spec) {
            throw Error(ErrorKind::Environment,
                        "tc netem on node " + std::to_string(node) + ": " + result[0].err);
        }
        return;
    }
    if (spec) {
        start_userspace_netem(context.backend, context.cluster.name, node, *spec);
    } else {
        stop_userspace_netem(context.backend, context.cluster.name, node);
    }
}

std::string summarize(const NetemSpec& spec) {
    std::string text;
    auto ms = [](std::chrono::nanoseconds d) { return format_duration(d); };
    auto pct = [](double f) {
        char text[16];
        std::snprintf(text, sizeof text, "%g%%", f * 100);
        return std::string(text);
    };
    if (spec.latency.count() > 0) {
        text +=
            "delay " + ms(spec.latency) + " ±" + ms(spec.jitter) + " " + spec.distribution + "; ";
    }
    if (spec.loss.probability > 0) text += "drop " + pct(spec.loss.probability) + "; ";
    if (spec.reorder.probability > 0) text += "reorder " + pct(spec.reorder.probability) + "; ";
    if (spec.duplicate.probability > 0)
        text += "duplicate " + pct(spec.duplicate.probability) + "; ";
    if (spec.corrupt.probability > 0) text += "corrupt " + pct(spec.corrupt.probability) + "; ";
    return text.empty() ? "none" : text.substr(0, text.size() - 2);
}

std::vector<int> targets(const Params& params, FaultContext& context) {
    if (!params.contains("node")) return context.cluster.node_ids();
    int node = params.at("node");
    context.cluster.node(node);
    return {node};
}

nlohmann::json chance_params(double probability, double correlation, bool with_correlation) {
    nlohmann::json properties = {
        {"node", node_param("the node whose outgoing packets suffer; absent: every node")},
        {"probability",
         {{"type", "number"},
          {"minimum", 0},
          {"maximum", 1},
          {"description", "per packet, 0..1 (default " + std::to_string(probability) + ")"}}}};
    if (with_correlation) {
        properties["correlation"] = {
            {"type", "number"},
            {"minimum", 0},
            {"maximum", 1},
            {"description", "0..1, how much a draw leans on the last (default " +
                                std::to_string(correlation) + ")"}};
    }
    return {{"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
}

nlohmann::json duration_param(const std::string& description) {
    return {{"type", {"string", "number"}},
            {"description", description + " (200ms, 1s; a number is ms)"}};
}

Action netem_action(const std::string& verb, const std::string& description,
                    nlohmann::json schema) {
    return {{verb, description, std::move(schema), true},
            [verb](const Params& params, FaultContext& context) -> std::optional<Undo> {
                auto change = netem_spec_for(verb, params);  // BadInput before anything changes
                auto nodes = targets(params, context);
                std::map<int, std::optional<NetemSpec>> before;
                try {
                    for (int node : nodes) {
                        auto netns = context.backend.network_namespace(context.cluster.name, node);
                        before[node] = running_netem(netns);
                        auto spec = merged(before[node].value_or(NetemSpec{}), verb, change);
                        spec.seed = context.random();
                        set_netem(context, node, spec);
                    }
                } catch (...) {
                    // All targets or none: put back what the reached nodes had.
                    for (const auto& [node, previous] : before) {
                        try {
                            set_netem(context, node, previous);
                        } catch (const Error&) {
                        }
                    }
                    throw;
                }
                Params undo = nlohmann::json::object();
                if (params.contains("node")) undo["node"] = params.at("node");
                return Undo{"restore", undo};
            }};
}

}  // namespace

std::vector<Action> netem_actions() {
    auto delay_schema = nlohmann::json{
        {"type", "object"},
        {"properties",
         {{"node", node_param("the node whose outgoing packets wait; absent: every node")},
          {"latency", duration_param("added delay (default 50ms)")},
          {"jitter", duration_param("spread of the delay (default 10ms)")},
          {"correlation",
           {{"type", "number"}, {"minimum", 0}, {"maximum", 1}, {"description", "default .75"}}},
          {"distribution",
           {{"type", "string"},
            {"enum", {"normal", "pareto", "paretonormal", "uniform"}},
            {"description", "shape of the jitter (default normal)"}}}}},
        {"additionalProperties", false}};
    auto reorder_schema = chance_params(.02, .5, true);
    reorder_schema["properties"]["latency"] =
        duration_param("delay of the packets not reordered, if none is set (default 10ms)");
    return {
        netem_action("delay", "delay the packets a node sends", delay_schema),
        netem_action("drop", "drop a share of the packets a node sends",
                     chance_params(.02, .25, true)),
        netem_action("reorder", "send a share of a node's packets at once, ahead of delayed ones",
                     reorder_schema),
        netem_action("duplicate", "send a share of a node's packets twice",
                     chance_params(.005, .05, true)),
        netem_action("corrupt", "flip a bit in a share of a node's packets (checksums catch it)",
                     chance_params(.02, 0, false)),
        {{"restore",
          "remove every netem fault of a node (of every node if absent)",
          {{"type", "object"},
           {"properties", {{"node", node_param("the node; absent: every node")}}},
           {"additionalProperties", false}},
          false},
         [](const Params& params, FaultContext& context) -> std::optional<Undo> {
             for (int node : targets(params, context)) set_netem(context, node, std::nullopt);
             return std::nullopt;
         }},
    };
}

nlohmann::json netem_in_force(FaultContext& context) {
    nlohmann::json list = nlohmann::json::array();
    for (int node : context.cluster.node_ids()) {
        auto spec = running_netem(context.backend.network_namespace(context.cluster.name, node));
        if (!spec) continue;
        auto description = spec->to_json();
        description.erase("seed");
        list.push_back(
            {{"type", "netem"},
             {"node", node},
             {"netem", description},
             {"summary", "netem node " + std::to_string(node) + ": " + summarize(*spec)}});
    }
    return list;
}

}  // namespace atomixtest::net
