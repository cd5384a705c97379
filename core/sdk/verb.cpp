// The verb declarations' derived forms: the JSON Schema of a verb's params,
// the help of each param, and the typed reads plugins use.
#include "atomixtest/verb.hpp"

#include <cmath>
#include <cstdio>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/rate.hpp"
#include "atomixtest/size.hpp"

namespace atomixtest {

namespace {

const char* const kSizePattern = "^[0-9]+(\\.[0-9]+)?([kKmMgG]([iI]?[bB])?|[bB])?$";

// An integer's bounds are written as integers (256, not 256.0).
nlohmann::json bounded(nlohmann::json schema, const Param& param) {
    auto bound = [&](double value) -> nlohmann::json {
        if (param.type == ParamType::Integer) return static_cast<int64_t>(value);
        return value;
    };
    if (param.minimum) schema["minimum"] = bound(*param.minimum);
    if (param.maximum) schema["maximum"] = bound(*param.maximum);
    return schema;
}

nlohmann::json value_schema(const Param& param) {
    switch (param.type) {
        case ParamType::Integer:
            return bounded({{"type", "integer"}}, param);
        case ParamType::Number:
            return bounded({{"type", "number"}}, param);
        case ParamType::Boolean:
            return {{"type", "boolean"}};
        case ParamType::String:
            return {{"type", "string"}};
        case ParamType::Duration:
            // A JSON Schema pattern applies to strings only: a number (of
            // `unit`s) passes it.
            if (param.unit.empty()) return {{"type", "string"}, {"pattern", kDurationPattern}};
            // Its bounds, in `unit`, are checked once parsed (param_check), so
            // that "0ms" and 0 are refused in the same words.
            return {{"type", {"string", "number"}}, {"pattern", kDurationPattern}, {"minimum", 0}};
        case ParamType::Size:
            return {{"type", {"string", "integer"}},
                    {"pattern", kSizePattern},
                    {"minimum", param.minimum ? static_cast<int64_t>(*param.minimum) : 1}};
        case ParamType::Rate:
            // A bare number is bits per second, as tc reads it.
            return {{"type", {"string", "integer"}}, {"pattern", kRatePattern}, {"minimum", 1}};
        case ParamType::NodeGroups:
            return {{"type", "array"},
                    {"minItems", 1},
                    {"items",
                     {{"type", "array"},
                      {"minItems", 1},
                      {"items", {{"type", "integer"}, {"minimum", 1}}}}}};
        case ParamType::Choice:
            return {{"enum", param.choices}};
        case ParamType::Node:
            return {{"type", {"integer", "string"}}, {"minimum", 1}};
        case ParamType::Nodes:
            return {{"type", {"integer", "string", "array"}},
                    {"minimum", 1},
                    {"minItems", 1},
                    {"items", {{"type", "integer"}, {"minimum", 1}}}};
        case ParamType::Json:
            return param.schema.is_object() ? param.schema : nlohmann::json::object();
    }
    return nlohmann::json::object();
}

std::string text_of(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

[[noreturn]] void not_checked(const std::string& name, const char* expected) {
    throw Error(ErrorKind::Internal,
                "param '" + name + "' is not " + expected + ": it did not come through the door");
}

const nlohmann::json& present(const Params& params, const std::string& name, const char* what) {
    if (!params.is_object() || !params.contains(name)) not_checked(name, what);
    return params.at(name);
}

}  // namespace

Param param(std::string name, ParamType type, std::string help) {
    Param made;
    made.name = std::move(name);
    made.type = type;
    made.help = std::move(help);
    return made;
}

Param Param::default_value(nlohmann::json value) const {
    auto copy = *this;
    copy.fallback = std::move(value);
    return copy;
}
Param Param::require() const {
    auto copy = *this;
    copy.required = true;
    return copy;
}
Param Param::range(double low, double high) const {
    auto copy = *this;
    copy.minimum = low;
    copy.maximum = high;
    return copy;
}
Param Param::one_of(std::vector<std::string> values) const {
    auto copy = *this;
    copy.choices = std::move(values);
    return copy;
}
Param Param::bare_unit(std::string bare) const {
    auto copy = *this;
    copy.unit = std::move(bare);
    return copy;
}
Param Param::when_absent(AbsentNodes meaning) const {
    auto copy = *this;
    copy.absent = meaning;
    return copy;
}
Param Param::or_null() const {
    auto copy = *this;
    copy.nullable = true;
    return copy;
}
Param Param::shaped(nlohmann::json json_schema) const {
    auto copy = *this;
    copy.schema = std::move(json_schema);
    return copy;
}
Param Param::no_longer_than(std::string other_param) const {
    auto copy = *this;
    copy.longest = std::move(other_param);
    return copy;
}

const char* to_string(ParamType type) {
    switch (type) {
        case ParamType::Integer:
            return "integer";
        case ParamType::Number:
            return "number";
        case ParamType::Boolean:
            return "boolean";
        case ParamType::String:
            return "string";
        case ParamType::Duration:
            return "duration";
        case ParamType::Size:
            return "size";
        case ParamType::Choice:
            return "choice";
        case ParamType::Node:
            return "node";
        case ParamType::Nodes:
            return "nodes";
        case ParamType::Json:
            return "json";
        case ParamType::Rate:
            return "rate";
        case ParamType::NodeGroups:
            return "node groups";
    }
    return "?";
}

const char* to_string(AbsentNodes absent) {
    switch (absent) {
        case AbsentNodes::Left:
            return "left";
        case AbsentNodes::All:
            return "every node";
        case AbsentNodes::Running:
            return "every running node";
        case AbsentNodes::Random:
            return "a random node";
    }
    return "?";
}

std::string param_help(const Param& param) {
    std::vector<std::string> notes;
    if (!param.fallback.is_null()) notes.push_back("default " + text_of(param.fallback));
    bool nodes = param.type == ParamType::Node || param.type == ParamType::Nodes;
    if (nodes && param.absent != AbsentNodes::Left && !param.required) {
        notes.push_back(std::string("absent: ") + to_string(param.absent));
    }
    if (param.type == ParamType::Duration && !param.unit.empty()) {
        notes.push_back("a bare number is " + param.unit);
        auto bound = [&](double value) {
            char number[32];
            std::snprintf(number, sizeof number, "%g", value);
            return format_duration(parse_duration(number, param.unit));
        };
        if (param.minimum) notes.push_back("at least " + bound(*param.minimum));
        if (param.maximum) notes.push_back("at most " + bound(*param.maximum));
    }
    if (param.type == ParamType::Rate) notes.push_back("tc's units: 1mbit, 500kbit, 2mbps");
    if (!param.longest.empty()) notes.push_back("at most " + param.longest);
    if (param.type == ParamType::Choice) {
        std::string list;
        for (const auto& choice : param.choices) list += (list.empty() ? "" : ", ") + choice;
        notes.push_back("one of " + list);
    }
    std::string text = param.help;
    for (size_t i = 0; i < notes.size(); ++i) {
        text += (i == 0 ? " (" : "; ") + notes[i];
    }
    return notes.empty() ? text : text + ")";
}

nlohmann::json params_schema(const VerbSpec& verb) {
    nlohmann::json properties = nlohmann::json::object();
    nlohmann::json required = nlohmann::json::array();
    for (const auto& param : verb.params) {
        auto schema = value_schema(param);
        if (param.nullable && schema.contains("type")) {
            auto types = schema["type"].is_array() ? schema["type"]
                                                   : nlohmann::json::array({schema["type"]});
            types.push_back("null");
            schema["type"] = types;
        }
        schema["description"] = param_help(param);
        if (!param.fallback.is_null()) schema["default"] = param.fallback;
        properties[param.name] = schema;
        if (param.required) required.push_back(param.name);
    }
    nlohmann::json schema = {
        {"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
    if (!required.empty()) schema["required"] = required;
    if (verb.rules.is_object()) {
        for (const auto& [keyword, rule] : verb.rules.items()) schema[keyword] = rule;
    }
    return schema;
}

int64_t integer_param(const Params& params, const std::string& name) {
    const auto& value = present(params, name, "an integer");
    if (!value.is_number_integer()) not_checked(name, "an integer");
    return value.get<int64_t>();
}

double number_param(const Params& params, const std::string& name) {
    const auto& value = present(params, name, "a number");
    if (!value.is_number() || !std::isfinite(value.get<double>())) not_checked(name, "a number");
    return value.get<double>();
}

bool boolean_param(const Params& params, const std::string& name) {
    const auto& value = present(params, name, "true or false");
    if (!value.is_boolean()) not_checked(name, "true or false");
    return value.get<bool>();
}

std::string string_param(const Params& params, const std::string& name) {
    const auto& value = present(params, name, "a string");
    if (!value.is_string()) not_checked(name, "a string");
    return value.get<std::string>();
}

std::chrono::nanoseconds duration_param(const Params& params, const std::string& name) {
    const auto& value = present(params, name, "a duration");
    if (!value.is_string()) not_checked(name, "a duration");
    return parse_duration(value.get<std::string>());
}

int64_t size_param(const Params& params, const std::string& name) {
    const auto& value = present(params, name, "a size");
    if (!value.is_number_integer()) not_checked(name, "a size in bytes");
    return value.get<int64_t>();
}

int64_t rate_param(const Params& params, const std::string& name) {
    const auto& value = present(params, name, "a rate");
    if (!value.is_string()) not_checked(name, "a rate");
    return parse_rate(value.get<std::string>(), name);
}

std::vector<std::vector<int>> node_groups_param(const Params& params, const std::string& name) {
    const auto& value = present(params, name, "groups of node ids");
    if (!value.is_array()) not_checked(name, "groups of node ids");
    std::vector<std::vector<int>> groups;
    for (const auto& group : value) {
        if (!group.is_array()) not_checked(name, "groups of node ids");
        groups.emplace_back();
        for (const auto& id : group) {
            if (!id.is_number_integer()) not_checked(name, "groups of node ids");
            groups.back().push_back(id.get<int>());
        }
    }
    return groups;
}

std::vector<int> nodes_param(const Params& params, const std::string& name) {
    if (!params.is_object() || !params.contains(name)) return {};
    const auto& value = params.at(name);
    if (value.is_number_integer()) return {value.get<int>()};
    if (!value.is_array()) not_checked(name, "node ids");
    std::vector<int> ids;
    for (const auto& id : value) {
        if (!id.is_number_integer()) not_checked(name, "node ids");
        ids.push_back(id.get<int>());
    }
    return ids;
}

}  // namespace atomixtest
