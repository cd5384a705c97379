// `run`'s record: a results directory per run with one per scenario, JUnit
// with a testcase per assertion, the JSON summary, and the report of a failed
// linearizability check showing the operation that cannot be placed.
#include <gtest/gtest.h>

#include <fstream>

#include "text_search.hpp"

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

fs::path temp_scenario(const std::string& name, const std::string& steps) {
    auto file = fs::temp_directory_path() / (unique_cluster(name) + ".yaml");
    std::ofstream(file) << "name: " << name << "\ncluster: {profile: etcd, nodes: 3}\n" << steps;
    return file;
}

TEST(RunRecord, AStaleReadFailsItsAssertionAndTheReportShowsTheWindow) {
    auto results = fs::temp_directory_path() / unique_cluster("record-stale");
    auto scenario = source_dir() / "tests/integration/data/stale-read.yaml";
    auto result = cli({"run", scenario.string(), "--results", results.string(), "--json", "--edn"});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    // --json: stdout is the summary alone.
    auto summary = nlohmann::json::parse(result.out);
    ASSERT_EQ(summary["scenarios"].size(), 1u);
    const auto& stale = summary["scenarios"][0];
    EXPECT_EQ(stale["verdict"], "failed");
    EXPECT_EQ(stale["assertions"][0]["verb"], "linearizable");
    EXPECT_FALSE(stale["assertions"][0]["passed"].get<bool>());
    EXPECT_TRUE(stale["assertions"][1]["passed"].get<bool>()) << "each assertion is judged\n"
                                                              << result.err;

    auto dir = results / "stale-read";
    for (const char* file : {"history.jsonl", "history.edn", "check.json", "summary.json",
                             "report.html", "scenario.yaml", "command.txt", "logs/node-3.log"}) {
        EXPECT_TRUE(fs::exists(dir / file)) << file;
    }
    auto check = nlohmann::json::parse(read_file(dir / "check.json"));
    EXPECT_EQ(check["verdict"], "not linearizable");
    auto report = read_file(dir / "report.html");
    EXPECT_NE(report.find("Failing window"), std::string::npos);
    EXPECT_EQ(count_of(report, "<rect class=\"failing\""), 1u) << "the stale read, marked";
    EXPECT_NE(report.find("net.isolate (node 3)"), std::string::npos) << "the fault, labelled";

    auto junit = read_file(results / "junit.xml");
    EXPECT_NE(junit.find("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"0\""),
              std::string::npos)
        << junit;
    EXPECT_NE(junit.find("name=\"assert 1: linearizable (" + scenario.string() + ":19:5)\""),
              std::string::npos)
        << junit;
    EXPECT_EQ(count_of(junit, "<failure "), 1u);
    fs::remove_all(results);
}

TEST(RunRecord, FailFastStopsAndFilterChoosesTheScenarios) {
    auto failing = temp_scenario("record-fails",
                                 "steps:\n  - map.put: {node: 1, map: m, key: k, value: a}\n"
                                 "assert:\n  - map.get: {node: 1, map: m, key: k, expect: b}\n");
    auto passing = temp_scenario("record-passes", "steps:\n  - sleep: {duration: 1ms}\n");
    auto results = fs::temp_directory_path() / unique_cluster("record-ff");
    auto result = cli(
        {"run", failing.string(), passing.string(), "--fail-fast", "--results", results.string()});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    auto summary = nlohmann::json::parse(read_file(results / "summary.json"));
    EXPECT_EQ(summary["failed"], 1);
    EXPECT_EQ(summary["not_run"], 1) << "stopped after the first failure";

    auto only = cli({"run", failing.string(), passing.string(), "--filter", "record-pass*",
                     "--results", (results / "filtered").string()});
    EXPECT_EQ(only.exit_code, 0) << only.out << only.err;
    EXPECT_NE(only.out.find("1 passed, 0 failed"), std::string::npos) << only.out;
    auto none = cli({"run", failing.string(), "--filter", "nothing-*"});
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_NE(none.err.find("no scenario matches --filter 'nothing-*'"), std::string::npos)
        << none.err;
    fs::remove_all(results);
    fs::remove(failing);
    fs::remove(passing);
}

}  // namespace
}  // namespace atomixtest::testing
