// The original README's "Writing tests": create_cluster, then node access.
// The cluster is gone when the Cluster object goes, unless kept.
#include <gtest/gtest.h>

#include <filesystem>

#include "atomixtest/testing.hpp"
#include "example_support.hpp"

using atomixtest::create_cluster;
using atomixtest::NodeStatus;
using atomixtest::NodeType;

TEST(CreateCluster, NodesAreThereAndGoWithTheCluster) {
    std::string name;
    std::filesystem::path path;
    {
        auto cluster = create_cluster("etcd", {.nodes = 3});
        name = cluster.name();
        path = cluster.path();
        auto node = cluster.node(1);
        EXPECT_EQ(node.id(), 1);
        EXPECT_EQ(node.name(), name + "-1");
        EXPECT_EQ(node.status(), NodeStatus::Running);
        EXPECT_GT(node.local_port(), 0);
        EXPECT_EQ(node.type(), NodeType::Server);
        EXPECT_EQ(cluster.node(name + "-2").id(), 2);
        EXPECT_EQ(cluster.nodes().size(), 3u);
        EXPECT_EQ(cluster.servers().size(), 3u);
        EXPECT_TRUE(cluster.clients().empty());
        EXPECT_THROW(cluster.node(9), atomixtest::Error);
        // The node's files are under path(); run() is a command inside it.
        EXPECT_TRUE(std::filesystem::is_directory(path));
        EXPECT_NE(node.logs(), "");
        auto hostname = node.run({"ip", "-o", "-4", "addr", "show", "eth0"});
        EXPECT_EQ(hostname.exit_code, 0);
        EXPECT_NE(hostname.out.find(node.ip()), std::string::npos) << hostname.out;
        EXPECT_EQ(examples::namespaces_of(name), 4);  // 3 nodes and the bridge
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_EQ(examples::namespaces_of(name), 0);
}

TEST(CreateCluster, KeptClusterOutlivesTheObjectUntilTeardown) {
    auto name = atomixtest::generated_cluster_name();
    {
        auto cluster = create_cluster("etcd", {.nodes = 1, .name = name, .keep = true});
        cluster.node(1).map("m").put("k", "v");
    }
    EXPECT_EQ(examples::namespaces_of(name), 2);
    EXPECT_EQ(examples::atomix_test("cluster " + name + " nodes"), 0);
    EXPECT_EQ(examples::atomix_test("cluster " + name + " teardown"), 0);
    EXPECT_EQ(examples::namespaces_of(name), 0);
}

TEST(CreateCluster, BadProfileIsRefusedBeforeAnythingExists) {
    auto name = atomixtest::generated_cluster_name();
    EXPECT_THROW(create_cluster("no-such-profile", {.name = name}), atomixtest::Error);
    EXPECT_EQ(examples::namespaces_of(name), 0);
}
