// What every command works with: the plugins on the plugin path, the profiles,
// and the clusters that the backends know of.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "atomixtest/client.hpp"
#include "atomixtest/fault.hpp"
#include "plugin_host/plugin_host.hpp"

namespace atomixtest {

// Whose a cluster is once set up: the user's (`cluster NAME setup`: kept until
// teardown), or this process's (a runner's: gc removes it once it has exited).
enum class ClusterKeeper { User, ThisProcess };

struct LocatedCluster {
    std::shared_ptr<Backend> backend;
    ClusterInfo info;
};

class Workspace {
  public:
    Workspace() = default;
    explicit Workspace(std::vector<std::filesystem::path> plugin_path)
        : plugins_(std::move(plugin_path)) {}

    PluginHost& plugins() { return plugins_; }
    std::shared_ptr<Backend> backend(const std::string& name) { return plugins_.backend(name); }
    std::shared_ptr<FaultPlugin> fault(const std::string& name) { return plugins_.fault(name); }

    std::vector<std::string> backend_names();
    std::vector<std::string> fault_names();

    // Finds the cluster on whichever backend holds it (or on the named one).
    LocatedCluster locate(const std::string& cluster, const std::string& backend = {});

    // Sets a cluster up on the named backend under a claim (gc/cluster_claims.hpp):
    // this process's while it runs, then the user's when `keeper` says so. A
    // setup that fails leaves neither cluster nor claim.
    ClusterInfo setup_cluster(const std::string& backend, const ClusterSpec& spec,
                              const Profile& profile, ClusterKeeper keeper);
    // Tears the cluster down and drops its claim.
    void teardown_cluster(const std::string& backend, const std::string& cluster);

    // The client plugin that speaks to the cluster's system (from its profile).
    std::shared_ptr<ClientPlugin> client_for(const ClusterInfo& cluster);

  private:
    PluginHost plugins_;
};

}  // namespace atomixtest
