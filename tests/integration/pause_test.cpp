// node.pause and node.resume on a real 3-node etcd cluster, and the node
// selectors that name the leader and its followers: the pause is seen in the
// node's processes (frozen, or stopped), in `nodes`, and in what etcd does.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "atomixtest/http.hpp"
#include "cli_harness.hpp"
#include "etcd_leader.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

std::string status_of(const std::string& cluster, int id) {
    for (const auto& node : nodes_json(cluster)) {
        if (node["id"] == id) return node["status"].get<std::string>();
    }
    return "missing";
}

// The node's processes, read from its cgroup in the freezer (or, without a
// freezer, the cpu tree), each with its state letter from /proc.
std::vector<char> process_states(const std::string& cluster, int id) {
    std::vector<char> states;
    for (const char* tree : {"/sys/fs/cgroup/freezer", "/sys/fs/cgroup/cpu"}) {
        auto procs = fs::path(tree) / "atomix-test" / cluster / std::to_string(id) / "cgroup.procs";
        if (!fs::exists(procs)) continue;
        std::istringstream pids(read_file(procs));
        for (std::string pid; pids >> pid;) {
            auto stat = read_file("/proc/" + pid + "/stat");
            auto close = stat.rfind(')');
            if (close != std::string::npos && close + 2 < stat.size()) {
                states.push_back(stat[close + 2]);
            }
        }
        break;
    }
    return states;
}

std::string freezer_state(const std::string& cluster, int id) {
    auto file = fs::path("/sys/fs/cgroup/freezer/atomix-test") / cluster / std::to_string(id) /
                "freezer.state";
    return fs::exists(file) ? read_file(file) : "";
}

class Pause : public ::testing::Test {
  protected:
    void SetUp() override {
        auto result = cli({"cluster", name_, "setup", "-c", "etcd", "-n", "3"});
        ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
        ASSERT_TRUE(write_succeeds(local_port(name_, 1), "k", "0", std::chrono::seconds(10)));
    }
    void TearDown() override {
        cli({"cluster", name_, "teardown"});
        EXPECT_TRUE(namespaces_of(name_).empty());
        EXPECT_FALSE(fs::exists("/sys/fs/cgroup/freezer/atomix-test/" + name_))
            << "the node's frozen cgroup outlived the cluster";
    }
    const std::string name_ = unique_cluster("it-pause");
};

TEST_F(Pause, APausedLeaderIsReplacedAndTheMajorityWritesThenItCatchesUp) {
    int leader = leader_by_status(name_, 3);
    ASSERT_NE(leader, 0) << "etcd elected no leader";
    auto paused = cli({"cluster", name_, "pause", "leader"});
    ASSERT_EQ(paused.exit_code, 0) << paused.out << paused.err;
    EXPECT_NE(paused.out.find("in force (verified: node " + std::to_string(leader)),
              std::string::npos)
        << "the selector named node " << leader << ": " << paused.out;
    EXPECT_EQ(status_of(name_, leader), "paused");
    auto states = process_states(name_, leader);
    ASSERT_FALSE(states.empty());
    if (fs::exists("/sys/fs/cgroup/freezer/cgroup.procs")) {
        EXPECT_EQ(freezer_state(name_, leader), "FROZEN\n");
        EXPECT_NE(paused.out.find("frozen by cgroup freezer"), std::string::npos) << paused.out;
    } else {
        for (char state : states) EXPECT_EQ(state, 'T');
    }
    // It keeps its sockets but answers nothing: the request waits, unlike a
    // dead node's, which is refused.
    auto started = std::chrono::steady_clock::now();
    EXPECT_FALSE(member_status(local_port(name_, leader)).has_value());
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(600));

    int other = leader % 3 + 1;
    EXPECT_TRUE(write_succeeds(local_port(name_, other), "k", "1", std::chrono::seconds(15)))
        << "the two others elect a leader and take writes";
    int successor = leader_by_status(name_, 3);
    EXPECT_NE(successor, 0);
    EXPECT_NE(successor, leader) << "a new election while the old leader is frozen";

    auto resumed = cli({"cluster", name_, "resume", std::to_string(leader)});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_EQ(status_of(name_, leader), "running");
    for (char state : process_states(name_, leader)) EXPECT_NE(state, 'T');
    EXPECT_EQ(eventually_get(local_port(name_, leader), "k", b64("1")), b64("1"))
        << "the thawed member catches up with what it missed";
}

