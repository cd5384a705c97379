#include "atomixtest/client.hpp"
#include "atomixtest/error.hpp"

namespace atomixtest {

Param text_param(const std::string& name, const std::string& help) {
    return {.name = name, .type = ParamType::String, .help = help, .required = true};
}

std::vector<Param> primitive_params(const std::string& primitive, std::vector<Param> own) {
    own.insert(own.begin(), text_param(primitive, "the " + primitive + "'s name"));
    return own;
}

VerbTableClient::VerbTableClient(std::string system, const std::vector<ClientVerb>& verbs)
    : system_(std::move(system)) {
    for (const auto& verb : verbs) verbs_.emplace(verb.spec.name, verb);
}

std::vector<VerbSpec> VerbTableClient::verbs() const {
    std::vector<VerbSpec> specs;
    for (const auto& [name, verb] : verbs_) specs.push_back(verb.spec);
    return specs;
}

nlohmann::json VerbTableClient::invoke(const std::string& verb, const Params& params,
                                       const Endpoint& endpoint) {
    auto it = verbs_.find(verb);
    if (it == verbs_.end()) throw not_found("the " + system_ + " client has no verb " + verb);
    return it->second.run(params, endpoint);
}

}  // namespace atomixtest
