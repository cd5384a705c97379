// The entropy functions of the new network faults on real etcd clusters:
// `partition --ring` applies Jepsen's majorities ring in an order drawn from
// the seed, `stress --network --rate` throttles a node drawn from the seed,
// `partition --leader` isolates the node etcd names leader; each is applied
// and undone through the one door, in the history, and the run stays
// linearizable.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "cli_harness.hpp"
#include "etcd_leader.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

// The nemesis's events of one kind ("start", "stop") in a history, their values.
std::vector<nlohmann::json> nemesis_events(const fs::path& history, const std::string& f) {
    std::vector<nlohmann::json> values;
    std::ifstream in(history);
    for (std::string line; std::getline(in, line);) {
        auto event = nlohmann::json::parse(line);
        if (event.at("process") == "nemesis" && event.at("f") == f) {
            values.push_back(event.at("value"));
        }
    }
    return values;
}

TEST(NetEntropy, RingsInOrdersFromTheSeedAndRatesOnDrawnNodes) {
    auto dir = fs::temp_directory_path() / unique_cluster("net-entropy");
    auto result = cli({"entropy",   "-n",        "5",          "-c",         "etcd", "--ops",
                       "30",        "--scale",   "5",          "--run-time", "16s",  "--seed",
                       "4",         "--results", dir.string(), "partition",  "1s",   "2s",
                       "--ring",    "1s",        "2s",         "stress",     "1s",   "2s",
                       "--network", "--rate",    "1mbit",      "--period",   "1s",   "2s"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    std::set<std::string> seen;
    std::set<std::vector<int>> rings;
    for (const auto& start : nemesis_events(dir / "history.jsonl", "start")) {
        auto fault = start.at("fault").get<std::string>();
        seen.insert(fault);
        if (fault == "partition-ring") {
            auto order = start.at("nodes").get<std::vector<int>>();
            EXPECT_EQ(std::set<int>(order.begin(), order.end()), (std::set<int>{1, 2, 3, 4, 5}));
            rings.insert(order);
        }
    }
    EXPECT_TRUE(seen.count("partition-ring")) << result.out;
    EXPECT_TRUE(seen.count("stress-rate")) << result.out;
    EXPECT_GE(rings.size(), 2u) << "orders drawn, not one fixed ring";
    std::ifstream summary(dir / "summary.json");
    EXPECT_EQ(nlohmann::json::parse(summary)["verdict"], "linearizable");
    EXPECT_TRUE(processes_running("atomixtest-netem").empty()) << "every fault undone";
    fs::remove_all(dir);
}

TEST(NetEntropy, LeaderIsolatesTheNodeTheMembersNameLeader) {
    auto cluster = unique_cluster("net-leader");
    ASSERT_EQ(cli({"cluster", cluster, "setup", "-c", "etcd", "-n", "3"}).exit_code, 0);
    int leader = leader_by_status(cluster, 3);
    ASSERT_NE(leader, 0) << "etcd elected no leader";
    auto dir = fs::temp_directory_path() / unique_cluster("net-leader-results");
    auto result = cli({"entropy", "--cluster", cluster, "--ops", "20", "--run-time", "4s", "--seed",
                       "1", "--results", dir.string(), "partition", "1s", "--leader", "2s"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    auto starts = nemesis_events(dir / "history.jsonl", "start");
    auto stops = nemesis_events(dir / "history.jsonl", "stop");
    ASSERT_FALSE(stops.empty()) << result.out;
    EXPECT_EQ(starts.front().at("fault"), "partition-leader");
    EXPECT_EQ(starts.front().at("nodes"), "leader") << "found when applied";
    EXPECT_EQ(stops.front().at("nodes"), leader) << "the leader before any fault";
    EXPECT_EQ(cli({"cluster", cluster, "teardown"}).exit_code, 0);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace atomixtest::testing