TEST_F(Pause, FollowersPausedTogetherStopWritesUntilResumed) {
    int leader = leader_by_status(name_, 3);
    ASSERT_NE(leader, 0);
    auto paused = cli({"cluster", name_, "pause", "followers"});
    ASSERT_EQ(paused.exit_code, 0) << paused.out << paused.err;
    std::vector<std::string> followers;
    for (int id = 1; id <= 3; ++id) {
        EXPECT_EQ(status_of(name_, id), id == leader ? "running" : "paused") << id;
        if (id != leader) followers.push_back(std::to_string(id));
    }
    EXPECT_FALSE(write_succeeds(local_port(name_, leader), "k", "2", std::chrono::seconds(3)))
        << "a leader without a quorum takes no write";
    auto resumed = cli({"cluster", name_, "resume", followers[0] + "," + followers[1]});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_TRUE(write_succeeds(local_port(name_, leader), "k", "2", std::chrono::seconds(15)));
}

TEST_F(Pause, APausedNodeCanBeKilledAndRecovered) {
    ASSERT_EQ(cli({"cluster", name_, "pause", "3"}).exit_code, 0);
    auto again = cli({"cluster", name_, "pause", "3"});
    EXPECT_NE(again.exit_code, 0) << "a node already paused is not paused twice";
    auto killed = cli({"cluster", name_, "kill", "3"});
    ASSERT_EQ(killed.exit_code, 0) << killed.out << killed.err;
    EXPECT_EQ(status_of(name_, 3), "dead") << "a frozen process still dies of SIGKILL";
    EXPECT_TRUE(process_states(name_, 3).empty());
    EXPECT_NE(freezer_state(name_, 3), "FROZEN\n") << "its cgroup is thawed for the next start";
    ASSERT_EQ(cli({"cluster", name_, "recover", "3"}).exit_code, 0);
    EXPECT_EQ(status_of(name_, 3), "running");
    EXPECT_EQ(eventually_get(local_port(name_, 3), "k", b64("0")), b64("0"));
}

// In a scenario: the minority drawn from the run's seed is paused for its
// block and resumed after it, and the same seed draws the same node.
TEST(PauseScenario, AScopedPauseOfAMinorityIsUndoneAndReplayedBySeed) {
    auto scenario = fs::temp_directory_path() / (unique_cluster("pause") + ".yaml");
    {
        std::ofstream out(scenario);
        out << "name: scoped-pause\n"
               "cluster: {backend: local, profile: etcd, nodes: 3}\n"
               "steps:\n"
               "  - node.pause: {node: minority}\n"
               "    during:\n"
               "      - sleep: {duration: 300ms}\n"
               "  - map.put: {node: 1, map: m, key: a, value: \"1\"}\n"
               "  - map.get: {node: 2, map: m, key: a, expect: \"1\"}\n"
               "  - map.get: {node: 3, map: m, key: a, expect: \"1\"}\n";
    }
    auto paused_line = [](const std::string& out) {
        auto at = out.find("in force  node.pause");
        return at == std::string::npos ? std::string() : out.substr(at, out.find('(', at) - at);
    };
    auto first = cli({"run", "--seed", "7", scenario.string()});
    EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_NE(first.out.find("verified: node "), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("undo  node.resume"), std::string::npos) << first.out;
    ASSERT_NE(paused_line(first.out), "") << first.out;
    auto again = cli({"run", "--seed", "7", scenario.string()});
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_EQ(paused_line(again.out), paused_line(first.out)) << "the seed draws the same node";
    fs::remove(scenario);
}

// Bad input is refused before any cluster exists, with the place in the
// file: an unknown selector, and `followers` on a system that cannot name its
// leader (refused before its cluster is set up, half a minute for Atomix).
TEST(PauseScenario, BadSelectorsAreRefusedWithTheirLineAndColumn) {
    auto scenario = fs::temp_directory_path() / (unique_cluster("pause-bad") + ".yaml");
    const std::pair<std::string, std::string> cases[] = {
        {"profile: etcd, nodes: 3}\nsteps:\n  - node.pause: {node: leaders}\n",
         "unknown node selector \"leaders\""},
        {"profile: data-grid, nodes: 3}\nsteps:\n  - node.pause: {node: followers}\n",
         "no `leader:` request"},
    };
    for (const auto& [text, reason] : cases) {
        std::ofstream(scenario) << "name: bad-selector\ncluster: {backend: local, " << text;
        auto result = cli({"run", scenario.string()});
        EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
        EXPECT_NE(result.err.find(scenario.string() + ":4:"), std::string::npos) << result.err;
        EXPECT_NE(result.err.find(reason), std::string::npos) << result.err;
        EXPECT_EQ(result.out.find("setting up"), std::string::npos) << "no cluster was made";
    }
    fs::remove(scenario);
}

}  // namespace
}  // namespace atomixtest::testing
