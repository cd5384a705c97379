// The one door to faults. Every caller (a scenario's step, the CLI, the C++
// API, the entropy nemesis) applies a fault through a FaultSession on its
// cluster: the verb's params are checked against its declaration (BadInput
// naming the param, before anything changes), completed (defaults, nodes
// resolved by the one rule of session/node_selection.hpp, drawn from the
// session's seed), applied by the verb's owner (a fault plugin, or the
// backend for node.kill and the other node actions), and its undo recorded as
// data. The session lists the faults in force and clears them.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "atomixtest/fault.hpp"
#include "session/node_selection.hpp"
#include "session/param_check.hpp"
#include "session/workspace.hpp"

namespace atomixtest {

struct AppliedFault {
    const VerbEntry* entry = nullptr;
    Params params;                      // as completed: defaults in, nodes as ids
    std::optional<Undo> undo;           // undo->verb is a full name: "net.unblock", "node.recover"
    bool drawn = false;                 // a node was drawn from the seed
    nlohmann::json result;              // what the verb made (node.add: the node)
    std::string verified;               // how its effect was checked (FaultContext::verified)
    std::vector<std::string> warnings;  // what the plugin warned of (FaultContext::warn)
    std::string describe() const;       // "net.isolate {"node":2}"
};

class FaultSession {
  public:
    FaultSession(Workspace& workspace, std::shared_ptr<Backend> backend, std::string cluster,
                 uint64_t seed);

    // A fault or node verb by name, or by the entry a caller resolved already.
    AppliedFault apply(const std::string& verb, const Params& params);
    AppliedFault apply(const VerbEntry& verb, const Params& params);
    // Applies the fault's undo, if it has one. A node that is gone, or was
    // brought back by hand, has nothing to undo.
    void undo(const AppliedFault& fault);
    void apply_undo(const Undo& undo);

    // Any verb's params checked against the cluster as it is and completed
    // (defaults in, nodes drawn from this session's seed): what a client
    // step or an engine verb runs with. BadInput naming the param.
    CompletedParams complete(const VerbSpec& verb, const Params& params);

    // Every fault plugin's faults in force on the cluster, each with "plugin".
    nlohmann::json in_force();
    // Clears every plugin this session used (or every fault plugin with
    // `every`); all are tried, and the failures are reported together.
    void clear(bool every = false);

    ClusterInfo cluster() const { return backend_->describe(cluster_); }
    const std::string& cluster_name() const { return cluster_; }
    Backend& backend() { return *backend_; }
    const std::shared_ptr<Backend>& backend_handle() const { return backend_; }
    Workspace& workspace() { return workspace_; }
    uint64_t seed() const { return seed_; }

  private:
    // Asks the system who leads it, only when a selector needs it.
    LeaderOracle leader_oracle(const ClusterInfo& info);
    std::optional<Undo> run(const VerbEntry& verb, const Params& params, AppliedFault& applied);
    std::optional<Undo> run_node_verb(const VerbEntry& verb, const Params& params,
                                      AppliedFault& applied);

    Workspace& workspace_;
    std::shared_ptr<Backend> backend_;
    std::string cluster_;
    uint64_t seed_;
    std::mt19937_64 random_;
    std::recursive_mutex mutex_;  // the generator and the plugins used
    std::set<std::string> plugins_used_;
};

}  // namespace atomixtest
