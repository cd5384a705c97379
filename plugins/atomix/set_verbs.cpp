// set.*: a distributed set of strings.
#include "params.hpp"
#include "rest_call.hpp"
#include "verbs.hpp"

namespace atomixtest::atomix {

namespace {

const Field kElement{"element", {{"type", "string"}}, "the element"};

std::string element_path(const Params& params) {
    return primitive_path("set", string_param(params, "set"),
                          url_encode(string_param(params, "element")));
}

}  // namespace

std::vector<ClientVerb> set_verbs() {
    return {
        {{"set.add", "add an element; the result is whether it was absent",
          params_schema("set", {kElement})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(
                 endpoint,
                 {.method = "PUT", .path = element_path(params), .effect = Effect::Write});
         }},
        {{"set.contains", "whether the element is in the set", params_schema("set", {kElement})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint, {.path = element_path(params)});
         }},
        {{"set.remove", "remove an element; the result is whether it was present",
          params_schema("set", {kElement})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(
                 endpoint,
                 {.method = "DELETE", .path = element_path(params), .effect = Effect::Write});
         }},
        {{"set.size", "the number of elements", params_schema("set", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint,
                              {.path = primitive_path("set", string_param(params, "set"), "size")});
         }},
        {{"set.get", "every element, sorted", params_schema("set", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint,
                              {.path = primitive_path("set", string_param(params, "set"))});
         }},
    };
}

}  // namespace atomixtest::atomix
