// JSON Schemas of the atomix verbs' params: one primitive named by its kind
// (map, counter, register, lock, set) plus the verb's own fields.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace atomixtest::atomix {

struct Field {
    std::string name;
    nlohmann::json schema;  // e.g. {"type": "string"}
    std::string description;
};

nlohmann::json params_schema(const std::string& primitive, const std::vector<Field>& fields);

std::string string_param(const nlohmann::json& params, const std::string& name);

}  // namespace atomixtest::atomix
