// What `atomix-test plugins` shows: every plugin on the plugin path with the
// verbs a scenario may name through it and their parameter schemas, taken from
// the same sources as the scenario validator's catalog (session/verb_catalog),
// and the files that look like plugins but do not load, with the reason.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "atomixtest/verb.hpp"
#include "session/workspace.hpp"

namespace atomixtest {

struct DescribedPlugin {
    PluginListing listing;
    std::vector<VerbSpec> verbs;  // full names: net.isolate, map.get, node.kill
};

struct PluginCatalog {
    std::vector<DescribedPlugin> plugins;
    std::vector<VerbSpec> engine;  // sleep and the assertions, whatever the plugins
    std::vector<PluginLoadFailure> failed;
};

// Never throws for one bad plugin: a plugin that loads but cannot be created or
// asked for its verbs is a failure of its own, as one that does not load.
PluginCatalog describe_plugins(Workspace& workspace);

nlohmann::json to_json(const VerbSpec& verb);
nlohmann::json to_json(const PluginCatalog& catalog);

}  // namespace atomixtest
