// Every verb a scenario may name, gathered from the core and the plugins:
// node.kill ... (the backend's node actions), sleep, <fault>.<verb> for each
// fault plugin, and the client plugins' primitives (map.get ...) with the
// parameters the engine adds to every client step (node, expect, fails, timeout).
#pragma once

#include "engine/workspace.hpp"
#include "scenario/scenario.hpp"

namespace atomixtest {

VerbCatalog build_verb_catalog(Workspace& workspace);

// Where the catalog's verbs come from, one source each, as `plugins` lists them.
// Names are full (node.kill, net.isolate, map.get).
std::vector<VerbSpec> node_verbs();    // what the engine does through any backend
std::vector<VerbSpec> engine_verbs();  // sleep and the assertions (linearizable ...)
std::vector<VerbSpec> fault_verbs(const std::string& plugin, const FaultPlugin& fault);
std::vector<VerbSpec> client_verbs(const ClientPlugin& client);  // with the engine's params

// The params the engine owns on a client step, stripped before the plugin sees them.
extern const char* const kClientStepParams[4];

}  // namespace atomixtest
