#include "testing/cluster_core.hpp"

#include <iostream>

#include "atomixtest/error.hpp"
#include "session/client_call.hpp"
#include "session/cluster_claims.hpp"

namespace atomixtest::detail {

ClusterCore::ClusterCore(std::string backend, std::string name, uint64_t seed)
    : backend_name_(std::move(backend)),
      name_(std::move(name)),
      seed_(seed),
      faults_(workspace_, workspace_.backend(backend_name_), name_, seed) {}

ClusterInfo ClusterCore::describe() {
    if (torn_down_) throw not_found("the cluster " + name_ + " was torn down");
    return faults_.cluster();
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

FaultGuard ClusterCore::fault(const std::string& verb, const Params& params) {
    describe();
    auto applied = faults_.apply(verb, params);
    auto described = applied.describe();
    if (!applied.verified.empty()) described += " (verified: " + applied.verified + ")";
    if (!applied.undo) return FaultGuard(described, nullptr);
    return FaultGuard(described, [core = shared_from_this(), undo = *applied.undo] {
        // Teardown already removed every fault with the cluster.
        if (!core->torn_down()) core->faults_.apply_undo(undo);
    });
}

void ClusterCore::apply(const std::string& verb, const Params& params) {
    describe();
    faults_.apply(verb, params);
}

int ClusterCore::add_node(const std::string& profile) {
    describe();
    return faults_.apply("node.add", {{"profile", profile}}).result.at("id").get<int>();
}

nlohmann::json ClusterCore::faults_in_force() {
    describe();
    return faults_.in_force();
}

// As a scenario's client step: the node's LOCAL PORT and its profile's
// client; the plugin's typed errors come through as they are.
nlohmann::json ClusterCore::invoke(int node, const std::string& verb, const Params& params,
                                   std::chrono::milliseconds timeout) {
    auto target = client_target(workspace_, describe(), node, timeout);
    return target.client->invoke(verb, params, target.endpoint);
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
