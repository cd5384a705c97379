// What is written from the verbs' declarations is written from them: the
// shipped scenario schema and the README's table of steps are exactly what
// `atomix-test plugins --schema|--markdown` makes of the built-in plugins.
// Change a param's default and these fail until the files are made again.
#include "session/verb_documents.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "build_paths.hpp"
#include "scenario/scenario.hpp"
#include "session/workspace.hpp"

namespace atomixtest {
namespace {

std::string read(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

const VerbCatalog& shipped_catalog() {
    static Workspace* workspace = [] {
        setenv("ATOMIX_TEST_PROFILE_PATH", testing::profile_dir().c_str(), 1);
        return new Workspace({testing::plugin_dir()});
    }();
    return workspace->catalog();
}

TEST(VerbDocuments, TheShippedSchemaIsTheOneTheDeclarationsMake) {
    auto shipped =
        nlohmann::json::parse(read(testing::source_dir() / "schemas/scenario.schema.json"));
    auto made = scenario_schema_with_verbs(shipped, shipped_catalog());
    EXPECT_TRUE(shipped == made)
        << "schemas/scenario.schema.json is out of date: scripts/docs writes it again";
    // A verb's params, its default included, are in it.
    EXPECT_EQ(made["$defs"]["verbs"]["net.delay"]["properties"]["latency"]["default"], "50ms");
    EXPECT_EQ(made["$defs"]["step"]["properties"]["net.delay"]["$ref"], "#/$defs/verbs/net.delay");
}

TEST(VerbDocuments, TheLoaderChecksStepsAgainstTheLiveCatalogNotTheFile) {
    auto structure = load_scenario_schema();
    EXPECT_FALSE(structure["$defs"].contains("verbs"));
    EXPECT_EQ(structure["$defs"]["step"]["properties"].size(), 1u) << "during: only";
}

TEST(VerbDocuments, TheReadmeTableIsTheOneTheDeclarationsMake) {
    auto readme = read(testing::source_dir() / "README.md");
    const std::string begin = "<!-- steps: atomix-test plugins --markdown -->\n";
    const std::string end = "<!-- end of steps -->";
    auto from = readme.find(begin);
    auto to = readme.find(end);
    ASSERT_NE(from, std::string::npos) << "the README has no generated table of steps";
    ASSERT_NE(to, std::string::npos);
    auto table = readme.substr(from + begin.size(), to - from - begin.size());
    EXPECT_EQ(table, verbs_markdown(shipped_catalog()))
        << "the README's table of steps is out of date: scripts/docs writes it again";
}

}  // namespace
}  // namespace atomixtest
