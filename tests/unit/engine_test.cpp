// The engine on a fake backend and a fake fault plugin (tests/support): what
// `during:` does on success, on a failure and on an interrupt, the door's
// checks and completion, node actions as faults, and the nemesis applying a
// plugin's verb. No root, no cluster: milliseconds each.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/interrupt.hpp"
#include "build_paths.hpp"
#include "engine/step_executor.hpp"
#include "entropy/nemesis.hpp"
#include "fake_backend.hpp"
#include "fake_fault.hpp"
#include "scenario/scenario.hpp"
#include "session/verb_documents.hpp"

namespace atomixtest {
namespace {

using testing::FakeBackend;
using testing::FakeFault;

class Engine : public ::testing::Test {
  protected:
    void SetUp() override {
        setenv("ATOMIX_TEST_PROFILE_PATH", testing::profile_dir().c_str(), 1);
        workspace_.plugins().add(PluginKind::Backend, "fake", backend_);
        workspace_.plugins().add(PluginKind::Fault, "fake", fault_);
        backend_->setup({.name = "c1", .profile = "etcd", .nodes = 3}, Profile{.name = "etcd"});
        std::ifstream in(testing::source_dir() / "schemas/scenario.schema.json");
        schema_ = structure_of(nlohmann::json::parse(in));
    }
    void TearDown() override { clear_interrupt(); }

    Scenario scenario(const std::string& steps) {
        return parse_scenario(
            "name: t\ncluster: {backend: fake, profile: etcd, nodes: 3}\nsteps:\n" + steps,
            "s.yaml", workspace_.catalog(), schema_);
    }

    // Runs every step; returns the error, or "" when all passed.
    std::string run(const Scenario& scenario) {
        StepExecutor executor(workspace_, backend_, "c1", 42, log_, history_);
        try {
            for (const auto& step : scenario.steps) executor.run(step);
        } catch (const Error& error) {
            return error.what();
        }
        return "";
    }

