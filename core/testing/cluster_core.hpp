// What every handle of the test API (Cluster, Node, Network, primitives,
// fault guards) shares: the workspace with its plugins, the cluster's name and
// backend, and its FaultSession: every fault, node action and client call
// goes through the same door as the CLI's, a scenario's and entropy's.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "atomixtest/testing/fault_guard.hpp"
#include "atomixtest/testing/node_ref.hpp"
#include "session/fault_session.hpp"

namespace atomixtest::detail {

class ClusterCore : public std::enable_shared_from_this<ClusterCore> {
  public:
    ClusterCore(std::string backend, std::string name, uint64_t seed);

    const std::string& name() const { return name_; }
    const std::string& backend_name() const { return backend_name_; }
    uint64_t seed() const { return seed_; }
    Backend& backend() { return faults_.backend(); }
    Workspace& workspace() { return workspace_; }

    ClusterInfo describe();
    int resolve(const NodeRef& node);  // NotFound naming the nodes there are

    // Any fault or node verb by its full name (net.isolate, priority.lower,
    // node.kill), params as its declaration takes them. The guard runs its
    // undo, if it has one; apply() is for verbs that have none.
    FaultGuard fault(const std::string& verb, const Params& params);
    void apply(const std::string& verb, const Params& params);
    nlohmann::json faults_in_force();
    int add_node(const std::string& profile);  // node.add; the new node's id

    nlohmann::json invoke(int node, const std::string& verb, const Params& params,
                          std::chrono::milliseconds timeout);

    bool torn_down() const { return torn_down_; }
    bool kept() const { return kept_; }
    void keep();
    void teardown();

  private:
    std::string backend_name_;
    std::string name_;
    uint64_t seed_;
    Workspace workspace_;
    FaultSession faults_;
    std::atomic<bool> torn_down_ = false;
    std::atomic<bool> kept_ = false;
};

}  // namespace atomixtest::detail
