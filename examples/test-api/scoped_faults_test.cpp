// The original README's context managers (`with node1.isolate():`, `with
// cluster.stress(cpu=4):`) as scoped guards: the fault holds for the block.
#include <chrono>

#include "atomixtest/testing/gtest_fixture.hpp"
#include "example_support.hpp"

using namespace std::chrono_literals;

class ScopedFaults : public atomixtest::ClusterTest {
  protected:
    Options cluster_options() const override { return {.profile = "etcd"}; }
};

TEST_F(ScopedFaults, ReadThroughNode2WhileNode1IsIsolated) {
    auto node1 = cluster().node(1).with_timeout(1500ms);
    auto node2 = cluster().node(2).with_timeout(1500ms);
    node2.map("test-map").put("foo", "bar");
    {
        auto isolated = node1.isolate();
        // If 1 led the cluster, 2 answers once a new leader is elected.
        EXPECT_TRUE(
            examples::eventually([&] { return node2.map("test-map").get("foo") == "bar"; }));
        EXPECT_THROW(node1.map("test-map").put("other", "lost"), atomixtest::Error);
    }
    EXPECT_TRUE(cluster().faults().empty()) << cluster().faults().dump();
    // Node 1 serves again once it has caught up.
    EXPECT_TRUE(examples::eventually([&] {
        node1.map("test-map").put("back", "yes");
        return true;
    }));
    EXPECT_EQ(node2.map("test-map").get("back"), "yes");
}

TEST_F(ScopedFaults, WriteWhileTheClusterIsStressed) {
    {
        auto stressed = cluster().stress({.cpu = 2});
        auto faults = cluster().faults();
        EXPECT_EQ(faults.size(), 3u) << faults.dump();  // stress-ng in every node
        cluster().node(1).map("test-map").put("foo", "bar");
        EXPECT_EQ(cluster().node(3).map("test-map").get("foo"), "bar");
    }
    EXPECT_TRUE(cluster().faults().empty()) << cluster().faults().dump();
}

TEST_F(ScopedFaults, KilledNodeIsRecoveredWhenTheGuardGoes) {
    {
        auto killed = cluster().node(2).kill();
        EXPECT_EQ(cluster().node(2).status(), atomixtest::NodeStatus::Dead);
    }
    EXPECT_EQ(cluster().node(2).status(), atomixtest::NodeStatus::Running);
}

TEST_F(ScopedFaults, GuardsMoveAndUndoEarly) {
    atomixtest::FaultGuard held;
    EXPECT_FALSE(held.holds_fault());
    held = cluster().network().partition_isolate(3);
    EXPECT_TRUE(held.holds_fault());
    EXPECT_FALSE(cluster().faults().empty());
    held.undo();
    EXPECT_FALSE(held.holds_fault());
    EXPECT_TRUE(cluster().faults().empty());
    // A random choice comes from the cluster's seed.
    auto drawn = cluster().network().partition_random();
    EXPECT_FALSE(cluster().faults().empty()) << "seed " << cluster().seed();
}
