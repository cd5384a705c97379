// The scenario model and its loader. Loading checks everything that can be
// checked before a cluster exists: YAML syntax, the scenario schema, that each
// step names a known verb (a client verb of the scenario's own system) with
// params its declaration accepts (durations in range, node ids the cluster
// will have at that step, node.add steps counted), the profile and the
// backend; all problems are reported at once, each with its file:line:column.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "atomixtest/verb.hpp"
#include "scenario/entropy_options.hpp"
#include "scenario/marked_yaml.hpp"
#include "session/verb_catalog.hpp"

namespace atomixtest {

// The most nodes a scenario's cluster may have (the schema's cluster.nodes
// maximum; scenario_loader_test keeps the two equal).
constexpr int kMaxClusterNodes = 240;

struct Step {
    std::string verb;  // "net.isolate", "map.get", "node.kill", "sleep"
    VerbEntry entry;   // what the verb resolved to, once, when the scenario was read
    Params params;
    std::vector<Step> during;
    SourceMark mark;      // of the verb
    std::string pointer;  // JSON Pointer of the step in the scenario
};

struct ScenarioCluster {
    std::string backend = "local";
    std::string profile;
    int nodes = 3;  // 1 to kMaxClusterNodes
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

Scenario parse_scenario(const std::string& text, const std::string& file,
                        const VerbCatalog& catalog, const nlohmann::json& schema);
Scenario load_scenario(const std::filesystem::path& file, const VerbCatalog& catalog,
                       const nlohmann::json& schema);

// Whether the scenario needs its nodes' data dirs on lazy disks: a disk.*
// step, node.kill with lose_unfsynced, or such an entropy function.
bool wants_lazy_disk(const Scenario& scenario);

// schemas/scenario.schema.json: from $ATOMIX_TEST_SCHEMA_DIR, else `schemas`
// beside the executable, else <prefix>/share/atomix-test/schemas, else the
// source tree this was built from.
nlohmann::json load_scenario_schema();

}  // namespace atomixtest
