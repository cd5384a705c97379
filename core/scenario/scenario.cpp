#include "scenario/scenario.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "scenario/entropy_block.hpp"
#include "scenario/schema_validation.hpp"
#include "util/paths.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

namespace {

struct Issue {
    SourceMark mark;
    std::string field;  // the pointer, as a path people read: steps/1/net.isolate/node
    std::string message;
};

class ScenarioReader {
  public:
    ScenarioReader(const MarkedDocument& doc, const VerbCatalog& catalog)
        : doc_(doc), catalog_(catalog) {
        for (const auto& [name, spec] : catalog.verbs) verb_names_.push_back(name);
    }

    // about_key: the mistake is the key itself (a misspelt verb or field), so
    // point at the key rather than at its value.
    void report(const std::string& pointer, const std::string& message, bool about_key = false) {
        issues_.push_back({about_key ? doc_.key_mark_of(pointer) : doc_.mark_of(pointer),
                           pointer.empty() ? "(top)" : pointer.substr(1), message});
    }

    std::vector<Step> read_steps(const std::string& pointer) {
        std::vector<Step> steps;
        nlohmann::json::json_pointer json_pointer(pointer);
        if (!doc_.value.contains(json_pointer)) return steps;
        const auto& list = doc_.value.at(json_pointer);
        if (!list.is_array()) return steps;
        for (size_t i = 0; i < list.size(); ++i) {
            if (auto step = read_step(list[i], pointer_append(pointer, i))) steps.push_back(*step);
        }
        return steps;
    }

    void check_choice(const std::string& pointer, const std::string& value,
                      const std::vector<std::string>& known, const std::string& what) {
        if (std::find(known.begin(), known.end(), value) != known.end()) return;
        std::string list;
        for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
        report(pointer, "unknown " + what + " '" + value +
                            "' (available: " + (list.empty() ? "none" : list) + ")");
    }

    void throw_if_any() {
        if (issues_.empty()) return;
        std::sort(issues_.begin(), issues_.end(), [](const Issue& a, const Issue& b) {
            return std::tie(a.mark.line, a.mark.column) < std::tie(b.mark.line, b.mark.column);
        });
        std::string message;
        for (const auto& issue : issues_) {
            message += (message.empty() ? "" : "\n") + format_mark(issue.mark) + ": " +
                       issue.field + ": " + issue.message;
        }
        throw bad_input(message);
    }

  private:
    std::optional<Step> read_step(const nlohmann::json& value, const std::string& pointer) {
        if (!value.is_object()) return std::nullopt;  // the schema has said so
        std::vector<std::string> verbs;
        for (const auto& [key, params] : value.items()) {
            if (key != "during") verbs.push_back(key);
        }
        if (verbs.size() != 1) {
            report(pointer, verbs.empty() ? "a step needs a verb (e.g. map.get, net.isolate)"
                                          : "a step names exactly one verb, found " +
                                                std::to_string(verbs.size()));
            return std::nullopt;
        }
        Step step;
        step.verb = verbs.front();
        step.pointer = pointer_append(pointer, step.verb);
        step.mark = doc_.key_mark_of(step.pointer);
        step.params = value[step.verb].is_null() ? nlohmann::json::object() : value[step.verb];
        auto spec = catalog_.verbs.find(step.verb);
        if (spec == catalog_.verbs.end()) {
            auto matches = close_matches(step.verb, verb_names_);
            std::string hint;
            for (const auto& match : matches) hint += (hint.empty() ? "" : ", ") + match;
            report(step.pointer,
                   "unknown step '" + step.verb + "'" +
                       (hint.empty() ? "" : "; did you mean: " + hint + "?"),
                   true);
        } else {
            check_params(step, spec->second);
        }
        if (value.contains("during")) {
            if (spec != catalog_.verbs.end() && !spec->second.scoped) {
                std::string scoped;
                for (const auto& [name, candidate] : catalog_.verbs) {
                    if (candidate.scoped) scoped += (scoped.empty() ? "" : ", ") + name;
                }
                report(pointer_append(pointer, "during"),
                       "step '" + step.verb +
                           "' cannot have during: only faults with an undo can (" + scoped + ")");
            }
            step.during = read_steps(pointer_append(pointer, "during"));
        }
        return step;
    }

