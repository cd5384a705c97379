// delay, drop, reorder, duplicate, corrupt, rate, unset and restore: netem
// and a token bucket on the packets a node sends to other nodes (not
// loopback, so LOCAL PORT traffic is spared), on one node or all, to every
// peer or only to the peers in `to`. The kernel's qdiscs carry what the
// kernel has (tbf here, netem elsewhere), the userspace driver the rest
// (shaping_driver.hpp). Settings of different verbs on one node add up, as
// netem's options do; a peer's own setting wins over the node's.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/rate.hpp"
#include "net_verbs.hpp"
#include "netem/netem_spec.hpp"
#include "rate_check.hpp"
#include "shaping_driver.hpp"

namespace atomixtest::net {

namespace {

// The node's shaping with the verb's setting changed: node-wide, or for the
// peers in `to` (a node's packets to itself never leave, so it is skipped).
Shaping changed(FaultContext& context, Shaping shaping, int node, const std::string& setting,
                const NetemSpec& change, const std::vector<int>& to) {
    if (to.empty()) {
        shaping.all = with_setting(shaping.all, setting, change);
        return shaping;
    }
    for (int peer : to) {
        if (peer == node) continue;
        const auto& info = context.cluster.node(peer);
        auto& own = shaping.own(peer, info.ip, info.own_ip);
        own = with_setting(own, setting, change);
    }
    return shaping;
}

// Applies `make` to every node, all or none: if one fails, the nodes reached
// get back what they had.
void reshape(FaultContext& context, const std::vector<int>& nodes,
             const std::function<Shaping(int node, const Shaping& before)>& make,
             const std::function<void()>& check = {}) {
    std::map<int, Shaping> before;
    try {
        for (int node : nodes) {
            before[node] = shaping_of(context, node);
            put_shaping(context, node, before[node], make(node, before[node]));
        }
        if (check) check();
    } catch (...) {
        for (const auto& [node, previous] : before) {
            try {
                put_shaping(context, node, shaping_of(context, node), previous);
            } catch (const Error&) {
            }
        }
        throw;
    }
}

std::string summarize(const NetemSpec& spec) {
    std::string text;
    auto pct = [](double f) {
        char text[16];
        std::snprintf(text, sizeof text, "%g%%", f * 100);
        return std::string(text);
    };
    if (spec.latency.count() > 0) {
        text += "delay " + format_duration(spec.latency) + " ±" + format_duration(spec.jitter) +
                " " + spec.distribution + "; ";
    }
    if (spec.loss.probability > 0) text += "drop " + pct(spec.loss.probability) + "; ";
    if (spec.reorder.probability > 0) text += "reorder " + pct(spec.reorder.probability) + "; ";
    if (spec.duplicate.probability > 0)
        text += "duplicate " + pct(spec.duplicate.probability) + "; ";
    if (spec.corrupt.probability > 0) text += "corrupt " + pct(spec.corrupt.probability) + "; ";
    if (spec.rate.bits_per_second > 0) {
        text += "rate " + format_rate(spec.rate.bits_per_second) + " burst " +
                std::to_string(spec.rate.burst_bytes) + "B; ";
    }
    return text.empty() ? "none" : text.substr(0, text.size() - 2);
}

Param node_list_param(const std::string& help) {
    return {.name = "node", .type = ParamType::Nodes, .help = help, .absent = AbsentNodes::All};
}

Param to_param() {
    return {.name = "to",
            .type = ParamType::Nodes,
            .help = "only the packets to these peers (absent: to every peer)",
            .absent = AbsentNodes::Left};
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
    params.push_back(to_param());
    return {{verb, description, std::move(params), true},
            [verb](const Params& params, FaultContext& context) -> std::optional<Undo> {
                auto change = netem_spec_for(verb, params);
                auto nodes = nodes_param(params, "node");
                auto to = nodes_param(params, "to");
                auto seed = context.random();
                std::function<void()> check;
                if (verb == "rate") check = [&] { check_rate(context, nodes, to, change.rate); };
                reshape(
                    context, nodes,
                    [&](int node, const Shaping& before) {
                        auto wanted = changed(context, before, node, verb, change, to);
                        wanted.seed = seed;
                        return wanted;
                    },
                    check);
                Params undo = {{"node", nodes}, {"setting", verb}};
                if (!to.empty()) undo["to"] = to;
                return Undo{"unset", undo};
            }};
}

NetVerb rate_verb() {
    return netem_verb(
        "rate", "throttle the packets a node sends to a bandwidth (tbf's token bucket)",
        {node_list_param("the nodes whose outgoing packets are throttled"),
         {.name = "rate",
          .type = ParamType::Rate,
          .help = "the bandwidth, as tc writes it",
          .required = true},
         {.name = "burst",
          .type = ParamType::Size,
          .help = "what may go at once while the bucket is full (at least 2k: a whole packet)",
          .fallback = "32kb",
          .minimum = 2048},
         delay_param("latency",
                     "the longest a packet waits for the bucket; later ones are dropped "
                     "(tbf's latency)",
                     "100ms")});
}

NetVerb unset_verb() {
    return {{"unset",
             "remove one netem setting of nodes: the node-wide one, or the one of the peers in to "
             "(the undo of delay, drop, reorder, duplicate, corrupt and rate)",
             {node_list_param("the nodes"),
              {.name = "setting",
               .type = ParamType::Choice,
               .help = "the verb whose setting goes",
               .required = true,
               .choices = netem_settings()},
              {.name = "to",
               .type = ParamType::Nodes,
               .help = "the peers whose own setting goes (absent: the node-wide one)"}},
             false},
            [](const Params& params, FaultContext& context) -> std::optional<Undo> {
                auto setting = string_param(params, "setting");
                auto to = nodes_param(params, "to");
                reshape(context, nodes_param(params, "node"), [&](int, const Shaping& before) {
                    auto wanted = before;
                    if (to.empty()) wanted.all = with_setting(wanted.all, setting, NetemSpec{});
                    for (auto& peer : wanted.peers) {
                        if (std::find(to.begin(), to.end(), peer.node) != to.end()) {
                            peer.own = with_setting(peer.own, setting, NetemSpec{});
                        }
                    }
                    return wanted;
                });
                return std::nullopt;
            }};
}

NetVerb restore_verb() {
    return {{"restore",
             "remove every netem fault of a node (of every node if absent), or only the settings "
             "of the peers in to",
             {node_list_param("the nodes"),
              {.name = "to",
               .type = ParamType::Nodes,
               .help = "only these peers' own settings (absent: everything)"}},
             false},
            [](const Params& params, FaultContext& context) -> std::optional<Undo> {
                auto to = nodes_param(params, "to");
                if (to.empty()) {
                    clear_shaping(context, nodes_param(params, "node"));
                    return std::nullopt;
                }
                for (int node : nodes_param(params, "node")) {
                    auto before = shaping_of(context, node);
                    auto wanted = before;
                    for (auto& peer : wanted.peers) {
                        if (std::find(to.begin(), to.end(), peer.node) != to.end()) peer.own = {};
                    }
                    put_shaping(context, node, before, wanted);
                }
                return std::nullopt;
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
        rate_verb(),
        unset_verb(),
        restore_verb(),
    };
}

nlohmann::json netem_in_force(FaultContext& context) {
    nlohmann::json list = nlohmann::json::array();
    for (int node : context.cluster.node_ids()) {
        auto shaping = shaping_of(context, node);
        if (shaping.empty()) continue;
        auto description = shaping.all.to_json();
        description.erase("seed");
        std::string summary;
        if (!shaping.all.empty() || shaping.peers.empty()) summary = summarize(shaping.all);
        nlohmann::json peers = nlohmann::json::array();
        for (const auto& peer : shaping.peers) {
            auto own = peer.own.to_json();
            own.erase("seed");
            peers.push_back({{"node", peer.node}, {"netem", own}});
            summary += (summary.empty() ? "to " : "; to ") + std::to_string(peer.node) + ": " +
                       summarize(peer.own);
        }
        summary = "netem node " + std::to_string(node) + ": " + summary;
        list.push_back({{"type", "netem"},
                        {"node", node},
                        {"netem", description},
                        {"peers", peers},
                        {"summary", summary}});
    }
    return list;
}

}  // namespace atomixtest::net
