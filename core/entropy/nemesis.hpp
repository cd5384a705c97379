// Applies the faults of an entropy schedule to a cluster and undoes them,
// through the same fault plugins and backend calls as the CLI and scenarios.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <random>
#include <set>

#include "engine/workspace.hpp"
#include "entropy/entropy_schedule.hpp"

namespace atomixtest {

// A fault in force: what it was, and how to remove it.
struct ActiveFault {
    std::string name;     // "crash", "partition-isolate", "stress-cpu", ...
    nlohmann::json what;  // its nodes and parameters, as the history records them
    std::function<void()> undo;
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

    static std::string name_of(EntropyAction action);
    // The nodes drawn for a planned fault and its function, as the history
    // records them (before it is applied, and when it names no other nodes).
    static nlohmann::json planned_what(const PlannedFault& planned,
                                       const EntropyFunction& function);

  private:
    ActiveFault plugin_fault(const std::string& name, const std::string& plugin,
                             const std::string& verb, const Params& params);
    ActiveFault restart_every_node();
    ActiveFault add_a_server();

    Workspace& workspace_;
    std::shared_ptr<Backend> backend_;
    std::string cluster_;
    std::mt19937_64 random_;  // for a plugin's own draws; the schedule has drawn the nodes
    std::set<std::string> plugins_used_;
    std::set<int> added_nodes_;
    std::mutex mutex_;
};

}  // namespace atomixtest
