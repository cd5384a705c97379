#include "params.hpp"

namespace atomixtest::atomix {

nlohmann::json params_schema(const std::string& primitive, const std::vector<Field>& fields) {
    nlohmann::json properties = {
        {primitive, {{"type", "string"}, {"description", "the " + primitive + "'s name"}}}};
    nlohmann::json required = {primitive};
    for (const auto& field : fields) {
        auto schema = field.schema;
        schema["description"] = field.description;
        properties[field.name] = schema;
        required.push_back(field.name);
    }
    return {{"type", "object"}, {"properties", properties}, {"required", required}};
}

std::string string_param(const nlohmann::json& params, const std::string& name) {
    return params.at(name).get<std::string>();
}

}  // namespace atomixtest::atomix
