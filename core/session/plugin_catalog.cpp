#include "session/plugin_catalog.hpp"

#include "atomixtest/error.hpp"
#include "profile/profile_loader.hpp"
#include "session/verb_catalog.hpp"

namespace atomixtest {

namespace {

std::vector<VerbSpec> specs_of(const std::vector<VerbEntry>& entries) {
    std::vector<VerbSpec> specs;
    for (const auto& entry : entries) specs.push_back(entry.spec);
    return specs;
}

std::vector<VerbSpec> verbs_of(Workspace& workspace, const PluginListing& listing) {
    switch (listing.kind) {
        case PluginKind::Fault:
            return specs_of(
                fault_entries(listing.name, listing.file, workspace.fault(listing.name)->verbs()));
        case PluginKind::Client:
            return specs_of(client_entries(listing.name, listing.file,
                                           workspace.plugins().client(listing.name)->verbs()));
        case PluginKind::Backend:
            // Created too, so a backend that cannot be is reported here, not
            // at a scenario's first step.
            workspace.backend(listing.name);
            return node_verbs(available_profiles());
    }
    return {};
}

}  // namespace

PluginCatalog describe_plugins(Workspace& workspace) {
    PluginCatalog catalog;
    auto scan = workspace.plugins().scan();
    catalog.failed = scan.failed;
    for (const auto& listing : scan.loaded) {
        try {
            catalog.plugins.push_back({listing, verbs_of(workspace, listing)});
        } catch (const std::exception& error) {
            catalog.failed.push_back({listing.file, error.what()});
        }
    }
    catalog.engine = engine_verbs();
    return catalog;
}

nlohmann::json to_json(const VerbSpec& verb) {
    return {{"name", verb.name},
            {"description", verb.description},
            {"scoped", verb.scoped},
            {"params", params_schema(verb)}};
}

nlohmann::json to_json(const PluginCatalog& catalog) {
    auto verbs_json = [](const std::vector<VerbSpec>& verbs) {
        auto list = nlohmann::json::array();
        for (const auto& verb : verbs) list.push_back(to_json(verb));
        return list;
    };
    auto plugins = nlohmann::json::array();
    for (const auto& plugin : catalog.plugins) {
        plugins.push_back({{"kind", to_string(plugin.listing.kind)},
                           {"name", plugin.listing.name},
                           {"description", plugin.listing.description},
                           {"file", plugin.listing.file.string()},
                           {"verbs", verbs_json(plugin.verbs)}});
    }
    auto failed = nlohmann::json::array();
    for (const auto& failure : catalog.failed) {
        failed.push_back({{"file", failure.file.string()}, {"reason", failure.reason}});
    }
    return {{"plugins", plugins}, {"engine", verbs_json(catalog.engine)}, {"failed", failed}};
}

}  // namespace atomixtest
