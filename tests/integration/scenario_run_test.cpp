// `atomix-test run` on real etcd clusters: a passing scenario, a scenario with a
// wrong expectation, JUnit output, and nothing left behind either way.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

size_t local_clusters() {
    size_t count = 0;
    std::error_code error;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(state_dir() / "local", error)) {
        ++count;
    }
    return count;
}

TEST(ScenarioRun, IsolationScenarioPassesAndWritesJunit) {
    auto junit =
        std::filesystem::temp_directory_path() / ("junit-" + unique_cluster("pass") + ".xml");
    auto before = local_clusters();
    auto result =
        cli({"run", (source_dir() / "scenarios/etcd/isolated-node-keeps-data.yaml").string(),
             "--junit", junit.string()});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("PASS isolated-node-keeps-data"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("1 passed, 0 failed"), std::string::npos) << result.out;
    auto xml = read_file(junit);
    EXPECT_NE(xml.find("<testcase"), std::string::npos);
    EXPECT_NE(xml.find("name=\"isolated-node-keeps-data\""), std::string::npos);
    EXPECT_EQ(xml.find("<failure"), std::string::npos);
    EXPECT_EQ(local_clusters(), before) << "the scenario's cluster is torn down";
    std::filesystem::remove(junit);
}

TEST(ScenarioRun, CounterAndValueStepsRunOnEtcdAsOnAtomix) {
    auto result =
        cli({"run", (source_dir() / "tests/integration/data/etcd-registers.yaml").string()});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("PASS etcd-registers"), std::string::npos) << result.out;
}

TEST(ScenarioRun, WrongExpectationFailsWithExitOneNamingStepAndLine) {
    auto junit =
        std::filesystem::temp_directory_path() / ("junit-" + unique_cluster("fail") + ".xml");
    auto before = local_clusters();
    auto file = source_dir() / "tests/integration/data/wrong-expect.yaml";
    auto result = cli({"run", file.string(), "--junit", junit.string()});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.out.find("FAIL wrong-expect"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("wrong-expect.yaml:7:5:"), std::string::npos)
        << "the failing step's line\n"
        << result.out;
    EXPECT_NE(result.out.find("step 'map.get'"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("expected \"wrong\", got \"right\""), std::string::npos)
        << result.out;
    EXPECT_NE(read_file(junit).find("<failure message="), std::string::npos);
    EXPECT_EQ(local_clusters(), before) << "a failed scenario's cluster is torn down too";
    std::filesystem::remove(junit);
}

TEST(ScenarioRun, MalformedScenarioIsRejectedBeforeAnyClusterExists) {
    auto before = local_clusters();
    auto result = cli({"run", (source_dir() / "tests/integration/data/malformed.yaml").string()});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("malformed.yaml:4:"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("net.isolate"), std::string::npos) << "suggests the close match";
    EXPECT_EQ(local_clusters(), before);
}

}  // namespace
}  // namespace atomixtest::testing
