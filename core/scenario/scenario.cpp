#include "scenario/scenario.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "scenario/entropy_block.hpp"
#include "scenario/step_reader.hpp"
#include "session/verb_documents.hpp"
#include "util/paths.hpp"
#include "util/schema_validation.hpp"

namespace atomixtest {

namespace fs = std::filesystem;

Scenario parse_scenario(const std::string& text, const std::string& file,
                        const VerbCatalog& catalog, const nlohmann::json& schema) {
    auto doc = parse_marked_yaml(text, file);
    StepReader reader(doc, catalog);
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
            // A count the schema refuses (its error is reported with the
            // others) is not taken: 7766279631452241920 would not fit an int,
            // and every later check walks the node ids.
            if (cluster.contains("nodes") && cluster["nodes"].is_number_integer()) {
                auto nodes = cluster["nodes"].get<int64_t>();
                if (nodes >= 1 && nodes <= kMaxClusterNodes)
                    scenario.cluster.nodes = static_cast<int>(nodes);
            }
        }
        auto client = catalog.profile_clients.find(scenario.cluster.profile);
        reader.set_cluster(client == catalog.profile_clients.end() ? "" : client->second,
                           scenario.cluster.nodes,
                           catalog.profiles_with_leader.count(scenario.cluster.profile) > 0);
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
                std::vector<int> ids;
                for (int id = 1; id <= scenario.cluster.nodes; ++id) ids.push_back(id);
                check_fault_functions(catalog, scenario.entropy->functions, ids);
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

namespace {

bool step_wants_lazy_disk(const Step& step) {
    if (step.verb.rfind("disk.", 0) == 0) return true;
    if (step.verb == "node.kill" && step.params.is_object() &&
        step.params.value("lose_unfsynced", false)) {
        return true;
    }
    return std::any_of(step.during.begin(), step.during.end(), step_wants_lazy_disk);
}

}  // namespace

bool wants_lazy_disk(const Scenario& scenario) {
    return std::any_of(scenario.steps.begin(), scenario.steps.end(), step_wants_lazy_disk) ||
           std::any_of(scenario.asserts.begin(), scenario.asserts.end(), step_wants_lazy_disk) ||
           (scenario.entropy && wants_lazy_disk(scenario.entropy->functions));
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
        // The per-verb part is for editors; steps are checked against the
        // live catalog (session/verb_documents.hpp).
        return structure_of(schema);
    }
    throw environment_error("scenario.schema.json not found (reinstall atomix-test)");
}

}  // namespace atomixtest
