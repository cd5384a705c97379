// The `stress` fault plugin: the original tool's stress(node, timeout, cpu, io,
// memory, hdd) and destress(), as stress.start / stress.stop, per node or for
// every node.
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/plugin.hpp"
#include "stressors.hpp"

namespace atomixtest::stress {

namespace {

// Every node at once; all or none.
void start_on(FaultContext& context, const std::vector<int>& nodes, const StressSpec& spec) {
    std::vector<std::exception_ptr> errors(nodes.size());
    std::vector<std::string> effects(nodes.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < nodes.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                effects[i] = start_stressors(context.backend, context.cluster.name, nodes[i], spec);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (const auto& error : errors) {
        if (!error) continue;
        for (int node : nodes) stop_stressors(context.backend, context.cluster.name, node);
        std::rethrow_exception(error);
    }
    for (auto& effect : effects) context.verified(std::move(effect));
}

}  // namespace

class StressPlugin : public FaultPlugin {
  public:
    std::vector<VerbSpec> verbs() const override { return {start_verb(), stop_verb()}; }

    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext& context) override {
        auto nodes = nodes_param(params, "node");
        if (verb == "start") {
            start_on(context, nodes, stress_spec_of(params));
            return Undo{"stop", {{"node", nodes}}};
        }
        if (verb == "stop") {
            for (int node : nodes) stop_stressors(context.backend, context.cluster.name, node);
            return std::nullopt;
        }
        throw not_found("the stress plugin has no verb " + verb);
    }

    nlohmann::json in_force(FaultContext& context) override {
        nlohmann::json list = nlohmann::json::array();
        // Every node: a stopped node's stressors may still run in its namespace.
        for (const auto& node : context.cluster.nodes) {
            auto pids = stressors_of(context.backend, context.cluster.name, node.id);
            if (pids.empty()) continue;
            auto command = stressor_command(context.backend, context.cluster.name, node.id);
            list.push_back(
                {{"type", "stress"},
                 {"node", node.id},
                 {"processes", pids.size()},
                 {"command", command},
                 {"summary", "stress on node " + std::to_string(node.id) + ": " +
                                 std::to_string(pids.size()) + " processes (" + command + ")"}});
        }
        return list;
    }

    void clear(FaultContext& context) override {
        for (const auto& node : context.cluster.nodes) {
            stop_stressors(context.backend, context.cluster.name, node.id);
        }
    }
};

}  // namespace atomixtest::stress

ATOMIXTEST_PLUGIN(Fault, "stress", "CPU, I/O, memory and disk load inside nodes (stress-ng)",
                  atomixtest::stress::StressPlugin);
