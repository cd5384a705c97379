// set.*: a distributed set of strings.
#include "rest_call.hpp"
#include "verbs.hpp"

namespace atomixtest::atomix {

namespace {

const Param kElement = text_param("element", "the element");

std::string element_path(const Params& params) {
    return primitive_path("set", string_param(params, "set"),
                          url_encode(string_param(params, "element")));
}

}  // namespace

std::vector<ClientVerb> set_verbs() {
    return {
        {{"set.add", "add an element; the result is whether it was absent",
          primitive_params("set", {kElement})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(
                 endpoint,
                 {.method = "PUT", .path = element_path(params), .effect = Effect::Write});
         }},
        {{"set.contains", "whether the element is in the set", primitive_params("set", {kElement})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint, {.path = element_path(params)});
         }},
        {{"set.remove", "remove an element; the result is whether it was present",
          primitive_params("set", {kElement})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(
                 endpoint,
                 {.method = "DELETE", .path = element_path(params), .effect = Effect::Write});
         }},
        {{"set.size", "the number of elements", primitive_params("set", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint,
                              {.path = primitive_path("set", string_param(params, "set"), "size")});
         }},
        {{"set.get", "every element, sorted", primitive_params("set", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint,
                              {.path = primitive_path("set", string_param(params, "set"))});
         }},
    };
}

}  // namespace atomixtest::atomix
