#include "session/param_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <tuple>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/rate.hpp"
#include "atomixtest/size.hpp"
#include "session/node_selection.hpp"
#include "util/json_pointer.hpp"
#include "util/schema_validation.hpp"

namespace atomixtest {

namespace {

// A duration's bounds are in its bare unit (Param::range): a string is
// compared once parsed, which its pattern alone cannot do.
std::string duration_bound_issue(const Param& param, const nlohmann::json& value) {
    if (param.unit.empty() || (!param.minimum && !param.maximum)) return "";
    auto text = value.is_string() ? value.get<std::string>() : value.dump();
    auto given = parse_duration(text, param.unit);
    auto bound = [&](double limit) {
        char number[32];
        std::snprintf(number, sizeof number, "%g", limit);
        return parse_duration(number, param.unit);
    };
    auto said = value.is_string() ? text : format_duration(given);
    if (param.minimum && given < bound(*param.minimum)) {
        return "at least " + format_duration(bound(*param.minimum)) + ", got " + said;
    }
    if (param.maximum && given > bound(*param.maximum)) {
        return "at most " + format_duration(bound(*param.maximum)) + ", got " + said;
    }
    return "";
}

// What the schema cannot say: a duration or size in range, a finite number,
// nodes that exist. Only a value of the right JSON type gets here.
std::string value_issue(const Param& param, const nlohmann::json& value,
                        const std::vector<int>* node_ids) {
    try {
        switch (param.type) {
            case ParamType::Number:
                if (value.is_number() && !std::isfinite(value.get<double>())) {
                    return "expected a finite number, got " + value.dump();
                }
                break;
            case ParamType::Duration:
                if (value.is_string()) parse_duration(value.get<std::string>(), param.unit);
                if (value.is_number() &&
                    !(value.get<double>() * 1e6 <= static_cast<double>(kMaxDuration.count()))) {
                    return "at most 720h (30 days), got " + value.dump() + " " + param.unit;
                }
                return duration_bound_issue(param, value);
            case ParamType::Size:
                if (value.is_string()) {
                    auto bytes = parse_size(value.get<std::string>(), param.name);
                    if (param.minimum && static_cast<double>(bytes) < *param.minimum) {
                        return "at least " + std::to_string(static_cast<int64_t>(*param.minimum)) +
                               " bytes, got " + value.dump();
                    }
                }
                break;
            case ParamType::Rate:
                if (value.is_string()) parse_rate(value.get<std::string>(), param.name);
                break;
            case ParamType::Node:
            case ParamType::Nodes:
                return node_value_issue(param, value, node_ids);
            case ParamType::NodeGroups:
                return node_groups_issue(value, node_ids);
            default:
                break;
        }
    } catch (const Error& error) {
        return error.what();
    }
    return "";
}

bool matches_type(const Param& param, const nlohmann::json& value) {
    switch (param.type) {
        case ParamType::Number:
            return value.is_number();
        case ParamType::Duration:
            return value.is_string() || value.is_number();
        case ParamType::Size:
            return value.is_string();
        case ParamType::Rate:
            return value.is_string() || value.is_number_integer();
        case ParamType::Node:
        case ParamType::Nodes:
            return true;
        case ParamType::NodeGroups:
            return value.is_array();
        default:
            return false;
    }
}

nlohmann::json typed_word(const Param& param, const std::string& text) {
    char* end = nullptr;
    switch (param.type) {
        case ParamType::Integer: {
            long long number = std::strtoll(text.c_str(), &end, 10);
            if (!text.empty() && *end == '\0') return number;
            break;
        }
        case ParamType::Number: {
            double number = std::strtod(text.c_str(), &end);
            if (!text.empty() && *end == '\0' && std::isfinite(number)) return number;
            break;
        }
        case ParamType::Boolean:
            if (text.empty() || text == "true") return true;
            if (text == "false") return false;
            break;
        case ParamType::Duration:
            if (!param.unit.empty() && !text.empty() &&
                text.find_first_not_of("0123456789.") == std::string::npos) {
                double number = std::strtod(text.c_str(), &end);
                if (*end == '\0') return number;
            }
            break;
        case ParamType::Node:
        case ParamType::Nodes: {
            // "2" is an id; "1,3" a list of them; anything else a selector.
            if (text.empty() || text.find_first_not_of("0123456789,") != std::string::npos) break;
            nlohmann::json ids = nlohmann::json::array();
            size_t start = 0;
            while (start <= text.size()) {
                auto comma = text.find(',', start);
                auto part = text.substr(start, comma - start);
                if (part.empty() || part.size() > 9) return text;
                ids.push_back(std::stoi(part));
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
            if (ids.size() == 1) return ids[0];
            return ids;
        }
        case ParamType::Rate:
            // A bare number is bits per second, as tc reads it.
            if (!text.empty() && text.size() <= 12 &&
                text.find_first_not_of("0123456789") == std::string::npos) {
                return std::stoll(text);
            }
            break;
        case ParamType::NodeGroups:
            return node_groups_from_words(text);
        case ParamType::Json: {
            auto parsed = nlohmann::json::parse(text, nullptr, false);
            if (!parsed.is_discarded()) return parsed;
            break;
        }
        default:
            break;
    }
    return text;
}

// A duration given or defaulted, or nullopt when absent or ill-formed (the
// value's own issue says so).
std::optional<Duration> duration_of(const Param& param, const nlohmann::json& params) {
    const auto& value = params.contains(param.name) ? params.at(param.name) : param.fallback;
    try {
        if (value.is_string()) return parse_duration(value.get<std::string>(), param.unit);
        if (value.is_number()) return parse_duration(value.dump(), param.unit);
    } catch (const Error&) {
    }
    return std::nullopt;
}

// Durations that must not exceed another (Param::longest), reported at the
// shorter one's value, or at the longer one's when only it was given.
void check_longest(const VerbSpec& verb, const nlohmann::json& params,
                   std::vector<ParamIssue>& issues) {
    for (const auto& param : verb.params) {
        if (param.longest.empty()) continue;
        auto other = std::find_if(verb.params.begin(), verb.params.end(),
                                  [&](const Param& each) { return each.name == param.longest; });
        if (other == verb.params.end()) continue;
        auto shorter = duration_of(param, params);
        auto longer = duration_of(*other, params);
        if (!shorter || !longer || *shorter <= *longer) continue;
        auto at = params.contains(param.name) ? param.name : other->name;
        auto pointer = pointer_append("", at);
        bool reported = std::any_of(issues.begin(), issues.end(), [&](const ParamIssue& issue) {
            return issue.pointer == pointer;
        });
        if (reported) continue;
        issues.push_back({pointer,
                          param.name + " (" + format_duration(*shorter) + ") must be at most " +
                              other->name + " (" + format_duration(*longer) + ")",
                          false});
    }
}

}  // namespace

std::vector<ParamIssue> check_params(const VerbSpec& verb, const Params& given,
                                     const std::vector<int>* node_ids) {
    const auto params = given.is_null() ? nlohmann::json::object() : given;
    if (!params.is_object()) {
        return {{"", "expected a mapping of params, got " + params.dump(), false}};
    }
    std::vector<ParamIssue> issues;
    for (const auto& issue : validate_against_schema(params_schema(verb), params)) {
        // A rule over the whole params (anyOf, dependencies) says it in its own words.
        bool rule = issue.pointer.empty() && verb.rules.is_object() &&
                    issue.message.find("missing required field") == std::string::npos;
        issues.push_back({issue.pointer,
                          rule && !verb.rules_help.empty() ? verb.rules_help : issue.message,
                          issue.about_key});
    }
    // A rule that failed once is one issue, whatever valijson said of its branches.
    std::sort(issues.begin(), issues.end(), [](const ParamIssue& a, const ParamIssue& b) {
        return std::tie(a.pointer, a.message) < std::tie(b.pointer, b.message);
    });
    issues.erase(std::unique(issues.begin(), issues.end(),
                             [](const ParamIssue& a, const ParamIssue& b) {
                                 return a.pointer == b.pointer && a.message == b.message;
                             }),
                 issues.end());
    for (const auto& param : verb.params) {
        if (!params.contains(param.name)) continue;
        const auto& value = params.at(param.name);
        if (!matches_type(param, value)) continue;
        auto message = value_issue(param, value, node_ids);
        if (message.empty()) continue;
        auto pointer = pointer_append("", param.name);
        bool reported = std::any_of(issues.begin(), issues.end(), [&](const ParamIssue& issue) {
            return issue.pointer == pointer;
        });
        if (!reported) issues.push_back({pointer, message, false});
    }
    check_longest(verb, params, issues);
    return issues;
}

void throw_if_invalid(const VerbSpec& verb, const std::vector<ParamIssue>& issues,
                      std::string (*name_of)(const std::string& param)) {
    if (issues.empty()) return;
    std::string message = verb.name + ": ";
    for (size_t i = 0; i < issues.size(); ++i) {
        const auto& issue = issues[i];
        // "/latency" names the param; deeper pointers keep their path.
        auto param = issue.pointer.empty() ? std::string() : issue.pointer.substr(1);
        auto slash = param.find('/');
        auto head = param.substr(0, slash);
        auto shown = name_of && !head.empty() ? name_of(head) : head;
        if (slash != std::string::npos) shown += param.substr(slash);
        message += (i ? "; " : "") + (shown.empty() ? "" : shown + ": ") + issue.message;
    }
    throw bad_input(message);
}

Params params_from_words(const VerbSpec& verb,
                         const std::vector<std::pair<std::string, std::string>>& words) {
    Params params = nlohmann::json::object();
    for (const auto& [given, text] : words) {
        const std::string& name = given;  // a lambda cannot capture a binding before C++20's P1091
        auto declared = std::find_if(verb.params.begin(), verb.params.end(),
                                     [&](const Param& param) { return param.name == name; });
        params[name] =
            declared == verb.params.end() ? nlohmann::json(text) : typed_word(*declared, text);
    }
    return params;
}

CompletedParams complete_params(const VerbSpec& verb, const Params& checked,
                                const ClusterInfo& cluster, std::mt19937_64& random,
                                const std::function<int()>& leader) {
    CompletedParams completed;
    completed.params = checked.is_null() ? nlohmann::json::object() : checked;
    auto& params = completed.params;
    for (const auto& param : verb.params) {
        const nlohmann::json* value = params.contains(param.name) ? &params[param.name] : nullptr;
        if (param.type == ParamType::Node || param.type == ParamType::Nodes) {
            auto choice = resolve_nodes(param, value, cluster, random, leader);
            completed.drawn = completed.drawn || choice.drawn;
            if (choice.ids.empty()) continue;  // left absent: the plugin's to read
            if (param.type == ParamType::Node) {
                params[param.name] = choice.ids.front();
            } else {
                params[param.name] = choice.ids;
            }
            continue;
        }
        if (!value) {
            if (!param.fallback.is_null()) params[param.name] = param.fallback;
            value = params.contains(param.name) ? &params[param.name] : nullptr;
        }
        if (!value || value->is_null()) continue;
        if (param.type == ParamType::NodeGroups) {
            params[param.name] = resolve_node_groups(*value, cluster);
        } else if (param.type == ParamType::Rate) {
            params[param.name] =
                format_rate(value->is_number() ? value->get<int64_t>()
                                               : parse_rate(value->get<std::string>(), param.name));
        } else if (param.type == ParamType::Duration) {
            auto text = value->is_number() ? value->dump() + param.unit : value->get<std::string>();
            params[param.name] = format_duration(parse_duration(text, param.unit));
        } else if (param.type == ParamType::Size && value->is_string()) {
            params[param.name] = parse_size(value->get<std::string>(), param.name);
        }
    }
    return completed;
}

}  // namespace atomixtest
