// The scenario loader: every mistake is reported with the file:line:column to
// fix, the field, and what is allowed; a valid file gives the model the runner
// executes. The catalog comes from the real plugins and profiles of the build.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "atomixtest/error.hpp"
#include "build_paths.hpp"
#include "scenario/scenario.hpp"
#include "scenario_fixture.hpp"
#include "session/verb_catalog.hpp"
#include "session/workspace.hpp"

namespace atomixtest {
namespace {

class ScenarioLoader : public testing::ScenarioFixture {};

const std::string kHead = "name: t\ncluster: {profile: etcd}\nsteps:\n";

TEST_F(ScenarioLoader, MisspeltStepNamesItsKeyAndTheCloseMatches) {
    EXPECT_EQ(error_for(kHead + "  - net.isolat: {node: 1}\n"),
              "s.yaml:4:5: steps/0/net.isolat: unknown step 'net.isolat'; did you mean: "
              "net.isolate, net.unisolate?");
}

TEST_F(ScenarioLoader, WrongTypeNamesTheValueAndTheExpectedType) {
    EXPECT_EQ(error_for("name: t\ncluster: {profile: etcd, nodes: three}\nsteps:\n"
                        "  - sleep: {duration: 1s}\n"),
              "s.yaml:2:33: cluster/nodes: expected an integer, got the string \"three\"");
}

TEST_F(ScenarioLoader, MissingFieldNamesTheObjectThatLacksIt) {
    EXPECT_EQ(error_for("name: t\nsteps:\n  - sleep: {duration: 1s}\n"),
              "s.yaml:1:1: (top): missing required field 'cluster'");
    EXPECT_EQ(error_for(kHead + "  - map.get: {node: 1, map: m}\n"),
              "s.yaml:4:14: steps/0/map.get: missing required field 'key'");
}

TEST_F(ScenarioLoader, UnknownProfileListsTheAvailableOnes) {
    EXPECT_EQ(
        error_for("name: t\ncluster: {profile: etcdd}\nsteps:\n  - sleep: {duration: 1s}\n"),
        "s.yaml:2:20: cluster/profile: unknown profile 'etcdd' (available: client, consensus, "
        "consensus-flush-on-commit, consensus-lease, consensus-linearizable, "
        "consensus-linearizable-mapped, consensus-linearizable-mapped-flush, data-grid, etcd, "
        "etcd-no-fsync, etcd-serializable, etcd-txn-serializable)");
}

TEST_F(ScenarioLoader, BadDurationSaysWhatADurationLooksLike) {
    auto message = error_for(kHead + "  - sleep: {duration: 10x}\n");
    EXPECT_EQ(message.rfind("s.yaml:4:23: steps/0/sleep/duration: invalid duration ", 0), 0u)
        << message;
    EXPECT_NE(message.find("\"10x\""), std::string::npos) << message;
    EXPECT_NE(message.find("a duration such as 500ms, 2s, 1m30s"), std::string::npos) << message;
}

TEST_F(ScenarioLoader, UnknownFieldPointsAtTheKeyAndListsTheAllowedOnes) {
    EXPECT_EQ(error_for(kHead + "  - sleep: {duration: 1s}\nasserts: []\n"),
              "s.yaml:5:1: asserts: unknown field 'asserts' (allowed: assert, cluster, "
              "description, entropy, name, steps)");
    auto message = error_for(kHead + "  - map.get: {node: 1, map: m, key: a, kye: b}\n");
    EXPECT_EQ(message.rfind("s.yaml:4:40: steps/0/map.get/kye: unknown field 'kye' (allowed: ", 0),
              0u)
        << message;
}

TEST_F(ScenarioLoader, OutOfRangeNodeSaysTheBound) {
    EXPECT_EQ(error_for(kHead + "  - node.kill: {node: 0}\n"),
              "s.yaml:4:23: steps/0/node.kill/node: must be at least 1, got 0");
}

TEST_F(ScenarioLoader, DuringOnlyOnFaultsThatCanBeUndone) {
    auto message = error_for(kHead +
                             "  - node.start: {node: 1}\n    during:\n"
                             "      - sleep: {duration: 1s}\n");
    EXPECT_EQ(message.rfind("s.yaml:6:7: steps/0/during: step 'node.start' cannot have during: "
                            "only faults with an undo can (",
                            0),
              0u)
        << message;
    EXPECT_NE(message.find("net.isolate"), std::string::npos) << message;
}

TEST_F(ScenarioLoader, YamlSyntaxErrorNamesItsPosition) {
    auto message = error_for(kHead + "  - sleep: {duration: 1s\n");
    EXPECT_EQ(message.rfind("s.yaml:5:1: ", 0), 0u) << message;
}

TEST_F(ScenarioLoader, DuplicateKeyIsRefused) {
    EXPECT_EQ(
        error_for("name: t\nname: u\ncluster: {profile: etcd}\nsteps: [{sleep: {duration: 1s}}]\n"),
        "s.yaml:2:1: duplicate key 'name'");
}

TEST_F(ScenarioLoader, EveryMistakeIsReportedAtOnceInFileOrder) {
    auto message = error_for(
        "name: t\ncluster: {profile: nope, nodes: 0}\nsteps:\n"
        "  - sleeep: {duration: 1s}\n  - sleep: {duration: soon}\n");
    std::vector<std::string> lines;
    std::stringstream stream(message);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    ASSERT_EQ(lines.size(), 4u) << message;
    EXPECT_EQ(lines[0].rfind("s.yaml:2:20: cluster/profile: unknown profile 'nope'", 0), 0u);
    EXPECT_EQ(lines[1].rfind("s.yaml:2:33: cluster/nodes: must be at least 1, got 0", 0), 0u);
    EXPECT_EQ(
        lines[2].rfind("s.yaml:4:5: steps/0/sleeep: unknown step 'sleeep'; did you mean: sleep", 0),
        0u);
    EXPECT_EQ(lines[3].rfind("s.yaml:5:23: steps/1/sleep/duration: invalid duration \"soon\"", 0),
              0u);
}

// Found by the scenario fuzzer: a node count past int (the schema refuses it)
// was still taken, and the node ids walked for minutes.
TEST_F(ScenarioLoader, AHugeNodeCountIsRefusedAtOnce) {
    auto message = error_for(
        "name: t\ncluster: {profile: etcd, nodes: 07766279631452241920}\n"
        "steps: [{sleep: {duration: 1s}}]\n");
    EXPECT_EQ(message.rfind(
                  "s.yaml:2:33: cluster/nodes: must be at most 240, got 7766279631452241920", 0),
              0u)
        << message;
}

TEST_F(ScenarioLoader, TheMostNodesIsTheSchemasMaximum) {
    std::ifstream in(atomixtest::testing::source_dir() / "schemas/scenario.schema.json");
    auto schema = nlohmann::json::parse(in);
    EXPECT_EQ(schema["properties"]["cluster"]["properties"]["nodes"]["maximum"], kMaxClusterNodes);
}

TEST_F(ScenarioLoader, ValidScenarioGivesTheModel) {
    auto scenario = parse(
        "name: model\n"
        "cluster: {backend: local, profile: etcd, nodes: 5}\n"
        "steps:\n"
        "  - map.put: {node: 2, map: m, key: k, value: \"1\"}\n"
        "  - net.isolate: {node: 1}\n"
        "    during:\n"
        "      - map.get: {node: 1, map: m, key: k, fails: true, timeout: 2s}\n"
        "assert:\n"
        "  - map.get: {node: 3, map: m, key: k, expect: \"1\"}\n");
    EXPECT_EQ(scenario.name, "model");
    EXPECT_EQ(scenario.cluster.backend, "local");
    EXPECT_EQ(scenario.cluster.profile, "etcd");
    EXPECT_EQ(scenario.cluster.nodes, 5);
    ASSERT_EQ(scenario.steps.size(), 2u);
    EXPECT_EQ(scenario.steps[0].verb, "map.put");
    EXPECT_EQ(scenario.steps[0].params["value"], "1") << "a quoted scalar stays a string";
    EXPECT_EQ(scenario.steps[0].params["node"], 2);
    EXPECT_EQ(scenario.steps[0].mark.line, 4);
    EXPECT_EQ(scenario.steps[0].mark.column, 5);
    ASSERT_EQ(scenario.steps[1].during.size(), 1u);
    EXPECT_EQ(scenario.steps[1].during[0].verb, "map.get");
    EXPECT_EQ(scenario.steps[1].during[0].params["fails"], true);
    EXPECT_EQ(scenario.steps[1].during[0].mark.line, 7);
    ASSERT_EQ(scenario.asserts.size(), 1u);
    EXPECT_EQ(scenario.asserts[0].params["expect"], "1");
}

TEST_F(ScenarioLoader, DefaultsAreThreeLocalNodes) {
    auto scenario = parse(kHead + "  - sleep: {duration: 1s}\n");
    EXPECT_EQ(scenario.cluster.backend, "local");
    EXPECT_EQ(scenario.cluster.nodes, 3);
}

TEST_F(ScenarioLoader, EveryShippedScenarioLoads) {
    int loaded = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(testing::source_dir() / "scenarios")) {
        if (entry.path().extension() != ".yaml") continue;
        EXPECT_NO_THROW(load_scenario(entry.path(), *catalog_, *schema_)) << entry.path();
        ++loaded;
    }
    EXPECT_GE(loaded, 3);
}

TEST_F(ScenarioLoader, TextThatIsNotUtf8IsRefusedWhereItIs) {
    EXPECT_EQ(error_for(kHead + "  - map.get: {node: 1, map: \"m\xfe\", key: k}\n"),
              "s.yaml:4:29: not UTF-8 text (byte 0xFE at offset 1 of this value)");
}

TEST_F(ScenarioLoader, AStrobesPeriodLongerThanItsDurationIsNamedAtThePeriod) {
    EXPECT_EQ(error_for(kHead + "  - clock.strobe: {node: 1, period: 10s, duration: 5s}\n"),
              "s.yaml:4:37: steps/0/clock.strobe/period: period (10s) must be at most duration "
              "(5s)");
    // Against the default duration (5s) when only the period is given.
    EXPECT_EQ(error_for(kHead + "  - clock.strobe: {node: 1, period: 6s}\n"),
              "s.yaml:4:37: steps/0/clock.strobe/period: period (6s) must be at most duration "
              "(5s)");
    EXPECT_EQ(error_for(kHead + "  - clock.strobe: {period: 0ms}\n"),
              "s.yaml:4:28: steps/0/clock.strobe/period: at least 1ms, got 0ms");
    EXPECT_EQ(error_for(kHead + "  - clock.rate: {rate: 0}\n"),
              "s.yaml:4:24: steps/0/clock.rate/rate: must be at least 0.01, got 0");
    auto offset = error_for(kHead + "  - clock.bump: {offset: 5}\n");
    EXPECT_EQ(offset.rfind("s.yaml:4:26: steps/0/clock.bump/offset: ", 0), 0u) << offset;
}

TEST_F(ScenarioLoader, ClockFunctionsInAnEntropyBlockReadAsOnTheCommandLine) {
    auto scenario =
        parse(kHead +
              "  - sleep: {duration: 1s}\nentropy:\n  functions:\n"
              "    - clock: {every: 5s, bump: -1h, rate: 1.5, strobe: true, all: 10s}\n");
    ASSERT_TRUE(scenario.entropy.has_value());
    const auto& functions = scenario.entropy->functions;
    ASSERT_EQ(functions.size(), 3u);
    EXPECT_EQ(functions[0].describe(), "clock 5s --bump -3600s --all 10s");
    EXPECT_EQ(functions[1].describe(), "clock 5s --rate 1.5 --all 10s");
    EXPECT_EQ(functions[2].describe(), "clock 5s --strobe --all 10s");
    auto message = error_for(kHead +
                             "  - sleep: {duration: 1s}\nentropy:\n  functions:\n"
                             "    - clock: {rate: 0}\n");
    EXPECT_NE(message.find("entropy/functions/0/clock/rate"), std::string::npos) << message;
}

TEST_F(ScenarioLoader, AnEntropyBlockTheSchemaRefusesIsNotRead) {
    auto message = error_for(kHead + "  - sleep: {duration: 1s}\nentropy:\n  functions: [crash]\n");
    EXPECT_NE(message.find("entropy/functions/0"), std::string::npos) << message;
}

TEST_F(ScenarioLoader, ABadDurationInsideAOneOfIsExplained) {
    auto message = error_for(kHead +
                             "  - sleep: {duration: 1s}\nentropy:\n  functions:\n"
                             "    - crash: {random: [3s( 1s]}\n");
    EXPECT_NE(message.find("entropy/functions/0/crash/random"), std::string::npos) << message;
}

}  // namespace
}  // namespace atomixtest
