// value.*: an atomic value (a register of strings; null while unset), named by
// `register` since `value` is what it holds.
#include "rest_call.hpp"
#include "verbs.hpp"

namespace atomixtest::atomix {

namespace {

const Param kNewValue = text_param("value", "the value to write");

std::string value_path(const Params& params, const std::string& rest) {
    return primitive_path("atomic-value", string_param(params, "register"), rest);
}

}  // namespace

std::vector<ClientVerb> value_verbs() {
    return {
        {{"value.get", "the value, or null while unset", primitive_params("register", {})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint, {.path = value_path(params, "value")});
         }},
        {{"value.set", "set the value", primitive_params("register", {kNewValue})},
         [](const Params& params, const Endpoint& endpoint) {
             return rest_call(endpoint, {.method = "POST",
                                         .path = value_path(params, "value"),
                                         .body = string_param(params, "value"),
                                         .effect = Effect::Write});
         }},
        {{"value.cas",
          "set it to value if it holds `old` (null: unset); the result is true or false",
          primitive_params("register", {kNewValue,
                                        {.name = "old",
                                         .type = ParamType::String,
                                         .help = "the value it must hold (null: unset)",
                                         .required = true,
                                         .nullable = true}})},
         [](const Params& params, const Endpoint& endpoint) {
             nlohmann::json body = {{"expect", params.at("old")}, {"update", params.at("value")}};
             return rest_call(endpoint, {.method = "POST",
                                         .path = value_path(params, "cas"),
                                         .body = body.dump(),
                                         .content_type = "application/json",
                                         .effect = Effect::Write});
         }},
    };
}

}  // namespace atomixtest::atomix
