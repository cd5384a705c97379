// The scenario model and its loader. Loading checks everything that can be
// checked before a cluster exists: YAML syntax, the scenario schema, that each
// step names a known verb with valid params, the profile and the backend; all
// problems are reported at once, each with its file:line:column.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "atomixtest/verb.hpp"
#include "entropy/entropy_run.hpp"
#include "scenario/marked_yaml.hpp"

namespace atomixtest {

struct Step {
    std::string verb;  // "net.isolate", "map.get", "node.kill", "sleep"
    Params params;
    std::vector<Step> during;
    SourceMark mark;      // of the verb
    std::string pointer;  // JSON Pointer of the step in the scenario
};

struct ScenarioCluster {
    std::string backend = "local";
    std::string profile;
    int nodes = 3;
};

struct Scenario {
    std::string name;
    std::string description;
    std::string file;
    ScenarioCluster cluster;
    std::vector<Step> steps;
    std::vector<Step> asserts;
    // The `entropy:` block: a randomized fault run after the steps, before the
    // assertions (whose linearizable and availability then judge it too).
    std::optional<EntropyOptions> entropy;
    std::optional<uint64_t> entropy_seed;  // the block's own seed, else the run's
    SourceMark mark;
};

// What a scenario may name; built from the plugins and profiles found.
struct VerbCatalog {
    std::map<std::string, VerbSpec> verbs;  // by the full name written in scenarios
    std::vector<std::string> profiles;
    std::vector<std::string> backends;
};

Scenario parse_scenario(const std::string& text, const std::string& file,
                        const VerbCatalog& catalog, const nlohmann::json& schema);
Scenario load_scenario(const std::filesystem::path& file, const VerbCatalog& catalog,
                       const nlohmann::json& schema);

// schemas/scenario.schema.json: from $ATOMIX_TEST_SCHEMA_DIR, else `schemas`
// beside the executable, else <prefix>/share/atomix-test/schemas, else the
// source tree this was built from.
nlohmann::json load_scenario_schema();

// Up to three known names closest to a misspelt one, best first.
std::vector<std::string> close_matches(const std::string& name,
                                       const std::vector<std::string>& known);

}  // namespace atomixtest
