// Every partition shape on a real 5-node etcd cluster: the reachability matrix
// measured with real packets between the nodes' namespaces, and etcd acting
// on it (the side without a majority cannot write, the other side can).
#include <gtest/gtest.h>

#include "atomixtest/error.hpp"
#include "reachability.hpp"
#include "shared_cluster.hpp"

namespace atomixtest::testing {
namespace {

class PartitionShapes : public SharedEtcdCluster<5> {
  protected:
    void TearDown() override {
        EXPECT_EQ(cli({"cluster", name(), "heal"}).exit_code, 0);
        EXPECT_EQ(measure_reachability(name()), all_but(5, {}))
            << "healed: everyone reaches everyone";
    }

    // A write through the node commits within the time, retrying through elections.
    static bool can_write(int node, std::chrono::seconds within) {
        auto port = local_port(name(), node);
        auto deadline = std::chrono::steady_clock::now() + within;
        while (std::chrono::steady_clock::now() < deadline) {
            try {
                if (etcd_put(port, "shape", std::to_string(node), std::chrono::seconds(2)).status ==
                    200) {
                    return true;
                }
            } catch (const Error&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }
};

TEST_F(PartitionShapes, HalvesCutTheSmallerHalfOff) {
    apply({"halves"});
    EXPECT_EQ(measure_reachability(name()), all_but(5, cut_between({1, 2}, {3, 4, 5})));
    EXPECT_TRUE(can_write(3, std::chrono::seconds(10))) << "the majority side writes";
    EXPECT_FALSE(can_write(1, std::chrono::seconds(3))) << "the minority side cannot";
}

TEST_F(PartitionShapes, BridgeSeesBothHalves) {
    apply({"bridge", "3"});
    EXPECT_EQ(measure_reachability(name()), all_but(5, cut_between({1, 2}, {4, 5})));
    EXPECT_TRUE(can_write(3, std::chrono::seconds(15))) << "the bridge and one half are a majority";
}

TEST_F(PartitionShapes, BridgeWithoutANodeIsDrawnFromTheSeed) {
    apply({"bridge", "--seed", "42"});
    auto first = measure_reachability(name());
    ASSERT_EQ(cli({"cluster", name(), "heal"}).exit_code, 0);
    apply({"bridge", "--seed", "42"});
    EXPECT_EQ(measure_reachability(name()), first) << "the same seed, the same bridge";
    EXPECT_EQ(first.size(), 20u - 8u) << describe(first);
}

TEST_F(PartitionShapes, IsolateCutsOneNodeFromAll) {
    apply({"isolate", "4"});
    EXPECT_EQ(measure_reachability(name()), all_but(5, cut_between({4}, {1, 2, 3, 5})));
    EXPECT_FALSE(can_write(4, std::chrono::seconds(3)));
    EXPECT_TRUE(can_write(1, std::chrono::seconds(10)));
}

TEST_F(PartitionShapes, RandomIsolatesOneNode) {
    apply({"random", "--seed", "5"});
    auto reached = measure_reachability(name());
    EXPECT_EQ(reached.size(), 20u - 8u) << describe(reached);
}

TEST_F(PartitionShapes, UniPartitionDropsOneDirectionOnly) {
    apply({"partition", "1", "2", "--uni"});
    EXPECT_EQ(measure_reachability(name()), all_but(5, {{1, 2}}));
}

TEST_F(PartitionShapes, PartitionFromAllWithoutRemote) {
    apply({"partition", "5"});
    EXPECT_EQ(measure_reachability(name()), all_but(5, cut_between({5}, {1, 2, 3, 4})));
}

TEST_F(PartitionShapes, HealOfOnePairLeavesTheRest) {
    apply({"halves"});
    apply({"heal", "1", "3"});
    auto cut = cut_between({1, 2}, {3, 4, 5});
    cut.erase({1, 3});
    cut.erase({3, 1});
    EXPECT_EQ(measure_reachability(name()), all_but(5, cut));
}

}  // namespace
}  // namespace atomixtest::testing
