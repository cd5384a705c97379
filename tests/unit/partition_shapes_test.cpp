// The partition shapes as sets of directed blocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "net/block.hpp"

namespace atomixtest::net {
namespace {

TEST(PartitionShapes, HalvesSplitInIdOrderWithTheSmallerHalfFirst) {
    auto blocks = halves_of({1, 2, 3, 4, 5});
    EXPECT_EQ(blocks.size(), 12u);  // 2 x 3 pairs, both ways
    EXPECT_TRUE(blocks.count({1, 3}) && blocks.count({3, 1}) && blocks.count({2, 5}));
    EXPECT_FALSE(blocks.count({1, 2}) || blocks.count({3, 4}));
}

TEST(PartitionShapes, BridgeSeesBothHalves) {
    auto blocks = bridged_halves(3, {1, 2, 3, 4, 5});
    EXPECT_EQ(blocks, blocks_between_groups({1, 2}, {4, 5}));
    EXPECT_TRUE(blocks_touching(blocks, 3).empty());
}

TEST(PartitionShapes, IsolationBlocksEveryPeerBothWays) {
    auto blocks = isolation_of(2, {1, 2, 3});
    EXPECT_EQ(blocks, (BlockSet{{2, 1}, {1, 2}, {2, 3}, {3, 2}}));
}

TEST(PartitionShapes, OneWayIsOneBlock) {
    EXPECT_EQ(blocks_between(1, 2, false), (BlockSet{{1, 2}}));
}

// Which nodes each node hears from (itself included), under the blocks.
std::map<int, std::set<int>> heard(const BlockSet& blocks, const std::vector<int>& nodes) {
    std::map<int, std::set<int>> views;
    for (int to : nodes) {
        for (int from : nodes) {
            if (!blocks.count({from, to})) views[to].insert(from);
        }
    }
    return views;
}

TEST(PartitionGroups, IntersectingGroupsMakeABridge) {
    auto blocks = blocks_of_groups({{1, 2}, {2, 3}}, {1, 2, 3});
    EXPECT_EQ(blocks, (BlockSet{{1, 3}, {3, 1}})) << "2 talks to both, 1 and 3 cannot talk";
}

TEST(PartitionGroups, ANodeInNoGroupTalksToNobody) {
    auto blocks = blocks_of_groups({{1, 2}, {2, 3}}, {1, 2, 3, 4});
    EXPECT_EQ(blocks_touching(blocks, 4), isolation_of(4, {1, 2, 3, 4}));
}

TEST(PartitionGroups, OneWayCutsOnlyFromEarlierGroupsToLaterOnes) {
    auto blocks = blocks_of_groups({{1, 2}, {3}}, {1, 2, 3}, true);
    EXPECT_EQ(blocks, (BlockSet{{1, 3}, {2, 3}})) << "3 still reaches 1 and 2";
    EXPECT_EQ(blocks_of_groups({{1}, {2}}, {1, 2, 3}, true), (BlockSet{{1, 2}, {1, 3}, {2, 3}}))
        << "a node in no group comes after every group";
}

TEST(PartitionGroups, TheOriginalShapesAreGroups) {
    std::vector<int> nodes = {1, 2, 3, 4, 5};
    EXPECT_EQ(halves_of(nodes), blocks_between_groups({1, 2}, {3, 4, 5}));
    EXPECT_EQ(bridged_halves(3, nodes), blocks_of_groups({{1, 2, 3}, {3, 4, 5}}, nodes));
    EXPECT_EQ(isolation_of(2, nodes), blocks_of_groups({{2}, {1, 3, 4, 5}}, nodes));
    EXPECT_EQ(blocks_between(1, 2, true), blocks_of_groups({{1, 3, 4, 5}, {2, 3, 4, 5}}, nodes));
}

TEST(MajoritiesRing, OnFiveNodesEachTalksToItsTwoNeighboursBothWays) {
    auto blocks = majorities_ring({1, 2, 3, 4, 5});
    auto views = heard(blocks, {1, 2, 3, 4, 5});
    EXPECT_EQ(views[1], (std::set<int>{5, 1, 2}));
    EXPECT_EQ(views[3], (std::set<int>{2, 3, 4}));
    for (const auto& block : blocks) EXPECT_TRUE(blocks.count({block.to, block.from}));
}

TEST(MajoritiesRing, EveryNodeHearsAMajorityAndNoTwoTheSame) {
    for (int n = 3; n <= 9; ++n) {
        std::vector<int> ring;
        for (int id = n; id >= 1; --id) ring.push_back(id);  // an order other than the ids'
        auto views = heard(majorities_ring(ring), ring);
        std::set<std::set<int>> distinct;
        for (const auto& [node, view] : views) {
            EXPECT_EQ(static_cast<int>(view.size()), n / 2 + 1) << n << " nodes, node " << node;
            EXPECT_TRUE(view.count(node));
            distinct.insert(view);
        }
        EXPECT_EQ(static_cast<int>(distinct.size()), n) << n << " nodes";
    }
}

TEST(MajoritiesRing, FollowsTheOrderGiven) {
    auto views = heard(majorities_ring({1, 3, 5, 2, 4}), {1, 2, 3, 4, 5});
    EXPECT_EQ(views[5], (std::set<int>{3, 5, 2}));
}

TEST(OpenPairs, AreThePairsNoBlockCuts) {
    auto open = open_pairs({{1, 2}, {2, 1}}, {1, 2, 3});
    EXPECT_EQ(open.size(), 4u);
    EXPECT_TRUE(std::find(open.begin(), open.end(), Block{1, 3}) != open.end());
}

}  // namespace
}  // namespace atomixtest::net
