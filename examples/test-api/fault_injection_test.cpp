// The original README's "Fault injection": kill and recover a node, isolate
// and heal it, partition two nodes, delay the network and write.
#include <chrono>
#include <iostream>

#include "atomixtest/testing/gtest_fixture.hpp"
#include "example_support.hpp"

using namespace std::chrono_literals;
using atomixtest::NodeStatus;

class FaultInjection : public atomixtest::ClusterTest {
  protected:
    Options cluster_options() const override { return {.profile = "etcd"}; }
};

TEST_F(FaultInjection, KillThenRecover) {
    auto node = cluster().node(3);
    node.kill().keep();  // left in force: the node stays dead until recover()
    EXPECT_EQ(node.status(), NodeStatus::Dead);
    EXPECT_THROW(node.with_timeout(1s).map("m").get("k"), atomixtest::Error);
    // If 3 led the cluster, the other two elect a leader before they take writes.
    EXPECT_TRUE(examples::eventually([&] {
        cluster().node(1).map("m").put("k", "written while 3 was dead");
        return true;
    }));

    node.recover();
    EXPECT_EQ(node.status(), NodeStatus::Running);
    EXPECT_TRUE(examples::eventually([&] { return node.map("m").get("k").has_value(); }));
}

TEST_F(FaultInjection, IsolateThenUnisolate) {
    auto node1 = cluster().node(1).with_timeout(1500ms);
    node1.isolate().keep();
    EXPECT_THROW(node1.map("m").put("lost", "x"), atomixtest::Error);
    // The majority still writes. If 1 led the cluster, a write sent before the
    // others notice can be lost with the old leader: try again once they elect.
    auto node2 = cluster().node(2).with_timeout(1500ms);
    EXPECT_TRUE(examples::eventually([&] {
        node2.map("m").put("foo", "bar");
        return true;
    }));
    EXPECT_FALSE(cluster().faults().empty());

    node1.unisolate();
    EXPECT_TRUE(cluster().faults().empty()) << cluster().faults().dump();
    EXPECT_TRUE(examples::eventually([&] { return node1.map("m").get("foo") == "bar"; }));
}

TEST_F(FaultInjection, PartitionOneNodeFromAnother) {
    auto partitioned = cluster().node(1).partition(2);
    auto faults = cluster().faults();
    ASSERT_EQ(faults.size(), 1u) << faults.dump();
    EXPECT_EQ(faults[0]["plugin"], "net");
    // Node 3 still reaches both: a majority for every write.
    cluster().node(3).map("m").put("k", "v");
    EXPECT_TRUE(examples::eventually([&] { return cluster().node(3).map("m").get("k") == "v"; }));
    cluster().network().heal(1, 2);
    partitioned.keep();  // healed by hand: nothing left for the guard
    EXPECT_TRUE(cluster().faults().empty());
}

TEST_F(FaultInjection, LatencyInTheNetworkSlowsAWrite) {
    auto map = cluster().node(2).map("test-map");
    map.put("warm", "up");
    auto before = examples::time_of([&] { map.put("bar", "baz"); });
    {
        auto delayed = cluster().network().delay({.latency = 200ms, .jitter = 0ms});
        // A write needs the leader's append to reach a follower and its answer
        // to come back: at least one delayed packet whichever node leads.
        auto during = examples::time_of([&] { map.put("bar", "baz"); });
        EXPECT_GE(during, 190ms) << "before: " << before.count() << " ms";
        EXPECT_GT(during, before + 150ms);
        std::cout << "put through node 2: " << before.count() << " ms, with 200 ms delay "
                  << during.count() << " ms";
    }
    auto after = examples::time_of([&] { map.put("bar", "qux"); });
    std::cout << ", restored " << after.count() << " ms\n";
    EXPECT_LT(after, 150ms);
}
