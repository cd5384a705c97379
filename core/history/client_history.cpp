#include "history/client_history.hpp"

#include <map>

namespace atomixtest {

namespace {

struct Mapping {
    Model model;
    const char* f;
    const char* container;  // the param naming the primitive
    enum { None, Value, Pair, One, Element } argument;
};

const std::map<std::string, Mapping>& mappings() {
    static const std::map<std::string, Mapping> table = {
        {"map.get", {Model::Kv, "get", "map", Mapping::None}},
        {"map.put", {Model::Kv, "put", "map", Mapping::Value}},
        {"map.remove", {Model::Kv, "remove", "map", Mapping::None}},
        {"map.cas", {Model::Kv, "cas", "map", Mapping::Pair}},
        {"value.get", {Model::CasRegister, "read", "register", Mapping::None}},
        {"value.set", {Model::CasRegister, "write", "register", Mapping::Value}},
        {"value.cas", {Model::CasRegister, "cas", "register", Mapping::Pair}},
        {"counter.get", {Model::Counter, "read", "counter", Mapping::None}},
        {"counter.set", {Model::Counter, "write", "counter", Mapping::Value}},
        {"counter.inc", {Model::Counter, "add", "counter", Mapping::One}},
        {"set.add", {Model::Set, "add", "set", Mapping::Element}},
        {"set.get", {Model::Set, "read", "set", Mapping::None}},
    };
    return table;
}

}  // namespace

ClientOperation client_operation(const std::string& verb, const Params& params) {
    auto found = mappings().find(verb);
    if (found == mappings().end()) {
        // Recorded as they are, for people; no model checks them.
        return {std::nullopt, verb, std::nullopt, params};
    }
    const auto& mapping = found->second;
    ClientOperation op{mapping.model, mapping.f, std::nullopt, nullptr};
    auto name = params.value(mapping.container, std::string());
    // A map's key is the pair (map, key), as the system stores it.
    op.key = mapping.model == Model::Kv ? name + "/" + params.value("key", std::string()) : name;
    switch (mapping.argument) {
        case Mapping::Value:
            op.value = params.value("value", nlohmann::json());
            break;
        case Mapping::Pair:
            op.value = nlohmann::json::array(
                {params.value("old", nlohmann::json()), params.value("value", nlohmann::json())});
            break;
        case Mapping::One:
            op.value = 1;
            break;
        case Mapping::Element:
            op.value = params.value("element", nlohmann::json());
            break;
        case Mapping::None:
            break;
    }
    return op;
}

ClientCompletion client_completion(const ClientOperation& op, const nlohmann::json& result) {
    if (!op.model) return {EventType::Ok, result};
    if (op.f == "cas") return {result == true ? EventType::Ok : EventType::Fail, op.value};
    if (op.f == "get" || op.f == "read") return {EventType::Ok, result};
    return {EventType::Ok, op.value};
}

}  // namespace atomixtest
