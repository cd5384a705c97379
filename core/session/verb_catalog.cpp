#include "session/verb_catalog.hpp"

#include <algorithm>
#include <set>

#include "atomixtest/error.hpp"
#include "profile/profile_loader.hpp"
#include "session/workspace.hpp"

namespace atomixtest {

const char* const kClientStepParams[4] = {"node", "expect", "fails", "timeout"};

namespace {

std::string family_of(const std::string& name) {
    return name.substr(0, name.find('.'));
}

Param node_param(const std::string& help) {
    return {.name = "node", .type = ParamType::Node, .help = help, .required = true};
}

// The params the engine adds to a client step, after the client's own.
VerbSpec with_client_step_params(VerbSpec spec) {
    spec.params.push_back({.name = "node",
                           .type = ParamType::Node,
                           .help = "the node whose LOCAL PORT the operation goes through",
                           .fallback = 1});
    spec.params.push_back({.name = "expect",
                           .type = ParamType::Json,
                           .help = "the result the operation must return"});
    spec.params.push_back({.name = "fails",
                           .type = ParamType::Boolean,
                           .help = "the operation must fail or time out (e.g. on a minority)"});
    spec.params.push_back({.name = "timeout",
                           .type = ParamType::Duration,
                           .help = "how long to wait for the answer",
                           .fallback = "5s"});
    return spec;
}

void refuse_duplicate(const std::string& what, const std::filesystem::path& first,
                      const std::filesystem::path& second) {
    throw environment_error(what + " is declared twice: by " + first.string() + " and by " +
                            second.string() + "; remove one of them from the plugin path");
}

void add_entry(std::map<std::string, VerbEntry>& into, VerbEntry entry) {
    auto [at, added] = into.emplace(entry.name, entry);
    if (!added) {
        refuse_duplicate("the verb " + entry.name,
                         at->second.file.empty() ? "the engine" : at->second.file, entry.file);
    }
}

}  // namespace

const char* to_string(VerbOwner owner) {
    switch (owner) {
        case VerbOwner::Engine:
            return "engine";
        case VerbOwner::Node:
            return "node";
        case VerbOwner::Fault:
            return "fault";
        case VerbOwner::Client:
            return "client";
    }
    return "?";
}

std::vector<VerbSpec> engine_verbs() {
    return {
        {"linearizable",
         "check the scenario's operations of a model so far for linearizability (as atomix-test "
         "check); fails with the smallest window of operations that cannot be linearized",
         {{.name = "model",
           .type = ParamType::Choice,
           .help = "kv: map.*, cas-register: value.*, counter: counter.*, set: set.*",
           .required = true,
           .choices = {"register", "cas-register", "kv", "counter", "set"}},
          {.name = "initial",
           .type = ParamType::Json,
           .help = "every key's initial value (default null: unset)"},
          {.name = "timeout",
           .type = ParamType::Duration,
           .help = "give up (the assertion fails) after this long",
           .fallback = "60s"},
          {.name = "expect",
           .type = ParamType::Boolean,
           .help = "false: the history must NOT be linearizable (a regression scenario proving "
                   "that a known anomaly is caught)",
           .fallback = true}}},
        {"availability",
         "the share of the entropy run's operations answered while faults were in force is at "
         "least min",
         {{.name = "min",
           .type = ParamType::Number,
           .help = "the least share answered during faults",
           .required = true,
           .minimum = 0,
           .maximum = 1},
          {.name = "outside_faults",
           .type = ParamType::Number,
           .help = "the same for operations outside faults",
           .minimum = 0,
           .maximum = 1}}},
        {"sleep",
         "wait for a duration",
         {{.name = "duration", .type = ParamType::Duration, .help = "how long", .required = true}}},
    };
}

std::vector<VerbSpec> node_verbs(const std::vector<std::string>& profiles) {
    std::vector<VerbSpec> verbs;
    // kill and stop are faults: scoped, undone by recover and start.
    struct NodeAction {
        const char* action;
        const char* description;
        bool fault;
    };
    const NodeAction actions[] = {
        {"kill", "SIGKILL the node's processes: it is dead until recovered (undo: recover)", true},
        {"stop",
         "stop the node gracefully (SIGTERM, then SIGKILL after its profile's grace; "
         "undo: start)",
         true},
        {"pause",
         "freeze every process of the node at once: it keeps its memory and connections and "
         "answers nothing, as in a long GC pause (cgroup freezer, else SIGSTOP; docker pause); "
         "checked frozen before it counts (undo: resume)",
         true},
        {"start", "start a stopped node", false},
        {"recover", "start a dead node again", false},
        {"restart", "stop the node, then start it", false},
        {"resume", "thaw a paused node", false},
    };
    for (const auto& [action, description, fault] : actions) {
        verbs.push_back({std::string("node.") + action,
                         description,
                         {{.name = "node",
                           .type = ParamType::Nodes,
                           .help = "the nodes (an id, a list, or a selector)",
                           .required = true}},
                         fault});
    }
    // A crash that a power loss would be: the node's disk (a lazy disk, see
    // the disk plugin) loses what it never synced once the node is dead.
    verbs.front().params.push_back(
        {.name = "lose_unfsynced",
         .type = ParamType::Boolean,
         .help = "true: also lose what the node wrote and never fsynced, as a power loss "
                 "would (its data dir must be a lazy disk: --disk lazy)"});
    verbs.push_back({"node.add",
                     "add a node of a profile (e.g. an Atomix client) once it is ready; it takes "
                     "the next id",
                     {{.name = "profile",
                       .type = ParamType::Choice,
                       .help = "its profile's name (absent: the cluster's)",
                       .choices = profiles}},
                     false});
    verbs.push_back({"node.remove",
                     "remove a node from the cluster (it leaves it first)",
                     {node_param("the node")},
                     false});
    return verbs;
}

std::vector<VerbEntry> fault_entries(const std::string& plugin, const std::filesystem::path& file,
                                     const std::vector<VerbSpec>& verbs) {
    std::vector<VerbEntry> entries;
    for (const auto& spec : verbs) {
        VerbEntry entry{plugin + "." + spec.name, VerbOwner::Fault, plugin, spec.name, file, spec};
        entry.spec.name = entry.name;
        entries.push_back(entry);
        // A plugin's bare name is its start: `stress:` with `during:` reads
        // as the fault itself.
        if (spec.name == "start") {
            entry.name = entry.spec.name = plugin;
            entries.push_back(std::move(entry));
        }
    }
    return entries;
}

std::vector<VerbEntry> client_entries(const std::string& plugin, const std::filesystem::path& file,
                                      const std::vector<VerbSpec>& verbs) {
    std::vector<VerbEntry> entries;
    for (const auto& spec : verbs) {
        entries.push_back(
            {spec.name, VerbOwner::Client, plugin, spec.name, file, with_client_step_params(spec)});
    }
    return entries;
}

VerbCatalog build_verb_catalog(Workspace& workspace) {
    VerbCatalog catalog;
    catalog.profiles = available_profiles();
    for (const auto& profile : catalog.profiles) {
        try {
            const auto& loaded = workspace.profile(profile);
            catalog.profile_clients[profile] = loaded.client;
            if (!loaded.leader.self.empty()) catalog.profiles_with_leader.insert(profile);
        } catch (const Error&) {
            // A profile that does not read is refused where it is used.
        }
    }
    for (auto& spec : engine_verbs())
        add_entry(catalog.verbs, {spec.name, VerbOwner::Engine, "", spec.name, {}, spec});
    for (auto& spec : node_verbs(catalog.profiles)) {
        add_entry(catalog.verbs, {spec.name, VerbOwner::Node, "", spec.name, {}, spec});
    }
    auto scan = workspace.plugins().scan();
    if (!scan.duplicates.empty()) {
        const auto& [first, second] = scan.duplicates.front();
        refuse_duplicate("the plugin " + first.stem().string(), first, second);
    }
    std::set<std::string> engine_families = {"node"};
    for (const auto& spec : engine_verbs()) engine_families.insert(spec.name);
    std::map<std::string, std::filesystem::path> client_families;
    for (const auto& listing : scan.loaded) {
        if (listing.kind == PluginKind::Backend) {
            catalog.backends.push_back(listing.name);
        } else if (listing.kind == PluginKind::Client) {
            auto& verbs = catalog.clients[listing.name];
            for (auto& entry : client_entries(listing.name, listing.file,
                                              workspace.plugins().client(listing.name)->verbs())) {
                client_families.emplace(family_of(entry.name), listing.file);
                add_entry(verbs, std::move(entry));
            }
        }
    }
    for (const auto& listing : scan.loaded) {
        if (listing.kind != PluginKind::Fault) continue;
        if (engine_families.count(listing.name)) {
            throw environment_error("the fault plugin " + listing.file.string() + " is named '" +
                                    listing.name + "', whose verbs are the engine's (" +
                                    listing.name + ".*); rename it");
        }
        if (auto clash = client_families.find(listing.name); clash != client_families.end()) {
            refuse_duplicate("the verb family " + listing.name + ".*", clash->second, listing.file);
        }
        for (auto& entry :
             fault_entries(listing.name, listing.file, workspace.fault(listing.name)->verbs())) {
            add_entry(catalog.verbs, std::move(entry));
        }
    }
    return catalog;
}

const VerbEntry* VerbCatalog::find(const std::string& name, const std::string& client) const {
    if (auto it = verbs.find(name); it != verbs.end()) return &it->second;
    auto offered = clients.find(client);
    if (offered == clients.end()) return nullptr;
    auto it = offered->second.find(name);
    return it == offered->second.end() ? nullptr : &it->second;
}

std::vector<std::string> VerbCatalog::names(const std::string& client) const {
    std::vector<std::string> all;
    for (const auto& [name, entry] : verbs) all.push_back(name);
    if (auto offered = clients.find(client); offered != clients.end()) {
        for (const auto& [name, entry] : offered->second) all.push_back(name);
    }
    return all;
}

std::vector<std::string> VerbCatalog::clients_offering(const std::string& name) const {
    std::vector<std::string> offering;
    for (const auto& [client, offered] : clients) {
        if (offered.count(name)) offering.push_back(client);
    }
    return offering;
}

}  // namespace atomixtest
