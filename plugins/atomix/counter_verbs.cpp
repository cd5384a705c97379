// counter.*: an atomic counter (a 64-bit integer).
#include "rest_call.hpp"
#include "verbs.hpp"

namespace atomixtest::atomix {

namespace {

std::string counter_path(const Params& params, const std::string& rest = "") {
    return primitive_path("atomic-counter", string_param(params, "counter"), rest);
}

}  // namespace

std::vector<ClientVerb> counter_verbs() {
    return {
        {{"counter.get", "the counter's value", primitive_params("counter", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint, {.path = counter_path(params)});
         }},
        {{"counter.set", "set the counter",
          primitive_params("counter", {{.name = "value",
                                        .type = ParamType::Integer,
                                        .help = "the new value",
                                        .required = true}})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint, {.method = "PUT",
                                         .path = counter_path(params),
                                         .body = std::to_string(params.at("value").get<int64_t>()),
                                         .effect = Effect::Write});
         }},
        {{"counter.inc", "add one; the result is the new value", primitive_params("counter", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(
                 endpoint,
                 {.method = "POST", .path = counter_path(params, "inc"), .effect = Effect::Write});
         }},
    };
}

}  // namespace atomixtest::atomix
