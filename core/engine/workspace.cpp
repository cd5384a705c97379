#include "engine/workspace.hpp"

#include <algorithm>

#include "atomixtest/error.hpp"
#include "gc/cluster_claims.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest {

// local first: it answers from files, without a daemon to ask.
std::vector<std::string> Workspace::backend_names() {
    auto names = plugins_.names(PluginKind::Backend);
    std::stable_partition(names.begin(), names.end(),
                          [](const std::string& name) { return name == "local"; });
    return names;
}

// Loaded: whoever asks is about to use them all.
std::vector<std::string> Workspace::fault_names() {
    std::vector<std::string> names;
    for (const auto& listing : plugins_.available()) {
        if (listing.kind == PluginKind::Fault) names.push_back(listing.name);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

LocatedCluster Workspace::locate(const std::string& cluster, const std::string& backend_name) {
    validate_cluster_name(cluster);
    std::vector<std::string> candidates =
        backend_name.empty() ? backend_names() : std::vector<std::string>{backend_name};
    std::string unreachable;
    for (const auto& name : candidates) {
        try {
            auto backend = plugins_.backend(name);
            auto clusters = backend->list();
            if (std::find(clusters.begin(), clusters.end(), cluster) != clusters.end()) {
                return {backend, backend->describe(cluster)};
            }
        } catch (const Error& error) {
            // A backend that cannot answer (no Docker engine) holds no cluster we
            // can act on; say so only if the cluster is found nowhere.
            unreachable += "; backend " + name + " did not answer: " + error.what();
        }
    }
    throw not_found("no cluster named " + cluster + unreachable);
}

ClusterInfo Workspace::setup_cluster(const std::string& backend_name, const ClusterSpec& spec,
                                     const Profile& profile, ClusterKeeper keeper) {
    validate_cluster_name(spec.name);
    // NaN passes every comparison a backend would make; refused here for all.
    if (!(spec.cpus >= 0 && spec.cpus <= 1024)) {
        throw bad_input("--cpu: cores per node, above 0 and at most 1024, got " +
                        std::to_string(spec.cpus));
    }
    if (spec.memory < 0) throw bad_input("--memory: a size above 0, e.g. 512m");
    auto backend = plugins_.backend(backend_name);
    claim_cluster(backend_name, spec.name);
    try {
        auto info = backend->setup(spec, profile);
        if (keeper == ClusterKeeper::User) hand_cluster_to_user(backend_name, spec.name);
        return info;
    } catch (...) {
        drop_claim(backend_name, spec.name);
        throw;
    }
}

void Workspace::teardown_cluster(const std::string& backend_name, const std::string& cluster) {
    take_claim(backend_name, cluster);
    plugins_.backend(backend_name)->teardown(cluster);
    drop_claim(backend_name, cluster);
}

std::shared_ptr<ClientPlugin> Workspace::client_for(const ClusterInfo& cluster) {
    return plugins_.client(load_profile(cluster.profile).client);
}

}  // namespace atomixtest
