// The original README's "Managing clusters": add a server, remove a node,
// through the GoogleTest fixture (a cluster per test, named after it).
#include "atomixtest/testing/gtest_fixture.hpp"

class Resize : public atomixtest::ClusterTest {
  protected:
    Options cluster_options() const override { return {.profile = "etcd"}; }
};

TEST_F(Resize, NamedAfterTest) {
    EXPECT_EQ(cluster().name(), "resize-named-after-test-" + atomixtest::process_suffix())
        << cluster().name();
}

TEST_F(Resize, AddAServerThenRemoveIt) {
    auto added = cluster().add_node();
    EXPECT_EQ(added.id(), 4);
    EXPECT_EQ(added.type(), atomixtest::NodeType::Server);
    EXPECT_EQ(added.status(), atomixtest::NodeStatus::Running);
    EXPECT_EQ(cluster().servers().size(), 4u);

    // The new member holds the cluster's data and takes writes.
    cluster().node(1).map("test-map").put("foo", "bar");
    EXPECT_EQ(added.map("test-map").get("foo"), "bar");
    added.map("test-map").put("from-4", "yes");
    EXPECT_EQ(cluster().node(2).map("test-map").get("from-4"), "yes");

    cluster().remove_node(4);
    EXPECT_EQ(cluster().nodes().size(), 3u);
    EXPECT_THROW(cluster().node(4), atomixtest::Error);
    // Three members again: a write still reaches a majority.
    cluster().node(3).map("test-map").put("after", "removal");
    EXPECT_EQ(cluster().node(1).map("test-map").get("after"), "removal");
}

TEST_F(Resize, RemoveANodeByName) {
    cluster().remove_node(cluster().name() + "-3");
    EXPECT_EQ(cluster().nodes().size(), 2u);
    cluster().node(1).map("m").put("k", "v");
    EXPECT_EQ(cluster().node(2).map("m").get("k"), "v");
}
