#include "engine/step_catalog.hpp"

#include "atomixtest/duration.hpp"
#include "profile/profile_loader.hpp"

namespace atomixtest {

const char* const kClientStepParams[4] = {"node", "expect", "fails", "timeout"};

namespace {

nlohmann::json node_schema() {
    return {{"type", "integer"}, {"minimum", 1}, {"description", "node id"}};
}

nlohmann::json duration_schema(const std::string& description) {
    return {{"type", "string"}, {"pattern", kDurationPattern}, {"description", description}};
}

// The client's own params plus the engine's, closed to anything else.
nlohmann::json client_step_schema(nlohmann::json params) {
    auto& properties = params["properties"];
    properties["node"] = node_schema();
    properties["expect"] = {{"description", "the result the operation must return"}};
    properties["fails"] = {
        {"type", "boolean"},
        {"description", "the operation must fail or time out (e.g. on a minority)"}};
    properties["timeout"] = duration_schema("how long to wait for the answer (default 5s)");
    params["additionalProperties"] = false;
    return params;
}

}  // namespace

std::vector<VerbSpec> node_verbs() {
    std::vector<VerbSpec> verbs;
    for (const char* action : {"kill", "stop", "start", "recover", "restart"}) {
        verbs.push_back(
            {std::string("node.") + action,
             std::string(action) + " a node (as the backend does it: docker " + action + ")",
             {{"type", "object"},
              {"properties", {{"node", node_schema()}}},
              {"required", {"node"}},
              {"additionalProperties", false}},
             false});
    }
    verbs.push_back(
        {"node.add",
         "add a node of a profile (e.g. an Atomix client) once it is ready; it takes the next id",
         {{"type", "object"},
          {"properties",
           {{"profile",
             {{"type", "string"},
              {"description", "its profile's name (default: the cluster's)"}}}}},
          {"additionalProperties", false}},
         false});
    verbs.push_back({"node.remove",
                     "remove a node from the cluster (it leaves it first)",
                     {{"type", "object"},
                      {"properties", {{"node", node_schema()}}},
                      {"required", {"node"}},
                      {"additionalProperties", false}},
                     false});
    return verbs;
}

std::vector<VerbSpec> engine_verbs() {
    std::vector<VerbSpec> verbs;
    verbs.push_back(
        {"linearizable",
         "check the scenario's operations of a model so far for linearizability (as atomix-test "
         "check); fails with the smallest window of operations that cannot be linearized",
         {{"type", "object"},
          {"properties",
           {{"model",
             {{"enum", {"register", "cas-register", "kv", "counter", "set"}},
              {"description", "kv: map.*, cas-register: value.*, counter: counter.*, set: set.*"}}},
            {"initial", {{"description", "every key's initial value (default null: unset)"}}},
            {"timeout", duration_schema("give up (the assertion fails) after this long (60s)")},
            {"expect",
             {{"type", "boolean"},
              {"description",
               "false: the history must NOT be linearizable (a regression scenario proving that a "
               "known anomaly is caught); default true"}}}}},
          {"required", {"model"}},
          {"additionalProperties", false}},
         false});
    verbs.push_back(
        {"availability",
         "the share of the entropy run's operations answered while faults were in force is at "
         "least min",
         {{"type", "object"},
          {"properties",
           {{"min", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
            {"outside_faults",
             {{"type", "number"},
              {"minimum", 0},
              {"maximum", 1},
              {"description", "the same for operations outside faults"}}}}},
          {"required", {"min"}},
          {"additionalProperties", false}},
         false});
    verbs.push_back({"sleep",
                     "wait for a duration",
                     {{"type", "object"},
                      {"properties", {{"duration", duration_schema("how long")}}},
                      {"required", {"duration"}},
                      {"additionalProperties", false}},
                     false});
    return verbs;
}

std::vector<VerbSpec> fault_verbs(const std::string& plugin, const FaultPlugin& fault) {
    auto verbs = fault.verbs();
    for (auto& spec : verbs) spec.name = plugin + "." + spec.name;
    return verbs;
}

std::vector<VerbSpec> client_verbs(const ClientPlugin& client) {
    auto verbs = client.verbs();
    for (auto& spec : verbs) spec.params = client_step_schema(spec.params);
    return verbs;
}

VerbCatalog build_verb_catalog(Workspace& workspace) {
    VerbCatalog catalog;
    for (auto& spec : node_verbs()) catalog.verbs[spec.name] = spec;
    for (auto& spec : engine_verbs()) catalog.verbs[spec.name] = spec;
    for (const auto& listing : workspace.plugins().available()) {
        if (listing.kind == PluginKind::Fault) {
            for (auto spec : fault_verbs(listing.name, *workspace.fault(listing.name))) {
                catalog.verbs[spec.name] = spec;
                // `stress:` with `during:` reads as the fault itself.
                if (spec.name == listing.name + ".start") {
                    spec.name = listing.name;
                    catalog.verbs[spec.name] = spec;
                }
            }
        } else if (listing.kind == PluginKind::Client) {
            for (auto& spec : client_verbs(*workspace.plugins().client(listing.name))) {
                catalog.verbs.emplace(spec.name, spec);
            }
        } else if (listing.kind == PluginKind::Backend) {
            catalog.backends.push_back(listing.name);
        }
    }
    catalog.profiles = available_profiles();
    // A step names one of the profiles found, never a file: profiles start
    // programs as root, and a scenario is anyone's data.
    auto& added_profile = catalog.verbs.at("node.add").params["properties"]["profile"];
    added_profile["enum"] = catalog.profiles;
    return catalog;
}

}  // namespace atomixtest
