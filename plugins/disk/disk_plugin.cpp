// The `disk` fault plugin: I/O errors and delays by path, file corruption and
// the loss of what was never synced, on nodes whose data dir is a lazy disk
// (a FUSE mount of the framework's, mount/lazy_mount.hpp), on any backend.
// Each node's daemon is told what to do over its control channel, from here
// or beside the node on its machine (disk_nodes.hpp); the plugin itself never
// touches a node's files.
#include <cstdio>
#include <map>

#include "atomixtest/error.hpp"
#include "atomixtest/plugin.hpp"
#include "disk_nodes.hpp"
#include "disk_verbs.hpp"
#include "io_rules.hpp"

namespace atomixtest::disk {

namespace {

// A paused node is not down: thawed, it writes again over what was changed.
void refuse_running(FaultContext& context, int node, const std::string& verb) {
    auto status = context.cluster.node(node).status;
    if (status != NodeStatus::Dead && status != NodeStatus::Stopped) {
        // A kubelet starts a killed container again at once (its data dir
        // still bound): only a deleted pod stays down.
        auto first = context.cluster.backend == "kubernetes"
                         ? std::string(
                               "node.stop first, which deletes the pod and keeps its "
                               "data dir; a killed container is started again at once")
                         : std::string(
                               "node.kill or node.stop first, or as a step of their "
                               "during:");
        throw bad_input("disk." + verb + " needs node " + std::to_string(node) +
                        " stopped or killed, and it is " + to_string(status) + " (" + first + ")");
    }
}

IoRule rule_of(const std::string& verb, const Params& params) {
    IoRule rule;
    rule.path = string_param(params, "path");
    rule.ops = io_ops_mask(params.value("ops", nlohmann::json()));
    rule.probability = number_param(params, "probability");
    if (verb == "error") {
        rule.error = *errno_named(string_param(params, "errno"));
    } else {
        rule.latency = std::chrono::duration_cast<std::chrono::microseconds>(
            duration_param(params, "latency"));
        rule.jitter =
            std::chrono::duration_cast<std::chrono::microseconds>(duration_param(params, "jitter"));
    }
    return rule;
}

void set_rules(DiskNodes& daemons, FaultContext& context, int node, const nlohmann::json& rules) {
    daemons.ask(node, {{"op", "rules"}, {"rules", rules}, {"seed", context.random()}});
}

// The rule joins those in force on each node; all nodes or none.
std::optional<Undo> add_rule(const std::string& verb, const Params& params, FaultContext& context) {
    auto rule = rule_of(verb, params);
    auto nodes = nodes_param(params, "node");
    auto daemons = disk_nodes(context);
    std::map<int, nlohmann::json> before;
    try {
        for (int node : nodes) {
            before[node] = daemons->ask(node, {{"op", "status"}}).at("rules");
            auto rules = before[node];
            rules.push_back(rule.to_json());
            set_rules(*daemons, context, node, rules);
            auto files = daemons->ask(node, {{"op", "files"}, {"path", rule.path}}).at("files");
            if (files.empty()) {
                context.warn("disk." + verb + ": no file of node " + std::to_string(node) +
                             "'s data dir matches '" + rule.path + "' yet");
            }
        }
    } catch (...) {
        for (const auto& [node, rules] : before) {
            try {
                set_rules(*daemons, context, node, rules);
            } catch (const Error&) {
            }
        }
        throw;
    }
    return Undo{"restore", {{"node", nodes}}};
}

std::string bytes_text(uint64_t bytes) {
    char text[32];
    if (bytes >= (1u << 20)) {
        std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    } else if (bytes >= 1024) {
        std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024);
    } else {
        std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
    }
    return text;
}

void corrupt(const Params& params, FaultContext& context) {
    int node = static_cast<int>(integer_param(params, "node"));
    refuse_running(context, node, "corrupt");
    nlohmann::json request = {{"op", "corrupt"},
                              {"path", string_param(params, "path")},
                              {"mode", string_param(params, "mode")},
                              {"bytes", integer_param(params, "bytes")},
                              {"seed", context.random()}};
    if (params.contains("offset")) request["offset"] = integer_param(params, "offset");
    // The daemon reads the damage back before it answers (corruption.hpp).
    auto done = disk_nodes(context)->ask(node, request);
    std::string mode = done.at("mode");
    std::string what = mode == "bitflip" ? "flipped a bit in each of"
                       : mode == "zero"  ? "zeroed"
                                         : "cut off the last";
    context.verified("node " + std::to_string(node) + ": " + what + " " +
                     std::to_string(done.at("bytes").get<int64_t>()) + " bytes of " +
                     done.at("file").get<std::string>() + " at offset " +
                     std::to_string(done.at("offset").get<int64_t>()) + " (of " +
                     std::to_string(done.at("size").get<int64_t>()) + "), read back");
}

void lose_unfsynced(const Params& params, FaultContext& context) {
    auto nodes = nodes_param(params, "node");
    for (int node : nodes) refuse_running(context, node, "lose_unfsynced");
    auto daemons = disk_nodes(context);
    for (int node : nodes) {
        auto lost = daemons->ask(node, {{"op", "lose_unsynced"}});
        char took[32];
        std::snprintf(took, sizeof took, "%.1f ms", lost.at("took_us").get<double>() / 1000);
        context.verified("node " + std::to_string(node) + ": dropped " +
                         bytes_text(lost.at("bytes").get<uint64_t>()) + " never synced (" +
                         std::to_string(lost.at("files").get<int>()) + " files put back, " +
                         std::to_string(lost.at("name_changes").get<int>()) +
                         " name changes undone) in " + took);
    }
}

}  // namespace

class DiskFaultPlugin : public FaultPlugin {
  public:
    std::vector<VerbSpec> verbs() const override { return disk_verbs(); }

    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext& context) override {
        if (verb == "error" || verb == "delay") return add_rule(verb, params, context);
        if (verb == "restore") {
            auto daemons = disk_nodes(context);
            for (int node : nodes_param(params, "node")) {
                set_rules(*daemons, context, node, nlohmann::json::array());
            }
            return std::nullopt;
        }
        if (verb == "corrupt") {
            corrupt(params, context);
            return std::nullopt;
        }
        if (verb == "lose_unfsynced") {
            lose_unfsynced(params, context);
            return std::nullopt;
        }
        throw not_found("the disk plugin has no verb " + verb);
    }

    nlohmann::json in_force(FaultContext& context) override {
        nlohmann::json list = nlohmann::json::array();
        auto daemons = disk_nodes(context);
        for (int node : daemons->nodes()) {
            auto status = daemons->ask(node, {{"op", "status"}});
            for (const auto& json : status.at("rules")) {
                auto rule = IoRule::from_json(json);
                list.push_back(
                    {{"type", rule.error ? "disk-error" : "disk-delay"},
                     {"node", node},
                     {"rule", json},
                     {"summary", "disk node " + std::to_string(node) + ": " + rule.summary()}});
            }
        }
        return list;
    }

    void clear(FaultContext& context) override {
        auto daemons = disk_nodes(context);
        for (int node : daemons->nodes()) {
            daemons->ask(node, {{"op", "rules"}, {"rules", nlohmann::json::array()}});
        }
    }
};

}  // namespace atomixtest::disk

ATOMIXTEST_PLUGIN(Fault, "disk",
                  "lost unsynced writes, I/O errors and delays by path, file corruption (a FUSE "
                  "data dir per node)",
                  atomixtest::disk::DiskFaultPlugin);
