// Applies the faults of an entropy schedule to a cluster and undoes them,
// through the cluster's FaultSession: the same door as the CLI's, a
// scenario's and the C++ API's, for the built-in functions (crash is
// node.kill, partition --isolate is net.isolate...) and for `fault
// PLUGIN.VERB` alike.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <string>

#include "entropy/entropy_schedule.hpp"
#include "session/fault_session.hpp"

namespace atomixtest {

// A fault in force: what it was, and how to remove it.
struct ActiveFault {
    std::string name;     // "crash", "partition-isolate", "stress-cpu", "priority.lower" ...
    nlohmann::json what;  // its nodes and parameters, as the history records them
    std::function<void()> undo;
    std::string verified;  // what its plugin saw of its effect, if it checked
};

class Nemesis {
  public:
    Nemesis(Workspace& workspace, std::shared_ptr<Backend> backend, std::string cluster,
            uint64_t seed);

    // Throws Error as the plugin or backend did; nothing stays in force then.
    ActiveFault apply(const PlannedFault& planned, const EntropyFunction& function);

    // Removes every fault a plugin used by this run may have left, recovers
    // every node and removes the nodes it added: the cluster as it started.
    void heal_everything(std::ostream& log);

    static std::string name_of(const EntropyFunction& function);
    // The nodes drawn for a planned fault and its function, as the history
    // records them (before it is applied, and when it names no other nodes).
    static nlohmann::json planned_what(const PlannedFault& planned,
                                       const EntropyFunction& function);

  private:
    ActiveFault through_door(const std::string& name, const std::string& verb,
                             const Params& params);
    ActiveFault restart_every_node(bool lose_unfsynced);
    ActiveFault crash_ahead_of_a_lagging_minority(const PlannedFault& planned,
                                                  const EntropyFunction& function);
    ActiveFault add_a_server();

    FaultSession faults_;
    std::set<int> added_nodes_;
    std::mutex mutex_;
};

}  // namespace atomixtest
