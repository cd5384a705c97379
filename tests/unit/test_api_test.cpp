// The test API's pure parts: cluster names for tests, the options' defaults
// as plugin params, and FaultGuard's ownership (with a fake undo: a counter,
// no cluster).
#include <gtest/gtest.h>

#include <regex>

#include "atomixtest/testing.hpp"
#include "testing/fault_params.hpp"

namespace atomixtest {
namespace {

using namespace std::chrono_literals;

TEST(TestApiNames, SuiteAndTestBecomeAValidClusterName) {
    EXPECT_EQ(cluster_name_for_test("ScopedFaults", "ReadThroughNode2", "123"),
              "scoped-faults-read-through-node2-123");
    EXPECT_EQ(cluster_name_for_test("Param/MapTest", "Put/3", "9"), "param-map-test-put-3-9");
    EXPECT_EQ(cluster_name_for_test("under_score", "HTTPServer", "1"), "under-score-httpserver-1");
    EXPECT_EQ(cluster_name_for_test("", "", "7"), "test-7");
}

TEST(TestApiNames, LongNamesAreCutAndStayApart) {
    auto a =
        cluster_name_for_test("AVeryLongSuiteNameForTesting", "ThisOneIsLongerStillA", "4194304");
    auto b =
        cluster_name_for_test("AVeryLongSuiteNameForTesting", "ThisOneIsLongerStillB", "4194304");
    EXPECT_NE(a, b);
    for (const auto& name : {a, b}) {
        EXPECT_LE(name.size(), 40u) << name;
        EXPECT_TRUE(std::regex_match(name, std::regex("[a-z0-9][a-z0-9_.-]*-4194304"))) << name;
        EXPECT_NO_THROW(validate_cluster_name(name));
    }
}

TEST(TestApiNames, GeneratedNamesAreValidAndDistinct) {
    auto first = generated_cluster_name();
    auto second = generated_cluster_name();
    EXPECT_NE(first, second);
    EXPECT_NO_THROW(validate_cluster_name(first));
    EXPECT_EQ(first.rfind("api-" + process_suffix() + "-", 0), 0u);
}

// The options restate no default: what is not set is not sent, and the door
// fills in the verb's declared default (netem_test checks those values).
TEST(TestApiOptions, OnlyWhatIsSetIsSent) {
    for (const auto& params :
         {detail::delay_params({}), detail::drop_params({}), detail::reorder_params({}),
          detail::duplicate_params({}), detail::corrupt_params({})}) {
        EXPECT_EQ(params, nlohmann::json::object());
    }
    EXPECT_EQ(detail::delay_params({.latency = 200ms, .distribution = "pareto"}),
              (nlohmann::json{{"latency", "200ms"}, {"distribution", "pareto"}}));
    EXPECT_EQ(detail::drop_params({.correlation = 0}), (nlohmann::json{{"correlation", 0.0}}));
    ClusterOptions cluster;
    EXPECT_EQ(cluster.nodes, 3);
    EXPECT_EQ(cluster.backend, "local");
    EXPECT_FALSE(cluster.keep);
    EXPECT_TRUE(cluster.name.empty());
}

TEST(TestApiOptions, RateAndToAreSentAsTheVerbsTakeThem) {
    EXPECT_EQ(detail::rate_params({.rate = "1mbit"}), (nlohmann::json{{"rate", "1mbit"}}));
    EXPECT_EQ(detail::rate_params({.rate = "2mbit", .burst = "64kb", .to = {2, 3}}),
              (nlohmann::json{{"rate", "2mbit"}, {"burst", "64kb"}, {"to", {2, 3}}}));
    EXPECT_EQ(detail::delay_params({.to = {3}}), (nlohmann::json{{"to", {3}}}));
    EXPECT_EQ(detail::drop_params({.probability = 1, .to = {2}})["to"], nlohmann::json({2}));
}

TEST(TestApiOptions, StressSendsOnlyWhatWasAsked) {
    EXPECT_EQ(detail::stress_params({.cpu = 2}), (nlohmann::json{{"cpu", 2}}));
    EXPECT_EQ(detail::stress_params({.timeout = 4s, .io = 1, .memory_bytes = "64m"}),
              (nlohmann::json{{"io", 1}, {"timeout", "4s"}, {"memory_bytes", "64m"}}));
    EXPECT_EQ(detail::with_node(detail::drop_params({.probability = .5}), 2)["node"], 2);
    EXPECT_FALSE(detail::with_node(nlohmann::json::object(), std::nullopt).contains("node"));
}

// A fake fault: its undo only counts.
FaultGuard counting_guard(int& undone) {
    return FaultGuard("fake", [&undone] { ++undone; });
}

TEST(TestApiFaultGuard, UndoesOnceWhenDestroyed) {
    int undone = 0;
    {
        auto guard = counting_guard(undone);
        EXPECT_TRUE(guard.holds_fault());
        auto moved = std::move(guard);
        // A moved-from guard holds nothing: what is checked here.
        EXPECT_FALSE(
            guard.holds_fault());  // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
        EXPECT_EQ(undone, 0);
    }
    EXPECT_EQ(undone, 1);
}

TEST(TestApiFaultGuard, KeepLeavesTheFaultAndUndoEndsItEarly) {
    int undone = 0;
    {
        auto kept = counting_guard(undone);
        kept.keep();
        auto early = counting_guard(undone);
        early.undo();
        EXPECT_EQ(undone, 1);
        early.undo();  // nothing left to undo
    }
    EXPECT_EQ(undone, 1);
}

TEST(TestApiFaultGuard, AssigningUndoesTheFaultHeldBefore) {
    int first = 0, second = 0;
    {
        auto guard = counting_guard(first);
        guard = counting_guard(second);
        EXPECT_EQ(first, 1);
        EXPECT_EQ(second, 0);
    }
    EXPECT_EQ(second, 1);
}

TEST(TestApiFaultGuard, FailedUndoInTheDestructorIsReportedNotThrown) {
    ::testing::internal::CaptureStderr();
    {
        FaultGuard guard("fake.fault", [] { throw Error(ErrorKind::Unavailable, "node gone"); });
    }
    auto err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("undo of fake.fault failed: node gone"), std::string::npos) << err;
    FaultGuard explicit_undo("fake.fault",
                             [] { throw Error(ErrorKind::Unavailable, "node gone"); });
    EXPECT_THROW(explicit_undo.undo(), Error);
    EXPECT_FALSE(explicit_undo.holds_fault());
}

}  // namespace
}  // namespace atomixtest
