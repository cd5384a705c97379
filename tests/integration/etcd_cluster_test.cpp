// A real 3-node etcd cluster on the local backend, driven through the CLI:
// set-up, the node table, data through LOCAL PORTs, an isolation and its heal,
// node actions, and a teardown that leaves nothing behind.
#include <gtest/gtest.h>

#include "atomixtest/error.hpp"
#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

class EtcdCluster : public ::testing::Test {
  protected:
    void SetUp() override {
        host_rules_before_ = host_ruleset();
        auto result = cli({"cluster", name_, "setup", "-c", "etcd", "-n", "3"});
        ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    }
    void TearDown() override {
        cli({"cluster", name_, "teardown"});
        EXPECT_TRUE(namespaces_of(name_).empty());
        EXPECT_EQ(host_ruleset(), host_rules_before_) << "the host's own rules must not change";
    }
    const std::string name_ = unique_cluster("it-etcd");
    std::string host_rules_before_;
};

TEST_F(EtcdCluster, NodesTableAndJson) {
    auto nodes = nodes_json(name_);
    ASSERT_EQ(nodes.size(), 3u);
    std::set<int> ports;
    for (const auto& node : nodes) {
        EXPECT_EQ(node["status"], "running");
        EXPECT_EQ(node["type"], "server");
        EXPECT_EQ(node["profile"], "etcd");
        EXPECT_EQ(node["name"], name_ + "-" + std::to_string(node["id"].get<int>()));
        EXPECT_FALSE(node["ip"].get<std::string>().empty());
        ports.insert(node["local_port"].get<int>());
    }
    EXPECT_EQ(ports.size(), 3u) << "each node has its own LOCAL PORT";
    auto table = cli({"cluster", name_, "nodes"});
    EXPECT_EQ(table.exit_code, 0);
    EXPECT_NE(table.out.find("ID"), std::string::npos);
    EXPECT_NE(table.out.find("LOCAL PORT"), std::string::npos);
    EXPECT_NE(table.out.find(name_ + "-2"), std::string::npos);
    auto list = cli({"cluster", "list"});
    EXPECT_NE(list.out.find(name_), std::string::npos) << "seen by another process";
}

TEST_F(EtcdCluster, AddNodeJoinsTheMembershipAndRemoveNodeLeavesIt) {
    int port1 = local_port(name_, 1);
    ASSERT_TRUE(write_succeeds(port1, "greeting", "hello", std::chrono::seconds(10)));
    auto added = cli({"cluster", name_, "add-node"});
    ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
    ASSERT_EQ(nodes_json(name_).size(), 4u);
    auto peer4 = "http://" + node_ip(name_, 4) + ":2380";
    EXPECT_TRUE(member_listed_becomes(port1, peer4, true)) << peer4;
    EXPECT_EQ(eventually_get(local_port(name_, 4), "greeting", b64("hello")), b64("hello"))
        << "the new member has the cluster's data";
    EXPECT_EQ(namespaces_of(name_).size(), 5u) << "the bridge and four nodes";
    auto removed = cli({"cluster", name_, "remove-node", "4"});
    ASSERT_EQ(removed.exit_code, 0) << removed.err;
    EXPECT_EQ(nodes_json(name_).size(), 3u);
    EXPECT_TRUE(member_listed_becomes(port1, peer4, false)) << peer4;
    EXPECT_EQ(namespaces_of(name_).size(), 4u) << "node 4's namespace is gone";
    EXPECT_FALSE(std::filesystem::exists(state_dir() / "local" / name_ / "nodes/4"));
    // At once again under the same id: nothing of the old node 4 is in the way.
    auto again = cli({"cluster", name_, "add-node"});
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_TRUE(member_listed_becomes(port1, peer4, true)) << peer4;
}

TEST_F(EtcdCluster, WriteThroughOneNodeReadThroughAnother) {
    ASSERT_EQ(etcd_put(local_port(name_, 1), "greeting", "hello").status, 200);
    EXPECT_EQ(etcd_get_b64(local_port(name_, 2), "greeting"), b64("hello"));
    EXPECT_EQ(etcd_get_b64(local_port(name_, 3), "greeting"), b64("hello"));
}

