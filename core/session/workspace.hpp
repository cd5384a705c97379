// What every command works with: the plugins on the plugin path, the verbs
// they offer (each resolved once to its owner), the profiles, and the
// clusters that the backends know of. The session layer's root: the engine,
// entropy, gc, the C++ API and the CLI all start from a Workspace.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "atomixtest/backend.hpp"
#include "atomixtest/client.hpp"
#include "atomixtest/fault.hpp"
#include "atomixtest/profile.hpp"
#include "plugin_host/plugin_host.hpp"
#include "session/verb_catalog.hpp"

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

    // Every verb of every plugin (each plugin loaded), built once. Throws
    // Error(Environment) for duplicate plugins or verbs, naming both files.
    const VerbCatalog& catalog();
    // The one entry a name resolves to, loading only the plugin that owns it
    // (a fault plugin by its name's first part; a client verb from `client`).
    // NotFound with the close matches when there is none.
    const VerbEntry& verb(const std::string& name, const std::string& client = "");

    // A profile by name, read once (load_profile).
    const Profile& profile(const std::string& name);

    // Finds the cluster on whichever backend holds it (or on the named one).
    LocatedCluster locate(const std::string& cluster, const std::string& backend = {});

    // Sets a cluster up on the named backend under a claim (session/cluster_claims.hpp):
    // this process's while it runs, then the user's when `keeper` says so. A
    // setup that fails leaves neither cluster nor claim.
    ClusterInfo setup_cluster(const std::string& backend, const ClusterSpec& spec,
                              const Profile& profile, ClusterKeeper keeper);
    // Tears the cluster down and drops its claim.
    void teardown_cluster(const std::string& backend, const std::string& cluster);

  private:
    const VerbEntry* fault_verb(const std::string& name);

    PluginHost plugins_;
    std::recursive_mutex mutex_;  // the caches below, shared by a test's threads
    std::optional<VerbCatalog> catalog_;
    std::map<std::string, std::vector<VerbEntry>> plugin_verbs_;  // by plugin, loaded alone
    std::map<std::string, std::vector<VerbEntry>> engine_verbs_;  // "engine" and "node"
    std::map<std::string, Profile> profiles_;
};

}  // namespace atomixtest
