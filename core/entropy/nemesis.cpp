#include "entropy/nemesis.hpp"

#include "atomixtest/error.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest {

nlohmann::json Nemesis::planned_what(const PlannedFault& planned, const EntropyFunction& function) {
    nlohmann::json nodes = "all";
    if (planned.nodes.size() == 1) nodes = planned.nodes[0];
    if (planned.nodes.size() > 1) nodes = planned.nodes;
    return {{"nodes", nodes}, {"function", function.describe()}};
}

Nemesis::Nemesis(Workspace& workspace, std::shared_ptr<Backend> backend, std::string cluster,
                 uint64_t seed)
    : workspace_(workspace),
      backend_(std::move(backend)),
      cluster_(std::move(cluster)),
      random_(seed) {}

std::string Nemesis::name_of(EntropyAction action) {
    switch (action) {
        case EntropyAction::Crash:
            return "crash";
        case EntropyAction::PartitionRandom:
            return "partition-random";
        case EntropyAction::PartitionIsolate:
            return "partition-isolate";
        case EntropyAction::PartitionHalves:
            return "partition-halves";
        case EntropyAction::PartitionBridge:
            return "partition-bridge";
        case EntropyAction::StressNetwork:
            return "stress-network";
        case EntropyAction::StressCpu:
            return "stress-cpu";
        case EntropyAction::StressIo:
            return "stress-io";
        case EntropyAction::StressMemory:
            return "stress-memory";
        case EntropyAction::Restart:
            return "restart";
        case EntropyAction::Membership:
            return "membership";
    }
    return "unknown";
}

ActiveFault Nemesis::apply(const PlannedFault& planned, const EntropyFunction& function) {
    auto name = name_of(function.action);
    Params node_param = nlohmann::json::object();
    if (planned.nodes.size() == 1) node_param["node"] = planned.nodes[0];
    ActiveFault fault;
    switch (function.action) {
        case EntropyAction::Crash: {
            int node = planned.nodes.at(0);
            backend_->node_action(cluster_, node, NodeAction::Kill);
            fault = {name, {}, [this, node] {
                         backend_->node_action(cluster_, node, NodeAction::Recover);
                     }};
            break;
        }
        case EntropyAction::PartitionRandom:
            fault = plugin_fault(name, "net", "bipartition",
                                 {{"local", planned.nodes.at(0)}, {"remote", planned.nodes.at(1)}});
            break;
        case EntropyAction::PartitionIsolate:
            fault = plugin_fault(name, "net", "isolate", node_param);
            break;
        case EntropyAction::PartitionHalves:
            fault = plugin_fault(name, "net", "halves", nlohmann::json::object());
            break;
        case EntropyAction::PartitionBridge:
            fault = plugin_fault(name, "net", "bridge", node_param);
            break;
        case EntropyAction::StressNetwork: {
            auto params = node_param;
            params["latency"] = format_duration(function.latency);
            fault = plugin_fault(name, "net", "delay", params);
            break;
        }
        case EntropyAction::StressCpu:
        case EntropyAction::StressIo:
        case EntropyAction::StressMemory: {
            auto params = node_param;
            const char* kind = function.action == EntropyAction::StressCpu  ? "cpu"
                               : function.action == EntropyAction::StressIo ? "io"
                                                                            : "memory";
            params[kind] = function.workers;
            fault = plugin_fault(name, "stress", "start", params);
            break;
        }
        case EntropyAction::Restart:
            fault = restart_every_node();
            break;
        case EntropyAction::Membership:
            fault = add_a_server();
            break;
    }
    if (fault.what.is_null()) fault.what = planned_what(planned, function);
    fault.what["function"] = function.describe();
    return fault;
}

ActiveFault Nemesis::plugin_fault(const std::string& name, const std::string& plugin,
                                  const std::string& verb, const Params& params) {
    auto fault_plugin = workspace_.fault(plugin);
    {
        std::lock_guard lock(mutex_);
        plugins_used_.insert(plugin);
    }
    auto info = backend_->describe(cluster_);
    FaultContext context{*backend_, info, random_};
    auto undo = fault_plugin->apply(verb, params, context);
    return {name, {}, [this, fault_plugin, undo] {
                if (!undo) return;
                auto now = backend_->describe(cluster_);
                FaultContext undo_context{*backend_, now, random_};
                fault_plugin->apply(undo->verb, undo->params, undo_context);
            }};
}

// Every node down at once, then every node back: the original's restart.
ActiveFault Nemesis::restart_every_node() {
    auto ids = backend_->describe(cluster_).node_ids();
    for (int id : ids) backend_->node_action(cluster_, id, NodeAction::Kill);
    for (int id : ids) backend_->node_action(cluster_, id, NodeAction::Recover);
    return {"restart", {{"nodes", ids}}, [] {}};
}

ActiveFault Nemesis::add_a_server() {
    auto info = backend_->describe(cluster_);
    auto added = backend_->add_node(cluster_, load_profile_to_start(info.profile));
    {
        std::lock_guard lock(mutex_);
        added_nodes_.insert(added.id);
    }
    int id = added.id;
    return {"membership", {{"nodes", id}, {"added", added.name}}, [this, id] {
                backend_->remove_node(cluster_, id);
                std::lock_guard lock(mutex_);
                added_nodes_.erase(id);
            }};
}

void Nemesis::heal_everything(std::ostream& log) {
    auto attempt = [&](const std::string& what, const std::function<void()>& action) {
        try {
            action();
        } catch (const Error& error) {
            log << "warning: " << what << ": " << error.what() << "\n";
        }
    };
    std::set<std::string> plugins;
    std::set<int> added;
    {
        std::lock_guard lock(mutex_);
        plugins = plugins_used_;
        added = added_nodes_;
    }
    for (const auto& plugin : plugins) {
        attempt("clearing " + plugin + " faults", [&] {
            auto info = backend_->describe(cluster_);
            FaultContext context{*backend_, info, random_};
            workspace_.fault(plugin)->clear(context);
        });
    }
    for (int id : added)
        attempt("removing node " + std::to_string(id),
                [&] { backend_->remove_node(cluster_, id); });
    for (const auto& node : backend_->describe(cluster_).nodes) {
        if (node.status == NodeStatus::Running) continue;
        attempt("recovering node " + std::to_string(node.id),
                [&] { backend_->node_action(cluster_, node.id, NodeAction::Recover); });
    }
}

}  // namespace atomixtest