TEST_F(EtcdCluster, IsolatedNodeCannotWriteMajorityCanThenHealRestoresIt) {
    int port1 = local_port(name_, 1), port2 = local_port(name_, 2);
    ASSERT_EQ(etcd_put(port2, "k", "v0").status, 200);

    auto isolate = cli({"cluster", name_, "isolate", "1"});
    ASSERT_EQ(isolate.exit_code, 0) << isolate.err;
    auto faults = cli({"cluster", name_, "faults", "--json"});
    auto in_force = nlohmann::json::parse(faults.out);
    EXPECT_EQ(in_force.size(), 2u) << faults.out;  // 1<->2 and 1<->3

    // Another key: a timed-out write is indeterminate, and this one may still
    // commit after the heal (TCP retransmits the forwarded proposal).
    EXPECT_FALSE(write_succeeds(port1, "k-minority", "from-minority", std::chrono::seconds(2)))
        << "an isolated member must not accept a write";
    EXPECT_TRUE(write_succeeds(port2, "k", "from-majority", std::chrono::seconds(10)))
        << "the majority must keep accepting writes";

    auto heal = cli({"cluster", name_, "heal"});
    ASSERT_EQ(heal.exit_code, 0) << heal.err;
    EXPECT_EQ(nlohmann::json::parse(cli({"cluster", name_, "faults", "--json"}).out).size(), 0u);
    EXPECT_EQ(eventually_get(port1, "k", b64("from-majority")), b64("from-majority"))
        << "after the heal node 1 serves the majority's write";
}

TEST_F(EtcdCluster, PairwisePartitionAndHealOfThatPair) {
    ASSERT_EQ(cli({"cluster", name_, "partition", "1", "2"}).exit_code, 0);
    auto faults = nlohmann::json::parse(cli({"cluster", name_, "faults", "--json"}).out);
    ASSERT_EQ(faults.size(), 1u);
    EXPECT_EQ(faults[0]["direction"], "both");
    EXPECT_FALSE(reaches(name_, 1, 2, 2380));
    EXPECT_FALSE(reaches(name_, 2, 1, 2380));
    EXPECT_TRUE(reaches(name_, 1, 3, 2380));
    EXPECT_TRUE(reaches(name_, 2, 3, 2380));
    // Node 3 still sees both, so whichever is leader commits through it. (A
    // write through 1 or 2 may stall: the pair cut is a known Raft liveness trap.)
    EXPECT_TRUE(write_succeeds(local_port(name_, 3), "p", "3", std::chrono::seconds(10)));
    auto wrong_heal = cli({"cluster", name_, "heal", "2", "3"});
    EXPECT_EQ(wrong_heal.exit_code, 2) << "healing a partition that does not exist is an error";
    EXPECT_NE(wrong_heal.err.find("no partition to heal"), std::string::npos) << wrong_heal.err;
    ASSERT_EQ(cli({"cluster", name_, "heal", "1", "2"}).exit_code, 0);
    EXPECT_EQ(nlohmann::json::parse(cli({"cluster", name_, "faults", "--json"}).out).size(), 0u);
    EXPECT_TRUE(reaches(name_, 1, 2, 2380));
    EXPECT_TRUE(reaches(name_, 2, 1, 2380));
}

