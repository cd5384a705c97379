// A fault plugin injects one family of faults (network, stress) through the
// backend, so the same plugin works on every backend.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "atomixtest/cluster.hpp"
#include "atomixtest/verb.hpp"

namespace atomixtest {

struct FaultContext {
    Backend& backend;
    const ClusterInfo& cluster;
    std::mt19937_64& random;  // seeded by the caller so random choices replay
    // What the caller should tell its user (a plugin never prints): what was
    // drawn, a warning. Null when nobody listens.
    std::vector<std::string>* notes = nullptr;
};

// The verb of the same plugin, with its params, that removes a fault. It is data
// so that a runner can record it and undo the fault after a failure or Ctrl-C.
struct Undo {
    std::string verb;
    Params params;
};

class FaultPlugin {
  public:
    virtual ~FaultPlugin() = default;
    virtual std::vector<VerbSpec> verbs() const = 0;

    // Applies the verb with params already validated against its VerbSpec. A fault
    // on several nodes is applied to all of them or to none. Returns its undo.
    virtual std::optional<Undo> apply(const std::string& verb, const Params& params,
                                      FaultContext& context) = 0;

    // The faults of this plugin in force on the cluster, read from the nodes.
    virtual nlohmann::json in_force(FaultContext& context) = 0;

    // Removes every fault of this plugin from the cluster.
    virtual void clear(FaultContext& context) = 0;
};

}  // namespace atomixtest
