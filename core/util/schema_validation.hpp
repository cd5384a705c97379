// JSON Schema validation (valijson) with messages a person can act on: each
// issue is tied to the JSON Pointer of the offending value and says what was
// expected (the type, the allowed values, the allowed fields).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace atomixtest {

struct SchemaIssue {
    std::string pointer;  // of the offending value (for an unknown field: the field)
    std::string message;
    bool about_key = false;  // the field's name is wrong, not its value
};

std::vector<SchemaIssue> validate_against_schema(const nlohmann::json& schema,
                                                 const nlohmann::json& document);

// The subschema that governs the value at pointer (following $ref, properties,
// patternProperties and items), or null when none is known.
nlohmann::json subschema_at(const nlohmann::json& schema, const nlohmann::json& document,
                            const std::string& pointer);

}  // namespace atomixtest
