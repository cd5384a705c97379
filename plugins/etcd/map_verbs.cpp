// map.get, map.put, map.remove, map.cas on etcd: a map named M keeps key K at
// etcd key "M/K". Reads are linearizable (etcd's default range).
#include "map_verbs.hpp"

#include "gateway.hpp"

namespace atomixtest::etcd {

namespace {

std::vector<Param> map_params(bool with_value, bool with_old) {
    std::vector<Param> own = {text_param("key", "the key")};
    if (with_value) own.push_back(text_param("value", "the value to write"));
    if (with_old) {
        own.push_back({.name = "old",
                       .type = ParamType::String,
                       .help = "the value the key must hold (null: absent)",
                       .required = true,
                       .nullable = true});
    }
    return primitive_params("map", own);
}

nlohmann::json value_of(const nlohmann::json& kv) {
    if (kv.is_null()) return nullptr;
    return base64_decode(kv.value("value", ""));
}

}  // namespace

std::vector<ClientVerb> map_verbs() {
    return {
        {{"map.get", "read a key; the result is its value or null", map_params(false, false)},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             auto reply =
                 call_read(endpoint, "kv/range", {{"key", base64_encode(map_key(params))}});
             auto kvs = reply.value("kvs", nlohmann::json::array());
             return kvs.empty() ? nlohmann::json(nullptr) : value_of(kvs.front());
         }},
        {{"map.put", "write a key; the result is the previous value or null",
          map_params(true, false)},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             auto reply = call(endpoint, "kv/put",
                               {{"key", base64_encode(map_key(params))},
                                {"value", base64_encode(params.at("value"))},
                                {"prev_kv", true}});
             return value_of(reply.value("prev_kv", nlohmann::json()));
         }},
        {{"map.remove", "delete a key; the result is the removed value or null",
          map_params(false, false)},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             auto reply = call(endpoint, "kv/deleterange",
                               {{"key", base64_encode(map_key(params))}, {"prev_kv", true}});
             auto previous = reply.value("prev_kvs", nlohmann::json::array());
             return previous.empty() ? nlohmann::json(nullptr) : value_of(previous.front());
         }},
        {{"map.cas",
          "set key to value if it holds `old` (null: if absent); the result is true or false",
          map_params(true, true)},
         [](const Params& params, const Endpoint& endpoint) -> nlohmann::json {
             return compare_and_put(endpoint, map_key(params), params.at("old"),
                                    params.at("value"));
         }},
    };
}

}  // namespace atomixtest::etcd
