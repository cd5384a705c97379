#include "session/verb_documents.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

namespace atomixtest {

namespace {

// A step's params may be written as nothing at all (`net.halves:`).
nlohmann::json step_schema(const VerbSpec& verb) {
    auto schema = params_schema(verb);
    schema["type"] = {"object", "null"};
    schema["description"] = verb.description;
    return schema;
}

// Each client verb once: the same declaration in every client that has it,
// or left open where the clients differ.
std::map<std::string, nlohmann::json> client_step_schemas(const VerbCatalog& catalog) {
    std::map<std::string, nlohmann::json> schemas;
    std::set<std::string> differing;
    for (const auto& [client, verbs] : catalog.clients) {
        for (const auto& [name, entry] : verbs) {
            auto schema = step_schema(entry.spec);
            auto [at, added] = schemas.emplace(name, schema);
            if (!added && at->second != schema) differing.insert(name);
        }
    }
    for (const auto& name : differing) {
        std::string offering;
        for (const auto& client : catalog.clients_offering(name)) {
            offering += (offering.empty() ? "" : ", ") + client;
        }
        schemas[name] = {{"type", {"object", "null"}},
                         {"description", "the clients (" + offering +
                                             ") declare it with different params: see `atomix-test "
                                             "plugins`"}};
    }
    return schemas;
}

std::string param_cell(const Param& param) {
    std::string text = "`" + param.name + "`";
    if (!param.fallback.is_null()) {
        text += " (" +
                (param.fallback.is_string() ? param.fallback.get<std::string>()
                                            : param.fallback.dump()) +
                ")";
    } else if ((param.type == ParamType::Node || param.type == ParamType::Nodes) &&
               param.absent != AbsentNodes::Left && !param.required) {
        text += std::string(" (absent: ") + to_string(param.absent) + ")";
    }
    return text;
}

bool engine_owned(const Param& param) {
    return std::find(std::begin(kClientStepParams), std::end(kClientStepParams), param.name) !=
           std::end(kClientStepParams);
}

std::string row(const std::string& name, const VerbSpec& verb, const std::string& owner) {
    std::string params;
    for (const auto& param : verb.params) {
        // A client step's own params; the engine's are one row of their own.
        if (!owner.empty() && engine_owned(param)) continue;
        params += (params.empty() ? "" : ", ") + param_cell(param);
    }
    std::string what = verb.description + (verb.scoped ? "; takes `during:`" : "");
    if (!owner.empty()) what += " (" + owner + ")";
    return "| `" + name + "` | " + params + " | " + what + " |\n";
}

}  // namespace

nlohmann::json scenario_schema_with_verbs(nlohmann::json base, const VerbCatalog& catalog) {
    auto schema = structure_of(std::move(base));
    auto& step = schema["$defs"]["step"];
    nlohmann::json verbs = nlohmann::json::object();
    for (const auto& [name, entry] : catalog.verbs) verbs[name] = step_schema(entry.spec);
    for (auto& [name, client_schema] : client_step_schemas(catalog)) verbs[name] = client_schema;
    // node.add's profiles are the ones found where the scenario runs (a
    // user's own among them), not those of the machine that wrote the file.
    if (verbs.contains("node.add")) {
        auto& profile = verbs["node.add"]["properties"]["profile"];
        profile = {{"type", "string"},
                   {"description",
                    "a profile's name, as `atomix-test plugins` finds them "
                    "(absent: the cluster's)"}};
    }
    for (const auto& [name, verb] : verbs.items()) {
        step["properties"][name] = {{"$ref", "#/$defs/verbs/" + name}};
    }
    schema["$defs"]["verbs"] = verbs;
    return schema;
}

nlohmann::json structure_of(nlohmann::json schema) {
    if (!schema.contains("$defs")) return schema;
    auto& defs = schema["$defs"];
    defs.erase("verbs");
    if (defs.contains("step") && defs["step"].contains("properties")) {
        auto during = defs["step"]["properties"].value("during", nlohmann::json());
        defs["step"]["properties"] = nlohmann::json::object();
        if (!during.is_null()) defs["step"]["properties"]["during"] = during;
    }
    return schema;
}

std::string verbs_markdown(const VerbCatalog& catalog) {
    std::string table = "| step | params (default) | what it does |\n|---|---|---|\n";
    for (auto owner : {VerbOwner::Engine, VerbOwner::Node, VerbOwner::Fault}) {
        for (const auto& [name, entry] : catalog.verbs) {
            if (entry.owner == owner) table += row(name, entry.spec, "");
        }
    }
    std::map<std::string, std::pair<const VerbEntry*, std::string>> clients;
    for (const auto& [client, verbs] : catalog.clients) {
        for (const auto& [name, entry] : verbs) {
            auto& [first, offering] = clients[name];
            if (!first) first = &entry;
            offering += (offering.empty() ? "" : ", ") + client;
        }
    }
    if (!clients.empty()) {
        VerbSpec engine_params{"", "what every client step takes besides its own params", {}};
        for (const auto& param : clients.begin()->second.first->spec.params) {
            if (engine_owned(param)) engine_params.params.push_back(param);
        }
        table += row("(every client step)", engine_params, "");
    }
    for (const auto& [name, client] : clients) {
        table += row(name, client.first->spec, client.second);
    }
    return table;
}

}  // namespace atomixtest
