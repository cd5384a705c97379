// The installed tree works on its own: `cmake --install` into a fresh prefix,
// then the installed CLI finds its plugins, profiles and schema there, with
// the build tree out of its reach, and runs a real cluster.
#include <gtest/gtest.h>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

TEST(Install, InstalledTreeFindsItsPluginsProfilesAndSchema) {
    auto prefix = std::filesystem::temp_directory_path() / unique_cluster("atomix-test-prefix");
    std::filesystem::remove_all(prefix);
    auto install = run_process(
        {.argv = {"cmake", "--install", build_dir().string(), "--prefix", prefix.string()}});
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    auto cli = (prefix / "bin/atomix-test").string();
    for (const auto* part :
         {"lib/atomix-test/plugins/atomixtest-fault-net.so",
          "lib/atomix-test/plugins/atomixtest-local-supervisor",
          "share/atomix-test/profiles/etcd.yaml", "share/atomix-test/schemas/scenario.schema.json",
          "include/atomixtest/plugin.hpp"}) {
        EXPECT_TRUE(std::filesystem::exists(prefix / part)) << part;
    }

    // A scenario with a typo: the suggestion comes from the installed net plugin.
    auto malformed = run_process(
        {.argv = {cli, "run", (source_dir() / "tests/integration/data/malformed.yaml").string()}});
    EXPECT_EQ(malformed.exit_code, 2);
    EXPECT_NE(malformed.err.find("did you mean: net.isolate"), std::string::npos) << malformed.err;

    // A real cluster through the installed backend, supervisor and profile.
    auto name = unique_cluster("it-install");
    auto setup = run_process({.argv = {cli, "cluster", name, "setup", "-c", "etcd", "-n", "1"},
                              .timeout = std::chrono::minutes(1)});
    EXPECT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    auto nodes = run_process({.argv = {cli, "cluster", name, "nodes", "--json"}});
    EXPECT_NE(nodes.out.find("\"running\""), std::string::npos) << nodes.out << nodes.err;
    auto teardown = run_process({.argv = {cli, "cluster", name, "teardown"}});
    EXPECT_EQ(teardown.exit_code, 0) << teardown.err;
    EXPECT_TRUE(namespaces_of(name).empty());
    std::filesystem::remove_all(prefix);
}

}  // namespace
}  // namespace atomixtest::testing
