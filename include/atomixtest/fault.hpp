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
    // What apply checked to know its fault took effect, one line each
    // ("probe 1->3 dropped, 1->2 answered"), said as `in force (verified:
    // ...)`. Faults that only look applied are what users of other tools
    // complain of: a plugin that can check its effect does, and one whose
    // check fails undoes the fault and throws Error(Unavailable) with the
    // reason. Empty: not checked.
    std::vector<std::string> effects = {};
    void verified(std::string effect) { effects.push_back(std::move(effect)); }
    // What the user should hear of that is not an effect (a plugin never
    // prints): "no file matches member/wal/* yet". Said as a warning; the
    // fault stands.
    std::vector<std::string> warnings = {};
    void warn(std::string warning) { warnings.push_back(std::move(warning)); }
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