TEST_F(EtcdCluster, KillStopStartRecoverRestartAndLogs) {
    auto status_of = [&](int id) {
        for (const auto& node : nodes_json(name_)) {
            if (node["id"] == id) return node["status"].get<std::string>();
        }
        return std::string("missing");
    };
    ASSERT_EQ(cli({"cluster", name_, "kill", "3"}).exit_code, 0);
    EXPECT_EQ(status_of(3), "dead");
    EXPECT_TRUE(requests_refused(local_port(name_, 3), std::chrono::seconds(2)))
        << "a dead node's LOCAL PORT refuses, as its own port would";
    EXPECT_TRUE(write_succeeds(local_port(name_, 1), "x", "1", std::chrono::seconds(10)));
    ASSERT_EQ(cli({"cluster", name_, "recover", "3"}).exit_code, 0);
    EXPECT_EQ(status_of(3), "running");
    EXPECT_EQ(eventually_get(local_port(name_, 3), "x", b64("1")), b64("1"));

    ASSERT_EQ(cli({"cluster", name_, "stop", "2"}).exit_code, 0);
    EXPECT_EQ(status_of(2), "stopped");
    ASSERT_EQ(cli({"cluster", name_, "start", "2"}).exit_code, 0);
    EXPECT_EQ(status_of(2), "running");
    ASSERT_EQ(cli({"cluster", name_, "restart", "1"}).exit_code, 0);
    EXPECT_EQ(status_of(1), "running");
    EXPECT_EQ(eventually_get(local_port(name_, 1), "x", b64("1")), b64("1"));

    auto logs = cli({"cluster", name_, "logs", "1"});
    EXPECT_EQ(logs.exit_code, 0);
    EXPECT_NE(logs.out.find(name_ + "-1"), std::string::npos) << "etcd logs its member name";
}

TEST(EtcdClusterTeardown, LeavesNoProcessNamespaceRuleOrStateDir) {
    auto name = unique_cluster("it-teardown");
    auto rules_before = host_ruleset();
    ASSERT_EQ(cli({"cluster", name, "setup", "-c", "etcd", "-n", "3"}).exit_code, 0);
    ASSERT_EQ(cli({"cluster", name, "isolate", "2"}).exit_code, 0);
    auto dir = state_dir() / "local" / name;
    ASSERT_TRUE(std::filesystem::exists(dir));
    EXPECT_TRUE(std::filesystem::exists(state_dir() / "claims/local" / (name + ".json")));
    ASSERT_FALSE(processes_mentioning(dir.string()).empty()) << "nodes run from the state dir";
    EXPECT_EQ(namespaces_of(name).size(), 4u) << "a bridge namespace and one per node";

    auto teardown = cli({"cluster", name, "teardown"});
    EXPECT_EQ(teardown.exit_code, 0) << teardown.err;
    EXPECT_TRUE(namespaces_of(name).empty()) << "namespaces, their bridge, veths and rules";
    EXPECT_TRUE(processes_mentioning(dir.string()).empty()) << "nodes and supervisor";
    EXPECT_FALSE(std::filesystem::exists(dir));
    EXPECT_FALSE(std::filesystem::exists(state_dir() / "claims/local" / (name + ".json")));
    EXPECT_FALSE(std::filesystem::exists("/run/atomix-test/local/" + name)) << "its marker";
    EXPECT_EQ(host_ruleset(), rules_before);
    EXPECT_EQ(cli({"cluster", name, "nodes"}).exit_code, 2) << "the cluster is gone";
}

}  // namespace
}  // namespace atomixtest::testing

namespace atomixtest::testing {
namespace {

// run: a command in the node's namespace, its output printed; execute: left
// running there until teardown removes the namespace's processes.
TEST_F(EtcdCluster, RunAndExecuteInTheNodesNamespace) {
    auto addresses = cli({"cluster", name_, "run", "2", "ip", "-4", "-o", "addr", "show"});
    EXPECT_EQ(addresses.exit_code, 0) << addresses.err;
    EXPECT_NE(addresses.out.find(node_ip(name_, 2) + "/"), std::string::npos) << addresses.out;
    EXPECT_EQ(addresses.out.find(node_ip(name_, 1) + "/"), std::string::npos);
    auto marker = "atomix-test-execute-" + name_;
    auto started = cli({"cluster", name_, "execute", "1", "sh", "-c", "sleep 60 # " + marker});
    EXPECT_EQ(started.exit_code, 0) << started.err;
    EXPECT_FALSE(processes_mentioning(marker).empty()) << "left running";
    cli({"cluster", name_, "teardown"});
    EXPECT_TRUE(processes_mentioning(marker).empty()) << "gone with the cluster";
}

}  // namespace
}  // namespace atomixtest::testing
