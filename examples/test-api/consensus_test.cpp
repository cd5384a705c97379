// The original README's primitives example on Atomix 3: a consensus cluster
// (Raft), a client node added to it, and a map through the client.
#include "atomixtest/testing/gtest_fixture.hpp"

using atomixtest::NodeType;

class Consensus : public atomixtest::ClusterTest {
  protected:
    Options cluster_options() const override { return {.profile = "consensus"}; }
};

TEST_F(Consensus, MapThroughAnAddedClientNode) {
    auto node = cluster().add_node(NodeType::Client);
    EXPECT_EQ(node.type(), NodeType::Client);
    EXPECT_EQ(cluster().clients().size(), 1u);
    EXPECT_EQ(cluster().servers().size(), 3u);

    auto map = node.map("test-map");
    EXPECT_EQ(map.get("foo"), std::nullopt);
    EXPECT_EQ(map.put("foo", "Hello world!"), std::nullopt);
    EXPECT_EQ(map.get("foo"), "Hello world!");
    // The servers hold it: a server reads it too, and so after the client goes.
    cluster().remove_node(node);
    EXPECT_EQ(cluster().node(2).map("test-map").get("foo"), "Hello world!");
    EXPECT_EQ(cluster().node(1).counter("c").inc(), 1);
}
