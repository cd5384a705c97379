// value.* and counter.* on etcd, so that a scenario written for Atomix's atomic
// value and counter runs here too: a register is the key "_value/NAME", a
// counter "_counter/NAME" holding a decimal number (absent = 0). An increment
// is a read and a transaction on the revision read, repeated when another
// writer came between.
#include "gateway.hpp"
#include "map_verbs.hpp"

namespace atomixtest::etcd {

namespace {

std::string register_key(const Params& params) {
    return "_value/" + params.at("register").get<std::string>();
}

std::string counter_key(const Params& params) {
    return "_counter/" + params.at("counter").get<std::string>();
}

int64_t as_number(const nlohmann::json& value) {
    return value.is_null() ? 0 : std::stoll(value.get<std::string>());
}

const Param kValue = text_param("value", "the value to write");

}  // namespace

std::vector<ClientVerb> register_verbs() {
    return {
        {{"value.get", "the value, or null while unset", primitive_params("register")},
         [](const Params& params, const Endpoint& endpoint) {
             return read_key(endpoint, register_key(params)).value;
         }},
        {{"value.set", "set the value", primitive_params("register", {kValue})},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             call(endpoint, "kv/put",
                  {{"key", base64_encode(register_key(params))},
                   {"value", base64_encode(params.at("value"))}});
             return nullptr;
         }},
        {{"value.cas",
          "set it to value if it holds `old` (null: unset); the result is true or false",
          primitive_params("register", {kValue,
                                        {.name = "old",
                                         .type = ParamType::String,
                                         .help = "the value it must hold (null: unset)",
                                         .required = true,
                                         .nullable = true}})},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             return compare_and_put(endpoint, register_key(params), params.at("old"),
                                    params.at("value"));
         }},
        {{"counter.get", "the counter's value", primitive_params("counter")},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             return as_number(read_key(endpoint, counter_key(params)).value);
         }},
        {{"counter.set", "set the counter",
          primitive_params("counter", {{.name = "value",
                                        .type = ParamType::Integer,
                                        .help = "the new value",
                                        .required = true}})},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             call(endpoint, "kv/put",
                  {{"key", base64_encode(counter_key(params))},
                   {"value", base64_encode(std::to_string(params.at("value").get<int64_t>()))}});
             return nullptr;
         }},
        {{"counter.inc", "add one; the result is the new value", primitive_params("counter")},
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
