// delay, drop, reorder, duplicate, corrupt and restore: netem on the packets a
// node sends to other nodes (not loopback, so LOCAL PORT traffic is spared),
// on one node or all. The kernel's netem qdisc is used where the kernel has it
// (probed once per process), else the userspace driver (NFQUEUE). Faults of
// different verbs on one node add up, as netem options do.
#include <cstdio>
#include <map>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "net_verbs.hpp"
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

Param node_list_param(const std::string& help) {
    return {.name = "node", .type = ParamType::Nodes, .help = help, .absent = AbsentNodes::All};
}

Param chance_param(const char* name, const std::string& help, double fallback) {
    return {.name = name,
            .type = ParamType::Number,
            .help = help,
            .fallback = fallback,
            .minimum = 0,
            .maximum = 1};
}

Param delay_param(const char* name, const std::string& help, const char* fallback) {
    return {.name = name,
            .type = ParamType::Duration,
            .help = help,
            .fallback = fallback,
            .unit = "ms"};
}

// probability, with a correlation when netem has one for it.
std::vector<Param> chance_params(const std::string& what, double probability,
                                 std::optional<double> correlation) {
    std::vector<Param> params = {
        node_list_param("the nodes whose outgoing packets suffer"),
        chance_param("probability", "per packet, 0..1: the share " + what, probability)};
    if (correlation) {
        params.push_back(
            chance_param("correlation", "0..1, how much a draw leans on the last", *correlation));
    }
    return params;
}

NetVerb netem_verb(const std::string& verb, const std::string& description,
                   std::vector<Param> params) {
    return {{verb, description, std::move(params), true},
            [verb](const Params& params, FaultContext& context) -> std::optional<Undo> {
                auto change = netem_spec_for(verb, params);
                auto nodes = nodes_param(params, "node");
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
                return Undo{"restore", {{"node", nodes}}};
            }};
}

}  // namespace

std::vector<NetVerb> netem_verbs() {
    return {
        netem_verb("delay", "delay the packets a node sends",
                   {node_list_param("the nodes whose outgoing packets wait"),
                    delay_param("latency", "added delay", "50ms"),
                    delay_param("jitter", "spread of the delay", "10ms"),
                    chance_param("correlation", "0..1, how much a delay leans on the last", .75),
                    {.name = "distribution",
                     .type = ParamType::Choice,
                     .help = "shape of the jitter",
                     .fallback = "normal",
                     .choices = {"normal", "pareto", "paretonormal", "uniform"}}}),
        netem_verb("drop", "drop a share of the packets a node sends",
                   chance_params("dropped", .02, .25)),
        [] {
            auto params = chance_params("sent at once, ahead of delayed ones", .02, .5);
            params.push_back(delay_param(
                "latency", "delay of the packets not reordered, if the node has none yet", "10ms"));
            return netem_verb("reorder",
                              "send a share of a node's packets at once, ahead of delayed ones",
                              std::move(params));
        }(),
        netem_verb("duplicate", "send a share of a node's packets twice",
                   chance_params("sent twice", .005, .05)),
        netem_verb("corrupt", "flip a bit in a share of a node's packets (checksums catch it)",
                   chance_params("corrupted", .02, std::nullopt)),
        {{"restore",
          "remove every netem fault of a node (of every node if absent)",
          {node_list_param("the nodes")},
          false},
         [](const Params& params, FaultContext& context) -> std::optional<Undo> {
             for (int node : nodes_param(params, "node")) set_netem(context, node, std::nullopt);
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
