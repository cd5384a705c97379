// fuzz_scenario: the loader with the catalog of the build's real plugins and
// profiles (as scenario_loader_test uses), built once per process: loading
// plugins is far slower than one parse, and the catalog never changes.
#include <cstdlib>
#include <fstream>
#include <string>

#include "atomixtest/error.hpp"
#include "build_paths.hpp"
#include "fuzz_entries.hpp"
#include "scenario/scenario.hpp"
#include "session/verb_catalog.hpp"
#include "session/workspace.hpp"

namespace atomixtest::fuzz {

namespace {

struct LoaderInputs {
    LoaderInputs() : workspace({testing::plugin_dir()}) {
        // The profiles the catalog lists come from the profile path; a user's
        // setting wins, else the build's.
        setenv("ATOMIX_TEST_PROFILE_PATH", testing::profile_dir().c_str(), 0);
        catalog = build_verb_catalog(workspace);
        std::ifstream in(testing::source_dir() / "schemas/scenario.schema.json");
        schema = nlohmann::json::parse(in);
    }
    Workspace workspace;
    VerbCatalog catalog;
    nlohmann::json schema;
};

const LoaderInputs& loader_inputs() {
    static const LoaderInputs inputs;
    return inputs;
}

}  // namespace

void load_scenario_catalog() {
    loader_inputs();
}

int fuzz_scenario(const uint8_t* data, size_t size) {
    const auto& inputs = loader_inputs();
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        parse_scenario(text, "fuzz.yaml", inputs.catalog, inputs.schema);
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::BadInput) throw;
    }
    return 0;
}

}  // namespace atomixtest::fuzz
