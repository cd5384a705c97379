// What every handle of the test API (Cluster, Node, Network, primitives,
// fault guards) shares: the workspace with its plugins, the cluster's name and
// backend, and the seeded generator of random choices. Every operation goes
// through the same plugins and core paths as the CLI and scenarios.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "atomixtest/testing/fault_guard.hpp"
#include "atomixtest/testing/node_ref.hpp"
#include "engine/workspace.hpp"

namespace atomixtest::detail {

class ClusterCore : public std::enable_shared_from_this<ClusterCore> {
  public:
    ClusterCore(std::string backend, std::string name, uint64_t seed);

    const std::string& name() const { return name_; }
    const std::string& backend_name() const { return backend_name_; }
    uint64_t seed() const { return seed_; }
    Backend& backend() { return *backend_; }
    Workspace& workspace() { return workspace_; }

    ClusterInfo describe();
    int resolve(const NodeRef& node);  // NotFound naming the nodes there are

    // A verb of a fault plugin (net, stress), params as its VerbSpec declares
    // them. apply_fault's guard runs the plugin's undo, if it has one.
    FaultGuard apply_fault(const std::string& plugin, const std::string& verb,
                           const Params& params);
    void apply(const std::string& plugin, const std::string& verb, const Params& params);
    nlohmann::json faults_in_force();

    // A node action as a fault: kill (undone by recover) or stop (by start).
    FaultGuard node_fault(int node, NodeAction action);

    nlohmann::json invoke(int node, const std::string& verb, const Params& params,
                          std::chrono::milliseconds timeout);

    bool torn_down() const { return torn_down_; }
    bool kept() const { return kept_; }
    void keep();
    void teardown();

  private:
    std::optional<Undo> run_fault(const std::string& plugin, const std::string& verb,
                                  const Params& params);
    std::shared_ptr<ClientPlugin> client_for(const std::string& profile,
                                             std::map<std::string, std::string>& options);

    std::string backend_name_;
    std::string name_;
    uint64_t seed_;
    std::mutex mutex_;  // the plugin host, the generator and the profile cache
    Workspace workspace_;
    std::shared_ptr<Backend> backend_;
    std::mt19937_64 random_;
    std::map<std::string, Profile> profiles_;
    std::atomic<bool> torn_down_ = false;
    std::atomic<bool> kept_ = false;
};

}  // namespace atomixtest::detail
