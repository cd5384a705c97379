#include "testing/cluster_core.hpp"

#include <algorithm>
#include <iostream>

#include "atomixtest/error.hpp"
#include "gc/cluster_claims.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest::detail {

ClusterCore::ClusterCore(std::string backend, std::string name, uint64_t seed)
    : backend_name_(std::move(backend)),
      name_(std::move(name)),
      seed_(seed),
      backend_(workspace_.backend(backend_name_)),
      random_(seed) {}

ClusterInfo ClusterCore::describe() {
    if (torn_down_) throw not_found("the cluster " + name_ + " was torn down");
    return backend_->describe(name_);
}

int ClusterCore::resolve(const NodeRef& node) {
    auto info = describe();
    if (const int* id = std::get_if<int>(&node.value())) return info.node(*id).id;
    const auto& name = std::get<std::string>(node.value());
    for (const auto& each : info.nodes) {
        if (each.name == name) return each.id;
    }
    std::string known;
    for (const auto& each : info.nodes) known += (known.empty() ? "" : ", ") + each.name;
    throw not_found("the cluster " + name_ + " has no node named " + name + " (it has " + known +
                    ")");
}

// As the CLI's apply_fault and the scenario runner's run_fault: the cluster as
// it is now, the plugin's verb, and this cluster's generator for what is drawn.
std::optional<Undo> ClusterCore::run_fault(const std::string& plugin, const std::string& verb,
                                           const Params& params) {
    auto info = describe();
    std::lock_guard lock(mutex_);
    FaultContext context{*backend_, info, random_};
    return workspace_.fault(plugin)->apply(verb, params, context);
}

FaultGuard ClusterCore::apply_fault(const std::string& plugin, const std::string& verb,
                                    const Params& params) {
    auto undo = run_fault(plugin, verb, params);
    auto description = plugin + "." + verb + " " + params.dump();
    if (!undo) return FaultGuard(description, nullptr);
    return FaultGuard(description, [core = shared_from_this(), plugin, undo = *undo] {
        // Teardown already removed every fault with the cluster.
        if (!core->torn_down()) core->run_fault(plugin, undo.verb, undo.params);
    });
}

void ClusterCore::apply(const std::string& plugin, const std::string& verb, const Params& params) {
    run_fault(plugin, verb, params);
}

nlohmann::json ClusterCore::faults_in_force() {
    auto info = describe();
    std::lock_guard lock(mutex_);
    FaultContext context{*backend_, info, random_};
    nlohmann::json all = nlohmann::json::array();
    for (const auto& plugin : workspace_.fault_names()) {
        for (auto fault : workspace_.fault(plugin)->in_force(context)) {
            fault["plugin"] = plugin;
            all.push_back(fault);
        }
    }
    return all;
}

FaultGuard ClusterCore::node_fault(int node, NodeAction action) {
    describe().node(node);
    backend_->node_action(name_, node, action);
    auto inverse = action == NodeAction::Kill ? NodeAction::Recover : NodeAction::Start;
    auto description =
        std::string("node.") + to_string(action) + " {\"node\":" + std::to_string(node) + "}";
    return FaultGuard(description, [core = shared_from_this(), node, inverse] {
        if (core->torn_down()) return;
        auto info = core->describe();
        auto ids = info.node_ids();
        // Removed, or already brought back by hand: nothing to undo.
        if (std::find(ids.begin(), ids.end(), node) == ids.end()) return;
        if (info.node(node).status == NodeStatus::Running) return;
        core->backend().node_action(core->name(), node, inverse);
    });
}

std::shared_ptr<ClientPlugin> ClusterCore::client_for(const std::string& profile,
                                                      std::map<std::string, std::string>& options) {
    std::lock_guard lock(mutex_);
    auto cached = profiles_.find(profile);
    if (cached == profiles_.end()) cached = profiles_.emplace(profile, load_profile(profile)).first;
    options = cached->second.client_options;
    return workspace_.plugins().client(cached->second.client);
}

// As a scenario's client step: the node's LOCAL PORT and its profile's
// client options; the plugin's typed errors come through as they are.
nlohmann::json ClusterCore::invoke(int node, const std::string& verb, const Params& params,
                                   std::chrono::milliseconds timeout) {
    auto info = describe();
    const auto& target = info.node(node);
    Endpoint endpoint;
    endpoint.port = target.local_port;
    endpoint.timeout = timeout;
    auto client =
        client_for(target.profile.empty() ? info.profile : target.profile, endpoint.options);
    return client->invoke(verb, params, endpoint);
}

void ClusterCore::keep() {
    if (kept_.exchange(true) || torn_down_) return;
    hand_cluster_to_user(backend_name_, name_);
    std::cerr << "atomix-test: cluster " << name_ << " kept; `atomix-test cluster " << name_
              << " teardown` removes it\n";
}

void ClusterCore::teardown() {
    if (torn_down_.exchange(true)) return;
    try {
        workspace_.teardown_cluster(backend_name_, name_);
    } catch (...) {
        torn_down_ = false;  // still there: a later teardown may succeed
        throw;
    }
}

}  // namespace atomixtest::detail
