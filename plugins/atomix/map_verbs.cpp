// map.*: an atomic map of strings. Results are plain values (not Atomix's
// versioned ones), as the etcd client gives them, so a scenario runs on both.
#include <algorithm>

#include "rest_call.hpp"
#include "verbs.hpp"

namespace atomixtest::atomix {

namespace {

const Param kKey = text_param("key", "the key");
const Param kValue = text_param("value", "the value to write");

std::string key_path(const Params& params) {
    return primitive_path("atomic-map", string_param(params, "map"),
                          url_encode(string_param(params, "key")));
}

nlohmann::json plain(const nlohmann::json& versioned) {
    return versioned.is_object() ? versioned.value("value", nlohmann::json()) : versioned;
}

}  // namespace

std::vector<ClientVerb> map_verbs() {
    return {
        {{"map.get", "read a key; the result is its value or null",
          primitive_params("map", {kKey})},
         [](const Params& params, const Endpoint& endpoint) {
             return plain(rest_call(endpoint, {.path = key_path(params)}));
         }},
        {{"map.put", "write a key; the result is the previous value or null",
          primitive_params("map", {kKey, kValue})},
         [](const Params& params, const Endpoint& endpoint) {
             return plain(rest_call(endpoint, {.method = "PUT",
                                               .path = key_path(params),
                                               .body = string_param(params, "value"),
                                               .effect = Effect::Write}));
         }},
        {{"map.remove", "delete a key; the result is the removed value or null",
          primitive_params("map", {kKey})},
         [](const Params& params, const Endpoint& endpoint) {
             return plain(rest_call(
                 endpoint,
                 {.method = "DELETE", .path = key_path(params), .effect = Effect::Write}));
         }},
        {{"map.keys", "the map's keys, sorted", primitive_params("map", {})},
         [](const Params& params, const Endpoint& endpoint) {
             auto keys = rest_call(
                 endpoint,
                 {.path = primitive_path("atomic-map", string_param(params, "map"), "keys")});
             std::sort(keys.begin(), keys.end());
             return keys;
         }},
        {{"map.size", "the number of keys", primitive_params("map", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint, {.path = primitive_path(
                                             "atomic-map", string_param(params, "map"), "size")});
         }},
        {{"map.clear", "remove every key", primitive_params("map", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint, {.method = "POST",
                                         .path = primitive_path(
                                             "atomic-map", string_param(params, "map"), "clear"),
                                         .effect = Effect::Write});
         }},
    };
}

}  // namespace atomixtest::atomix
