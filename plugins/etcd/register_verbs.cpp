// value.* and counter.* on etcd, so that a scenario written for Atomix's atomic
// value and counter runs here too: a register is the key "_value/NAME", a
// counter "_counter/NAME" holding a decimal number (absent = 0). An increment
// is a read and a transaction on the revision read, repeated when another
// writer came between.
#include "gateway.hpp"
#include "map_verbs.hpp"

namespace atomixtest::etcd {

namespace {

nlohmann::json named(const std::string& primitive, nlohmann::json extra = nlohmann::json::object(),
                     std::vector<std::string> required = {}) {
    extra[primitive] = {{"type", "string"}, {"description", "the " + primitive + "'s name"}};
    required.insert(required.begin(), primitive);
    return {{"type", "object"}, {"properties", extra}, {"required", required}};
}

std::string register_key(const Params& params) {
    return "_value/" + params.at("register").get<std::string>();
}

std::string counter_key(const Params& params) {
    return "_counter/" + params.at("counter").get<std::string>();
}

int64_t as_number(const nlohmann::json& value) {
    return value.is_null() ? 0 : std::stoll(value.get<std::string>());
}

const nlohmann::json kValue = {{"type", "string"}, {"description", "the value to write"}};

}  // namespace

std::vector<ClientVerb> register_verbs() {
    return {
        {{"value.get", "the value, or null while unset", named("register")},
         [](const Params& params, const Endpoint& endpoint) {
             return read_key(endpoint, register_key(params)).value;
         }},
        {{"value.set", "set the value", named("register", {{"value", kValue}}, {"value"})},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             call(endpoint, "kv/put",
                  {{"key", base64_encode(register_key(params))},
                   {"value", base64_encode(params.at("value"))}});
             return nullptr;
         }},
        {{"value.cas",
          "set it to value if it holds `old` (null: unset); the result is true or false",
          named(
              "register",
              {{"value", kValue},
               {"old", {{"type", {"string", "null"}}, {"description", "the value it must hold"}}}},
              {"value", "old"})},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             return compare_and_put(endpoint, register_key(params), params.at("old"),
                                    params.at("value"));
         }},
        {{"counter.get", "the counter's value", named("counter")},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             return as_number(read_key(endpoint, counter_key(params)).value);
         }},
        {{"counter.set", "set the counter",
          named("counter", {{"value", {{"type", "integer"}, {"description", "the new value"}}}},
                {"value"})},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             call(endpoint, "kv/put",
                  {{"key", base64_encode(counter_key(params))},
                   {"value", base64_encode(std::to_string(params.at("value").get<int64_t>()))}});
             return nullptr;
         }},
        {{"counter.inc", "add one; the result is the new value", named("counter")},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             auto key = counter_key(params);
             while (true) {
                 auto seen = read_key(endpoint, key);
                 auto next = as_number(seen.value) + 1;
                 if (put_if_unchanged(endpoint, key, seen.mod_revision, std::to_string(next))) {
                     return next;
                 }
             }
         }},
    };
}

}  // namespace atomixtest::etcd
