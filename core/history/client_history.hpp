// How a client step becomes history operations, in one place: the verb's model
// (map.* is kv, value.* cas-register, counter.* counter, set.* set), the
// model's operation name, the key and the values of the invocation and of
// the completion. A cas that returned false did not take effect: it is a
// `fail`, as in Jepsen.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "atomixtest/check.hpp"
#include "atomixtest/verb.hpp"

namespace atomixtest {

struct ClientOperation {
    std::optional<Model> model;  // none for verbs outside the models (map.keys, lock.*)
    std::string f;
    std::optional<std::string> key;
    nlohmann::json value;  // the invocation's argument
};

ClientOperation client_operation(const std::string& verb, const Params& params);

struct ClientCompletion {
    EventType type = EventType::Ok;
    nlohmann::json value;
};

// The completion of an operation that returned `result`.
ClientCompletion client_completion(const ClientOperation& op, const nlohmann::json& result);

}  // namespace atomixtest
