// The `priority` fault plugin: priority.lower runs every thread of nodes'
// processes at a high niceness, so that a node gets a core only when nothing
// else on it wants one: a node starved by a noisy neighbour or an
// overcommitted host, slow but alive. Its undo, priority.restore, puts back
// the niceness the processes began with. Built against the installed SDK
// alone (see README.md), loaded by the plugin host as
// atomixtest-fault-priority.so.
#include <atomixtest/error.hpp>
#include <atomixtest/plugin.hpp>
#include <exception>

#include "node_priority.hpp"

namespace priority_fault {

using atomixtest::Error;
using atomixtest::ErrorKind;
using atomixtest::FaultContext;
using atomixtest::Params;
using atomixtest::Undo;
using atomixtest::VerbSpec;

namespace {

// The one declaration of the params: the scenario validator, the CLI, the
// C++ API, entropy, `atomix-test plugins` and the code below all read it. The
// core's door resolves `node` (an id, a list of ids, `all`, `random`,
// `leader`...) to ids and fills in `nice`'s default.
const char* const kNodesHelp = "the nodes (an id, a list, or a selector)";

atomixtest::Param nodes_param(const char* help, atomixtest::AbsentNodes absent, bool required) {
    auto node = atomixtest::param("node", atomixtest::ParamType::Nodes, help).when_absent(absent);
    return required ? node.require() : node;
}

atomixtest::Param nice_param() {
    return atomixtest::param("nice", atomixtest::ParamType::Integer,
                             "the niceness every thread of the nodes gets, from 1 to 19 (19: "
                             "the least CPU)")
        .default_value(19)
        .range(1, 19);
}

// What a node's processes had before they were lowered: the niceness of the
// process that started the node (the local backend's supervisor, the
// container's runtime shim), which this plugin never changes. Kept there
// rather than by the plugin, it is still known to a later CLI command, after
// a crash of the run that lowered the node, and to clear() at teardown or gc.
int began_at(int pid) {
    // Orphaned, the node was adopted by init or a subreaper: niceness 0.
    return parent_nice_of(pid).value_or(0);
}

int running_pid(FaultContext& context, int node) {
    int pid = context.backend.node_pid(context.cluster.name, node);
    if (pid <= 0) {
        throw atomixtest::environment_error("node " + std::to_string(node) +
                                            " is not running: only a running node can be lowered");
    }
    return pid;
}

std::string node_name(int node) {
    return "node " + std::to_string(node);
}

// Lowers one node and checks, by reading /proc again, that every thread of
// its processes is at the niceness; returns what was checked.
std::string lower_node(FaultContext& context, int node, int nice) {
    int pid = running_pid(context, node);
    int start = began_at(pid);
    if (nice <= start) {
        throw atomixtest::bad_input("nice: " + std::to_string(nice) + " is no lower priority for " +
                                    node_name(node) + ", whose processes began at nice " +
                                    std::to_string(start) + ": give one above " +
                                    std::to_string(start));
    }
    auto outcome = renice_tree(pid, nice);
    if (outcome.at.empty()) {
        throw Error(ErrorKind::Unavailable, node_name(node) + " ended while it was reniced");
    }
    if (!outcome.elsewhere.empty()) {
        throw Error(ErrorKind::Unavailable,
                    node_name(node) + " is not at nice " + std::to_string(nice) + ": " +
                        describe(outcome.elsewhere.front()) + " (" +
                        std::to_string(outcome.elsewhere.size()) + " threads not lowered)");
    }
    return node_name(node) + ": " + std::to_string(outcome.at.size()) + " threads of " +
           std::to_string(outcome.processes) +
           (outcome.processes == 1 ? " process" : " processes") + " at nice " +
           std::to_string(nice) + " (/proc/" + std::to_string(pid) + "/task/*/stat)";
}

// A node that is not running has nothing to restore.
void restore_node(FaultContext& context, int node) {
    int pid = context.backend.node_pid(context.cluster.name, node);
    if (pid <= 0) return;
    int start = began_at(pid);
    auto outcome = renice_tree(pid, start);
    if (!outcome.elsewhere.empty()) {
        throw Error(ErrorKind::Unavailable, node_name(node) + " is not back at nice " +
                                                std::to_string(start) + ": " +
                                                describe(outcome.elsewhere.front()));
    }
}

// Every node, even after one fails; the first failure is the one thrown.
void restore_all(FaultContext& context, const std::vector<int>& nodes) {
    std::exception_ptr first;
    for (int node : nodes) {
        try {
            restore_node(context, node);
        } catch (...) {
            if (!first) first = std::current_exception();
        }
    }
    if (first) std::rethrow_exception(first);
}

// All or none: a node that cannot be lowered, or is not seen lowered, puts
// back every node touched so far, itself included, and the step fails with
// the reason.
void lower_all(FaultContext& context, const std::vector<int>& nodes, int nice) {
    std::vector<int> touched;
    std::vector<std::string> checked;
    try {
        for (int node : nodes) {
            touched.push_back(node);
            checked.push_back(lower_node(context, node, nice));
        }
    } catch (...) {
        try {
            restore_all(context, touched);
        } catch (const std::exception&) {
            // the first error is the one to report; clear() retries the rest
        }
        throw;
    }
    for (auto& line : checked) context.verified(std::move(line));
}

}  // namespace

class PriorityPlugin : public atomixtest::FaultPlugin {
  public:
    std::vector<VerbSpec> verbs() const override {
        return {{"lower",
                 "run every thread of nodes' processes at a high niceness: they get a core "
                 "only when nothing else wants it, slow but alive",
                 {nodes_param(kNodesHelp, atomixtest::AbsentNodes::Left, true), nice_param()},
                 true},
                {"restore",
                 "put nodes' processes back at the niceness they began with (their parent's)",
                 {nodes_param(kNodesHelp, atomixtest::AbsentNodes::All, false)},
                 false}};
    }

    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext& context) override {
        auto nodes = atomixtest::nodes_param(params, "node");
        if (verb == "lower") {
            lower_all(context, nodes, static_cast<int>(atomixtest::integer_param(params, "nice")));
            return Undo{"restore", {{"node", nodes}}};
        }
        if (verb == "restore") {
            restore_all(context, nodes);
            return std::nullopt;
        }
        throw atomixtest::not_found("the priority plugin has no verb " + verb);
    }

    // Read from /proc: a node counts as lowered while any of its threads is
    // away from the niceness its processes began with.
    nlohmann::json in_force(FaultContext& context) override {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& node : context.cluster.nodes) {
            int pid = context.backend.node_pid(context.cluster.name, node.id);
            if (pid <= 0) continue;
            int start = began_at(pid);
            auto threads = niceness_of_tree(pid);
            size_t lowered = 0;
            for (const auto& thread : threads) lowered += thread.nice != start ? 1 : 0;
            if (lowered == 0) continue;
            int nice = nice_of(pid).value_or(start);
            list.push_back(
                {{"type", "priority"},
                 {"node", node.id},
                 {"pid", pid},
                 {"nice", nice},
                 {"began_at", start},
                 {"threads", lowered},
                 {"summary", node_name(node.id) + " at nice " + std::to_string(nice) + " (" +
                                 std::to_string(lowered) + " of " + std::to_string(threads.size()) +
                                 " threads; began at " + std::to_string(start) + ")"}});
        }
        return list;
    }

    void clear(FaultContext& context) override { restore_all(context, context.cluster.node_ids()); }
};

}  // namespace priority_fault

ATOMIXTEST_PLUGIN(Fault, "priority",
                  "lower the CPU priority (niceness) of nodes' processes, put it back",
                  priority_fault::PriorityPlugin);