    Workspace workspace_{std::vector<std::filesystem::path>{}};
    std::shared_ptr<FakeBackend> backend_ = std::make_shared<FakeBackend>();
    std::shared_ptr<FakeFault> fault_ = std::make_shared<FakeFault>();
    nlohmann::json schema_;
    std::ostringstream log_;
    HistoryRecorder history_;
};

TEST_F(Engine, DuringHoldsTheFaultWhileItsStepsRunThenUndoesIt) {
    auto error =
        run(scenario("  - fake.hold: {node: 2}\n"
                     "    during:\n"
                     "      - fake.draw: {node: 3}\n"));
    EXPECT_EQ(error, "");
    // The door completed the params: the default level, the node as a list.
    // fake.draw has no `during:` of its own: it stays until the scenario ends.
    EXPECT_EQ(fault_->calls,
              (std::vector<std::string>{R"(hold {"level":1,"node":[2]})", R"(draw {"node":3})",
                                        R"(release {"node":[2]})"}));
}

TEST_F(Engine, AFailingSubStepStillUndoesTheFaultAndIsTheErrorReported) {
    auto error =
        run(scenario("  - fake.hold: {}\n"
                     "    during:\n"
                     "      - fake.fail: {}\n"));
    EXPECT_NE(error.find("s.yaml:6:9: step 'fake.fail': the system said no"), std::string::npos)
        << error;
    ASSERT_FALSE(fault_->calls.empty());
    EXPECT_EQ(fault_->calls.back(), R"(release {"node":[1,2,3]})") << "absent: every node";
}

TEST_F(Engine, AnInterruptStopsTheSubStepsAndTheFaultIsUndone) {
    auto steps = scenario(
        "  - fake.hold: {node: 1}\n"
        "    during:\n"
        "      - sleep: {duration: 10s}\n"
        "      - fake.draw: {node: 2}\n");
    // Ctrl-C arrives once the fault is in force, during the sleep.
    std::thread interrupt([] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        request_interrupt();
    });
    auto error = run(steps);
    interrupt.join();
    EXPECT_NE(error.find("interrupted during sleep"), std::string::npos) << error;
    EXPECT_EQ(fault_->calls, (std::vector<std::string>{R"(hold {"level":1,"node":[1]})",
                                                       R"(release {"node":[1]})"}));
}

TEST_F(Engine, TheDoorRefusesBeforeAnythingIsApplied) {
    try {
        scenario("  - fake.hold: {node: 7, level: 12}\n");
        FAIL() << "loaded";
    } catch (const Error& error) {
        std::string message = error.what();
        EXPECT_NE(message.find("s.yaml:4:23: steps/0/fake.hold/node: the cluster has no node 7 "
                               "(its nodes: 1, 2, 3)"),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("steps/0/fake.hold/level: must be at most 9, got 12"),
                  std::string::npos)
            << message;
    }
    // The same from any caller: the door itself.
    FaultSession door(workspace_, backend_, "c1", 1);
    EXPECT_THROW(door.apply("fake.hold", {{"node", 7}}), Error);
    EXPECT_THROW(door.apply("fake.hold", {{"lvl", 2}}), Error);
    EXPECT_TRUE(fault_->calls.empty());
}

TEST_F(Engine, NodeIdsCountNodeAddStepsWhenTheScenarioIsRead) {
    EXPECT_NO_THROW(scenario("  - node.add: {}\n  - fake.hold: {node: 4}\n"));
    EXPECT_THROW(scenario("  - fake.hold: {node: 4}\n"), Error);
    EXPECT_THROW(scenario("  - node.remove: {node: 3}\n  - fake.hold: {node: 3}\n"), Error);
}

TEST_F(Engine, AKillWithDuringRecoversTheNodeAfter) {
    auto error =
        run(scenario("  - node.kill: {node: 2}\n"
                     "    during:\n"
                     "      - fake.hold: {node: 1}\n"));
    EXPECT_EQ(error, "");
    EXPECT_EQ(backend_->calls, (std::vector<std::string>{"setup c1", "kill 2", "recover 2"}));
}

TEST_F(Engine, ARandomNodeIsDrawnFromTheSeedAndTheSameSeedDrawsTheSame) {
    auto drawn = [&](uint64_t seed) {
        FaultSession door(workspace_, backend_, "c1", seed);
        auto applied = door.apply("fake.draw", nlohmann::json::object());
        EXPECT_TRUE(applied.drawn);
        return applied.params.at("node").get<int>();
    };
    EXPECT_EQ(drawn(7), drawn(7));
    std::set<int> seen;
    for (uint64_t seed = 0; seed < 40; ++seed) seen.insert(drawn(seed));
    EXPECT_EQ(seen, (std::set<int>{1, 2, 3})) << "every node can be drawn";
}

TEST_F(Engine, TheNemesisAppliesAPluginsVerbAndUndoesIt) {
    Nemesis nemesis(workspace_, backend_, "c1", 5);
    auto functions = parse_entropy_functions({"fault", "fake.hold", "--level", "3", "1s"});
    ASSERT_EQ(functions.size(), 1u);
    auto active = nemesis.apply({1, 0, {}, {}, {}}, functions[0]);
    EXPECT_EQ(active.name, "fake.hold");
    active.undo();
    EXPECT_EQ(fault_->calls, (std::vector<std::string>{R"(hold {"level":3,"node":[1,2,3]})",
                                                       R"(release {"node":[1,2,3]})"}));
    // A function's params are checked before any run, by the same rules.
    auto bad = parse_entropy_functions({"fault", "fake.hold", "--level", "nine"});
    EXPECT_THROW(check_fault_functions(workspace_.catalog(), bad, {1, 2, 3}), Error);
    auto unscoped = parse_entropy_functions({"fault", "fake.release"});
    EXPECT_THROW(check_fault_functions(workspace_.catalog(), unscoped, {1, 2, 3}), Error);
}

TEST(PluginBoundary, AnyExceptionOfAPluginBecomesAnInternalErrorNamingIt) {
    boundary::GuardedFault<FakeFault> guarded("fake");
    FakeBackend backend;
    ClusterInfo cluster;
    std::mt19937_64 random;
    FaultContext context{backend, cluster, random};
    try {
        guarded.apply("throw", {}, context);
        FAIL() << "nothing thrown";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Internal);
        EXPECT_EQ(std::string(error.what()), "plugin fake: kaboom");
    }
    // An atomixtest::Error passes as it is.
    try {
        guarded.apply("fail", {}, context);
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Unavailable);
    }
}

TEST(VerbCatalogNames, AFaultPluginCannotShadowTheEnginesVerbs) {
    Workspace workspace{std::vector<std::filesystem::path>{}};
    workspace.plugins().add(PluginKind::Fault, "node", std::make_shared<FakeFault>());
    try {
        workspace.catalog();
        FAIL() << "a fault plugin named node was accepted";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("whose verbs are the engine's"), std::string::npos)
            << error.what();
    }
}

TEST(VerbCatalogNames, TwoFilesOfOnePluginAreRefusedNamingBoth) {
    auto base =
        std::filesystem::temp_directory_path() / ("atomix-test-dup-" + std::to_string(getpid()));
    for (const char* dir : {"a", "b"}) {
        std::filesystem::create_directories(base / dir);
        std::filesystem::copy_file(testing::plugin_dir() / "atomixtest-fault-stress.so",
                                   base / dir / "atomixtest-fault-stress.so");
    }
    Workspace workspace({base / "a", base / "b"});
    try {
        build_verb_catalog(workspace);
        ADD_FAILURE() << "two stress plugins were accepted";
    } catch (const Error& error) {
        std::string message = error.what();
        EXPECT_NE(message.find((base / "a/atomixtest-fault-stress.so").string()), std::string::npos)
            << message;
        EXPECT_NE(message.find((base / "b/atomixtest-fault-stress.so").string()), std::string::npos)
            << message;
    }
    EXPECT_THROW(workspace.fault("stress"), Error) << "loading it by name is refused as well";
    std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace atomixtest
