// The `pause` fault plugin: pause.node freezes nodes' main processes with
// SIGSTOP and its undo, pause.resume, lets them run on with SIGCONT. Built
// against the installed SDK alone (see README.md), loaded by the plugin host
// as atomixtest-fault-pause.so.
#include <atomixtest/error.hpp>
#include <atomixtest/plugin.hpp>

#include "node_signals.hpp"

namespace pause_fault {

using atomixtest::FaultContext;
using atomixtest::Params;
using atomixtest::Undo;
using atomixtest::VerbSpec;

namespace {

// The one declaration of the params: the scenario validator, the CLI, the
// C++ API, `atomix-test plugins` and the code below all read it. The core's
// door resolves `node` (an id, a list of ids, `all`, `random`) to ids.
atomixtest::Param nodes_param(const char* help, atomixtest::AbsentNodes absent, bool required) {
    auto node = atomixtest::param("node", atomixtest::ParamType::Nodes, help).when_absent(absent);
    return required ? node.require() : node;
}

// All or none: a node that cannot be paused resumes the ones already paused.
void pause_all(FaultContext& context, const std::vector<int>& nodes) {
    std::vector<int> paused;
    try {
        for (int node : nodes) {
            int pid = running_pid(context.backend, context.cluster.name, node);
            stop_process(pid);
            paused.push_back(pid);
        }
    } catch (...) {
        for (int pid : paused) continue_process(pid);
        throw;
    }
}

// A node that is not running has nothing to resume.
void resume_all(FaultContext& context, const std::vector<int>& nodes) {
    for (int node : nodes) {
        int pid = context.backend.node_pid(context.cluster.name, node);
        if (pid > 0) continue_process(pid);
    }
}

}  // namespace

class PausePlugin : public atomixtest::FaultPlugin {
  public:
    std::vector<VerbSpec> verbs() const override {
        return {{"node",
                 "freeze nodes' main processes (SIGSTOP): they hold their state and "
                 "connections but answer nothing until resumed",
                 {nodes_param("the nodes", atomixtest::AbsentNodes::Left, true)},
                 true},
                {"resume",
                 "let paused nodes run on (SIGCONT)",
                 {nodes_param("the nodes", atomixtest::AbsentNodes::All, false)},
                 false}};
    }

    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext& context) override {
        auto nodes = atomixtest::nodes_param(params, "node");
        if (verb == "node") {
            pause_all(context, nodes);
            return Undo{"resume", {{"node", nodes}}};
        }
        if (verb == "resume") {
            resume_all(context, nodes);
            return std::nullopt;
        }
        throw atomixtest::not_found("the pause plugin has no verb " + verb);
    }

    nlohmann::json in_force(FaultContext& context) override {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& node : context.cluster.nodes) {
            int pid = context.backend.node_pid(context.cluster.name, node.id);
            if (pid <= 0 || !is_stopped(pid)) continue;
            list.push_back({{"type", "pause"},
                            {"node", node.id},
                            {"pid", pid},
                            {"summary", "node " + std::to_string(node.id) + " paused (pid " +
                                            std::to_string(pid) + " stopped by SIGSTOP)"}});
        }
        return list;
    }

    void clear(FaultContext& context) override { resume_all(context, context.cluster.node_ids()); }
};

}  // namespace pause_fault

ATOMIXTEST_PLUGIN(Fault, "pause", "freeze nodes with SIGSTOP, resume them with SIGCONT",
                  pause_fault::PausePlugin);