    void check_params(const Step& step, const VerbSpec& spec) {
        if (!step.params.is_object()) return;
        for (const auto& issue : validate_against_schema(spec.params, step.params)) {
            report(step.pointer + issue.pointer, issue.message, issue.about_key);
        }
        // Durations are checked by the parser the runner will use.
        if (!spec.params.contains("properties")) return;
        for (const auto& [name, schema] : spec.params["properties"].items()) {
            if (!step.params.contains(name) || !step.params[name].is_string()) continue;
            if (schema.value("pattern", "") != kDurationPattern) continue;
            const auto& text = step.params[name].get<std::string>();
            if (!std::regex_match(text, std::regex(kDurationPattern))) continue;  // reported
            try {
                parse_duration(text);
            } catch (const Error& error) {
                // Well-formed but out of range (99999999h).
                report(step.pointer + "/" + name, error.what());
            }
        }
    }

    const MarkedDocument& doc_;
    const VerbCatalog& catalog_;
    std::vector<std::string> verb_names_;
    std::vector<Issue> issues_;
};

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& file,
                        const VerbCatalog& catalog, const nlohmann::json& schema) {
    auto doc = parse_marked_yaml(text, file);
    ScenarioReader reader(doc, catalog);
    bool entropy_fits_schema = true;
    for (const auto& issue : validate_against_schema(schema, doc.value)) {
        reader.report(issue.pointer, issue.message, issue.about_key);
        if (issue.pointer == "/entropy" || issue.pointer.rfind("/entropy/", 0) == 0) {
            entropy_fits_schema = false;
        }
    }
    Scenario scenario;
    scenario.file = file;
    scenario.mark = doc.mark_of("");
    if (doc.value.is_object()) {
        const auto& root = doc.value;
        if (root.contains("name") && root["name"].is_string()) scenario.name = root["name"];
        if (root.contains("description") && root["description"].is_string()) {
            scenario.description = root["description"];
        }
        if (root.contains("cluster") && root["cluster"].is_object()) {
            const auto& cluster = root["cluster"];
            if (cluster.contains("backend") && cluster["backend"].is_string()) {
                scenario.cluster.backend = cluster["backend"];
                reader.check_choice("/cluster/backend", scenario.cluster.backend, catalog.backends,
                                    "backend");
            }
            if (cluster.contains("profile") && cluster["profile"].is_string()) {
                scenario.cluster.profile = cluster["profile"];
                reader.check_choice("/cluster/profile", scenario.cluster.profile, catalog.profiles,
                                    "profile");
            }
            if (cluster.contains("nodes") && cluster["nodes"].is_number_integer()) {
                scenario.cluster.nodes = cluster["nodes"];
            }
        }
        scenario.steps = reader.read_steps("/steps");
        scenario.asserts = reader.read_steps("/assert");
        // entropy_options_of relies on the schema (one key per function, the
        // types of every option): a block the schema refused is reported as
        // such, not read.
        if (entropy_fits_schema && root.contains("entropy") && root["entropy"].is_object() &&
            root["entropy"].contains("functions") && root["entropy"]["functions"].is_array()) {
            try {
                scenario.entropy = entropy_options_of(root["entropy"]);
                validate_entropy_options(*scenario.entropy);
                if (root["entropy"].contains("seed") &&
                    root["entropy"]["seed"].is_number_unsigned()) {
                    scenario.entropy_seed = root["entropy"]["seed"].get<uint64_t>();
                }
            } catch (const Error& error) {
                reader.report("/entropy", error.what());
            }
        }
    }
    reader.throw_if_any();
    return scenario;
}

Scenario load_scenario(const fs::path& file, const VerbCatalog& catalog,
                       const nlohmann::json& schema) {
    return parse_scenario(read_scenario_text(file), file.string(), catalog, schema);
}

nlohmann::json load_scenario_schema() {
    auto candidates = search_path("ATOMIX_TEST_SCHEMA_DIR", "schemas", "share/atomix-test/schemas");
    candidates.push_back(ATOMIXTEST_SOURCE_SCHEMA_DIR);
    for (const auto& dir : candidates) {
        std::ifstream in(dir / "scenario.schema.json");
        if (!in) continue;
        auto schema = nlohmann::json::parse(in, nullptr, false);
        if (schema.is_discarded()) {
            throw Error(ErrorKind::Internal,
                        (dir / "scenario.schema.json").string() + " is not JSON");
        }
        return schema;
    }
    throw environment_error("scenario.schema.json not found (reinstall atomix-test)");
}

}  // namespace atomixtest
