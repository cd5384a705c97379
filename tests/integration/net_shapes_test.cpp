// Partitions of any shape and their proof on real etcd clusters: groups that
// share a node, groups one way, Jepsen's majorities ring keeping a 5-node
// cluster writable through some of its nodes; each measured with real
// packets between the nodes' namespaces, and a partition whose probes cannot
// pass refused and undone.
#include <gtest/gtest.h>

#include "reachability.hpp"
#include "shared_cluster.hpp"

namespace atomixtest::testing {
namespace {

class Groups : public SharedEtcdCluster<3> {
  protected:
    void TearDown() override {
        EXPECT_EQ(cli({"cluster", name(), "heal"}).exit_code, 0);
        EXPECT_EQ(measure_reachability(name()), all_but(3, {})) << "healed";
    }
};

TEST_F(Groups, ANodeInTwoGroupsTalksToBothWhileTheOthersCannotTalk) {
    auto result = cli({"cluster", name(), "partition", "--groups", "[[1,2],[2,3]]"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("probes dropped on 2 cut pairs (1->3 3->1), passed on 4 of 4 open"),
              std::string::npos)
        << result.out;
    EXPECT_EQ(measure_reachability(name()), all_but(3, cut_between({1}, {3})));
    // Node 2 sees every node, and so whichever leads: a write through it
    // commits. (A write through 1 or 3 commits only on the leader's side:
    // etcd does not forward a proposal through the bridge.)
    EXPECT_TRUE(write_succeeds(local_port(name(), 2), "groups", "2", std::chrono::seconds(10)));
}

TEST_F(Groups, OneWayGroupsCutOnlyFromTheEarlierGroup) {
    apply({"partition", "--groups", "1,2/3", "--uni"});
    EXPECT_EQ(measure_reachability(name()), all_but(3, {{1, 3}, {2, 3}}));
}

// A partition whose open pairs carry no probe is not taken for in force: the
// nodes here drop every UDP datagram by a rule of their own, so the check
// cannot see the cut from a dead network, and the partition is undone.
TEST_F(Groups, APartitionThatCannotBeSeenIsUndoneAndRefused) {
    auto drop_udp = [&](const char* action) {
        for (int node = 1; node <= 3; ++node) {
            run_process({.argv = {"ip", "netns", "exec",
                                  "atomix-test." + name() + "." + std::to_string(node), "iptables",
                                  action, "OUTPUT", "-p", "udp", "-j", "DROP"}});
        }
    };
    drop_udp("-I");
    auto result = cli({"cluster", name(), "partition", "1", "2"});
    drop_udp("-D");
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("no probe passed between nodes that may talk"), std::string::npos)
        << result.err;
    auto faults = nlohmann::json::parse(cli({"cluster", name(), "faults", "--json"}).out);
    EXPECT_TRUE(faults.empty()) << "undone: " << faults.dump();
}

class Ring : public SharedEtcdCluster<5> {
  protected:
    void TearDown() override { EXPECT_EQ(cli({"cluster", name(), "heal"}).exit_code, 0); }
};

TEST_F(Ring, EachNodeTalksToItsNeighboursAndSomeNodesStillWrite) {
    apply({"ring"});
    Reachability cut = cut_between({1}, {3, 4});
    for (auto pair : cut_between({2}, {4, 5})) cut.insert(pair);
    for (auto pair : cut_between({3}, {5})) cut.insert(pair);
    EXPECT_EQ(measure_reachability(name()), all_but(5, cut));
    // Every node hears a majority, so a leader keeps one: writes through
    // some nodes commit while the ring holds.
    int writable = 0;
    for (int node = 1; node <= 5; ++node) {
        writable += write_succeeds(local_port(name(), node), "ring", std::to_string(node),
                                   std::chrono::seconds(node == 1 ? 20 : 4));
    }
    EXPECT_GE(writable, 1);
}

TEST_F(Ring, AnOrderOfOnesOwn) {
    apply({"fault", "net.ring", "order=[1,3,5,2,4]"});
    auto reached = measure_reachability(name());
    EXPECT_TRUE(reached.count({1, 3}) && reached.count({1, 4}));
    EXPECT_FALSE(reached.count({1, 2}) || reached.count({1, 5}));
}

}  // namespace
}  // namespace atomixtest::testing
