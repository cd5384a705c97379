// The partition shapes as sets of directed blocks.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace atomixtest::net
