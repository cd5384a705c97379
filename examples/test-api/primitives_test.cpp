// The original README's "Accessing primitives": every node is a client of
// the system; node.map("test-map") is a map through that node.
#include "atomixtest/testing/gtest_fixture.hpp"

class Primitives : public atomixtest::ClusterTest {
  protected:
    Options cluster_options() const override { return {.profile = "etcd"}; }
};

TEST_F(Primitives, MapThroughANode) {
    auto map = cluster().node(1).map("test-map");
    EXPECT_EQ(map.get("foo"), std::nullopt);
    EXPECT_EQ(map.put("foo", "Hello world!"), std::nullopt);
    EXPECT_EQ(map.get("foo"), "Hello world!");
    EXPECT_EQ(map.put("foo", "again"), "Hello world!");  // the previous value
    // Another node sees the same map.
    EXPECT_EQ(cluster().node(3).map("test-map").get("foo"), "again");
    EXPECT_FALSE(map.cas("foo", "not this", "x"));
    EXPECT_TRUE(map.cas("foo", "again", "swapped"));
    EXPECT_EQ(map.remove("foo"), "swapped");
    EXPECT_EQ(map.get("foo"), std::nullopt);
    // A verb etcd's client does not offer is refused by name.
    EXPECT_THROW(map.keys(), atomixtest::Error);
}

TEST_F(Primitives, ValueAndCounter) {
    auto value = cluster().node(2).value("register");
    EXPECT_EQ(value.get(), std::nullopt);
    EXPECT_TRUE(value.cas(std::nullopt, "first"));
    EXPECT_FALSE(value.cas(std::nullopt, "second"));
    value.set("third");
    EXPECT_EQ(cluster().node(1).value("register").get(), "third");

    auto counter = cluster().node(1).counter("hits");
    counter.set(41);
    EXPECT_EQ(counter.inc(), 42);
    EXPECT_EQ(cluster().node(3).counter("hits").get(), 42);
}
