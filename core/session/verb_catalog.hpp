// Every verb a caller may name, resolved once to its owner: the engine's own
// (sleep, the assertions), the node actions every backend offers (node.kill),
// each fault plugin's (net.isolate), and each client plugin's primitives
// (map.get, with the params the engine adds to a client step). A step, a
// CLI command, a C++ call or an entropy function keeps the entry it resolved
// to; nobody splits a verb's name again to guess its owner.
//
// Names are one namespace: two plugins of one name, a fault plugin whose verbs
// would shadow the engine's (a plugin named `node`) or a client's (`map`),
// are refused with both files named, never "first wins".
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "atomixtest/verb.hpp"

namespace atomixtest {

class Workspace;

enum class VerbOwner { Engine, Node, Fault, Client };
const char* to_string(VerbOwner owner);

struct VerbEntry {
    std::string name;  // as written: net.delay, map.get, node.kill, sleep
    VerbOwner owner = VerbOwner::Engine;
    std::string plugin;       // the fault or client plugin; "" for engine and node verbs
    std::string plugin_verb;  // as the plugin knows it: "delay"
    std::filesystem::path file;
    VerbSpec spec;  // spec.name is the full name; a client verb has the engine's params
};

struct VerbCatalog {
    std::map<std::string, VerbEntry> verbs;  // engine, node and fault verbs
    std::map<std::string, std::map<std::string, VerbEntry>> clients;  // by client plugin
    std::vector<std::string> profiles;
    std::map<std::string, std::string> profile_clients;  // profile -> its client plugin
    std::set<std::string> profiles_with_leader;          // those that say how to find the leader
    std::vector<std::string> backends;

    // The entry a name resolves to, client verbs from `client` (a scenario's
    // system); nullptr when there is none.
    const VerbEntry* find(const std::string& name, const std::string& client) const;
    // Every name a step could use with that client (for "did you mean").
    std::vector<std::string> names(const std::string& client) const;
    // The clients that offer a verb (to say where a missing one lives).
    std::vector<std::string> clients_offering(const std::string& name) const;
};

// Loads every plugin on the path. Throws Error(Environment) naming both files
// of a duplicate plugin or verb.
VerbCatalog build_verb_catalog(Workspace& workspace);

// The verbs the engine declares, whatever the plugins: sleep and the
// assertions, and the node actions it runs through any backend.
std::vector<VerbSpec> engine_verbs();
std::vector<VerbSpec> node_verbs(const std::vector<std::string>& profiles);
// A plugin's verbs as callers name them: "net." + verb; a client's with the
// params the engine adds to every client step.
std::vector<VerbEntry> fault_entries(const std::string& plugin, const std::filesystem::path& file,
                                     const std::vector<VerbSpec>& verbs);
std::vector<VerbEntry> client_entries(const std::string& plugin, const std::filesystem::path& file,
                                      const std::vector<VerbSpec>& verbs);

// The params the engine owns on a client step, stripped before the plugin sees them.
extern const char* const kClientStepParams[4];

}  // namespace atomixtest
