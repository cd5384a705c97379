#include "util/schema_validation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "atomixtest/duration.hpp"
#include "util/json_pointer.hpp"

namespace atomixtest {

namespace {

const nlohmann::json& follow_ref(const nlohmann::json& root, const nlohmann::json& schema) {
    const nlohmann::json* current = &schema;
    for (int depth = 0; depth < 16 && current->is_object() && current->contains("$ref"); ++depth) {
        auto ref = (*current)["$ref"].get<std::string>();
        if (ref.rfind("#", 0) != 0) break;
        nlohmann::json::json_pointer pointer(ref.substr(1));
        if (!root.contains(pointer)) break;
        current = &root.at(pointer);
    }
    return *current;
}

std::vector<std::string> split_pointer(const std::string& pointer) {
    std::vector<std::string> tokens;
    size_t start = 1;
    while (start <= pointer.size() && !pointer.empty()) {
        size_t end = pointer.find('/', start);
        if (end == std::string::npos) end = pointer.size();
        std::string token = pointer.substr(start, end - start);
        for (size_t at; (at = token.find("~1")) != std::string::npos;) token.replace(at, 2, "/");
        for (size_t at; (at = token.find("~0")) != std::string::npos;) token.replace(at, 2, "~");
        tokens.push_back(token);
        start = end + 1;
    }
    return tokens;
}

// Properties a value may have under this schema, for "allowed: ..." hints.
std::vector<std::string> allowed_properties(const nlohmann::json& schema) {
    std::vector<std::string> names;
    if (schema.contains("properties")) {
        for (const auto& [name, sub] : schema["properties"].items()) names.push_back(name);
    }
    return names;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// JSON Schema's type names as a YAML author knows them.
std::string type_phrase(const std::string& type) {
    static const std::map<std::string, std::string> phrases = {
        {"integer", "an integer"},    {"number", "a number"},  {"string", "a string"},
        {"boolean", "true or false"}, {"object", "a mapping"}, {"array", "a list"},
        {"null", "nothing (null)"}};
    auto it = phrases.find(type);
    return it == phrases.end() ? type : it->second;
}

std::string type_name(const nlohmann::json& value) {
    if (value.is_number_integer()) return "integer";
    if (value.is_number()) return "number";
    return value.type_name();
}

// A bound as people write it: 1, not 1.0.
std::string number_text(const nlohmann::json& number) {
    if (number.is_number_float() && number.get<double>() == std::floor(number.get<double>()) &&
        std::abs(number.get<double>()) < 1e15) {
        return std::to_string(static_cast<int64_t>(number.get<double>()));
    }
    return number.dump();
}

std::string describe_value(const nlohmann::json& value) {
    if (value.is_null()) return "nothing (null)";
    auto text = value.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return "the " +
           std::string(value.is_object()  ? "mapping"
                       : value.is_array() ? "list"
                                          : type_name(value)) +
           " " + text;
}

// Unknown fields are reported by us, with the field's own position and the
// allowed names; valijson only says that "a property" was not allowed.
void find_unknown_fields(const nlohmann::json& root, const nlohmann::json& schema_in,
                         const nlohmann::json& value, const std::string& pointer,
                         std::vector<SchemaIssue>& issues) {
    const auto& schema = follow_ref(root, schema_in);
    if (!schema.is_object()) return;
    if (value.is_object()) {
        for (const auto& [key, child] : value.items()) {
            auto child_pointer = pointer_append(pointer, key);
            const nlohmann::json* child_schema = nullptr;
            if (schema.contains("properties") && schema["properties"].contains(key)) {
                child_schema = &schema["properties"][key];
            } else if (schema.contains("patternProperties")) {
                for (const auto& [pattern, sub] : schema["patternProperties"].items()) {
                    if (std::regex_search(key, std::regex(pattern))) {
                        child_schema = &sub;
                        break;
                    }
                }
            }
            if (child_schema) {
                find_unknown_fields(root, *child_schema, child, child_pointer, issues);
            } else if (schema.value("additionalProperties", nlohmann::json(true)) == false) {
                auto allowed = allowed_properties(schema);
                issues.push_back(
                    {child_pointer,
                     "unknown field '" + key + "'" +
                         (allowed.empty() ? std::string() : " (allowed: " + join(allowed) + ")"),
                     true});
            }
        }
    } else if (value.is_array() && schema.contains("items")) {
        for (size_t i = 0; i < value.size(); ++i) {
            find_unknown_fields(root, schema["items"], value[i], pointer_append(pointer, i),
                                issues);
        }
    }
}

std::string context_to_pointer(const std::vector<std::string>& context) {
    std::string pointer;
    for (const auto& element : context) {
        if (element == "<root>" || element.size() < 2) continue;
        std::string token = element.substr(1, element.size() - 2);  // "[name]" -> "name"
        if (!token.empty() && token.front() == '"') token = token.substr(1, token.size() - 2);
        pointer = pointer_append(pointer, token);
    }
    return pointer;
}

// Turns valijson's description into one that says what was expected.
std::string explain(const std::string& description, const nlohmann::json& subschema,
                    const nlohmann::json& value) {
    // subschema_at knows no schema (null) for a value inside a oneOf branch,
    // e.g. an item of `every: [2s, 5s]`; the pattern and the bounds are then
    // unknown, and nlohmann's value() and [] refuse a null.
    static const nlohmann::json unknown = nlohmann::json::object();
    const auto& schema = subschema.is_object() ? subschema : unknown;
    std::smatch match;
    if (description.find("'type' constraint") != std::string::npos && schema.contains("type")) {
        std::vector<std::string> expected;
        for (const auto& type :
             schema["type"].is_array() ? schema["type"] : nlohmann::json::array({schema["type"]})) {
            expected.push_back(type_phrase(type.get<std::string>()));
        }
        std::string list;
        for (size_t i = 0; i < expected.size(); ++i) {
            list += (i == 0 ? "" : i + 1 == expected.size() ? " or " : ", ") + expected[i];
        }
        return "expected " + list + ", got " + describe_value(value);
    }
    if (description.find("enum") != std::string::npos && schema.contains("enum")) {
        std::vector<std::string> allowed;
        for (const auto& item : schema["enum"]) allowed.push_back(item.dump());
        return "got " + value.dump() + ", allowed: " + join(allowed);
    }
    if (description.find("'pattern'") != std::string::npos) {
        if (schema.value("pattern", std::string()) == kDurationPattern) {
            return "invalid duration " + value.dump() +
                   " (expected a duration such as 500ms, 2s, 1m30s; units ns, us, ms, s, m, h)";
        }
        return "invalid value " + value.dump() +
               (schema.contains("description")
                    ? " (expected " + schema["description"].get<std::string>() + ")"
                    : " (must match " + schema.value("pattern", std::string("the pattern")) + ")");
    }
    if (description.find("greater than") != std::string::npos && schema.contains("minimum")) {
        return "must be at least " + number_text(schema["minimum"]) + ", got " + value.dump();
    }
    if (description.find("less than") != std::string::npos && schema.contains("maximum")) {
        return "must be at most " + number_text(schema["maximum"]) + ", got " + value.dump();
    }
    static const std::regex required(R"(Missing required property '([^']+)'.*)");
    if (std::regex_match(description, match, required)) {
        return "missing required field '" + match[1].str() + "'";
    }
    if (description.find("minItems") != std::string::npos ||
        description.find("fewer than") != std::string::npos) {
        return "needs at least " + schema.value("minItems", nlohmann::json(1)).dump() + " item(s)";
    }
    return description;
}

bool is_wrapper(const std::string& description) {
    // valijson repeats every nested failure at each enclosing level.
    return description.rfind("Failed to validate", 0) == 0 ||
           description.find("could not be validated using 'properties'") != std::string::npos ||
           description.find("additionalProperties") != std::string::npos ||
           description.find("patternProperties") != std::string::npos;
}

}  // namespace

nlohmann::json subschema_at(const nlohmann::json& root, const nlohmann::json& document,
                            const std::string& pointer) {
    const nlohmann::json* schema = &follow_ref(root, root);
    const nlohmann::json* value = &document;
    for (const auto& token : split_pointer(pointer)) {
        const nlohmann::json* next = nullptr;
        if (value->is_object()) {
            if (schema->contains("properties") && (*schema)["properties"].contains(token)) {
                next = &(*schema)["properties"][token];
            } else if (schema->contains("patternProperties")) {
                for (const auto& [pattern, sub] : (*schema)["patternProperties"].items()) {
                    if (std::regex_search(token, std::regex(pattern))) next = &sub;
                }
            }
            value = value->contains(token) ? &(*value)[token] : value;
        } else if (value->is_array() && schema->contains("items")) {
            next = &(*schema)["items"];
            size_t index = std::stoul(token);
            value = index < value->size() ? &(*value)[index] : value;
        }
        if (!next) return nullptr;
        schema = &follow_ref(root, *next);
    }
    return *schema;
}

std::vector<SchemaIssue> validate_against_schema(const nlohmann::json& schema_json,
                                                 const nlohmann::json& document) {
    std::vector<SchemaIssue> issues;
    find_unknown_fields(schema_json, schema_json, document, "", issues);

    valijson::Schema schema;
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
    parser.populateSchema(schema_adapter, schema);
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(document);
    if (validator.validate(schema, target, &results)) return issues;

    std::vector<SchemaIssue> raw;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        if (is_wrapper(error.description)) continue;
        auto pointer = context_to_pointer(error.context);
        nlohmann::json::json_pointer json_pointer(pointer);
        auto value = document.contains(json_pointer) ? document.at(json_pointer) : nlohmann::json();
        raw.push_back({pointer, explain(error.description,
                                        subschema_at(schema_json, document, pointer), value)});
    }
    for (const auto& issue : raw) {
        bool duplicate = std::any_of(issues.begin(), issues.end(), [&](const SchemaIssue& other) {
            return other.pointer == issue.pointer && other.message == issue.message;
        });
        if (!duplicate) issues.push_back(issue);
    }
    return issues;
}

}  // namespace atomixtest
