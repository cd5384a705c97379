#include "session/workspace.hpp"

#include <algorithm>

#include "atomixtest/error.hpp"
#include "profile/profile_loader.hpp"
#include "session/cluster_claims.hpp"
#include "util/close_matches.hpp"

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

const VerbCatalog& Workspace::catalog() {
    std::lock_guard lock(mutex_);
    if (!catalog_) catalog_ = build_verb_catalog(*this);
    return *catalog_;
}

// A fault plugin's verb, with only that plugin loaded.
const VerbEntry* Workspace::fault_verb(const std::string& name) {
    auto family = name.substr(0, name.find('.'));
    auto faults = plugins_.names(PluginKind::Fault);
    if (std::find(faults.begin(), faults.end(), family) == faults.end()) return nullptr;
    auto& entries = plugin_verbs_[family];
    if (entries.empty()) {
        std::filesystem::path file;
        for (const auto& dir : plugins_.search_path()) {
            auto candidate = dir / ("atomixtest-fault-" + family + ".so");
            if (std::filesystem::exists(candidate)) file = candidate;
        }
        entries = fault_entries(family, file, fault(family)->verbs());
    }
    for (const auto& entry : entries) {
        if (entry.name == name) return &entry;
    }
    return nullptr;
}

const VerbEntry& Workspace::verb(const std::string& name, const std::string& client) {
    std::lock_guard lock(mutex_);
    if (!catalog_) {
        if (engine_verbs_.empty()) {
            for (auto& spec : engine_verbs()) {
                engine_verbs_["engine"].push_back(
                    {spec.name, VerbOwner::Engine, "", spec.name, {}, spec});
            }
            for (auto& spec : node_verbs(available_profiles())) {
                engine_verbs_["node"].push_back(
                    {spec.name, VerbOwner::Node, "", spec.name, {}, spec});
            }
        }
        for (const auto& [owner, entries] : engine_verbs_) {
            for (const auto& entry : entries) {
                if (entry.name == name) return entry;
            }
        }
        if (const auto* entry = fault_verb(name)) return *entry;
    }
    const auto& all = catalog();
    if (const auto* entry = all.find(name, client)) return *entry;
    auto elsewhere = all.clients_offering(name);
    if (!elsewhere.empty()) {
        throw not_found("the " + client + " client has no verb " + name + " (the " +
                        elsewhere.front() + " client has)");
    }
    std::string hint;
    for (const auto& match : close_matches(name, all.names(client))) {
        hint += (hint.empty() ? "" : ", ") + match;
    }
    throw not_found("unknown verb '" + name + "'" +
                    (hint.empty() ? "" : "; did you mean: " + hint + "?"));
}

const Profile& Workspace::profile(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto cached = profiles_.find(name);
    if (cached == profiles_.end()) cached = profiles_.emplace(name, load_profile(name)).first;
    return cached->second;
}

LocatedCluster Workspace::locate(const std::string& cluster, const std::string& backend_name) {
    validate_cluster_name(cluster);
    std::vector<std::string> candidates =
        backend_name.empty() ? backend_names() : std::vector<std::string>{backend_name};
    // The backend this state root set the cluster up on is asked first: the
    // others (a remote Kubernetes) need not be asked at all.
    std::stable_partition(candidates.begin(), candidates.end(), [&](const std::string& name) {
        return read_claim(name, cluster).has_value();
    });
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

}  // namespace atomixtest
