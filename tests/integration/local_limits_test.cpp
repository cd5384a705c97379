// --cpu and --memory on the local backend: each node runs in a cgroup of its
// own with those limits (cgroup v2, or the v1 cpu and memory trees), and
// teardown removes the cgroups with the cluster.
#include <gtest/gtest.h>

#include "atomixtest/cgroup.hpp"
#include "atomixtest/netns.hpp"
#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

std::string trimmed(const std::string& text) {
    auto end = text.find_last_not_of(" \n");
    return end == std::string::npos ? "" : text.substr(0, end + 1);
}

TEST(LocalLimits, NodesRunInCgroupsWithTheLimitsAndTeardownRemovesThem) {
    auto name = unique_cluster("it-limits");
    auto setup = cli(
        {"cluster", name, "setup", "-c", "etcd", "-n", "2", "--cpu", "0.5", "--memory", "256m"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    NodeCgroup group(name, 1);
    auto node_pids = processes_in_network_namespace("/run/netns/atomix-test." + name + ".1");
    auto members = group.processes();
    ASSERT_FALSE(node_pids.empty());
    for (int pid : node_pids) {
        EXPECT_NE(std::find(members.begin(), members.end(), pid), members.end())
            << "node 1's process " << pid << " is in its cgroup";
    }
    if (group.unified()) {
        EXPECT_EQ(trimmed(read_file(group.dirs()[0] / "cpu.max")), "50000 100000");
        EXPECT_EQ(trimmed(read_file(group.dirs()[0] / "memory.max")), "268435456");
    } else {
        EXPECT_EQ(trimmed(read_file(group.dirs()[0] / "cpu.cfs_quota_us")), "50000");
        EXPECT_EQ(trimmed(read_file(group.dirs()[1] / "memory.limit_in_bytes")), "268435456");
    }
    EXPECT_TRUE(write_succeeds(local_port(name, 1), "k", "v", std::chrono::seconds(10)))
        << "the limited cluster works";
    auto teardown = cli({"cluster", name, "teardown"});
    EXPECT_EQ(teardown.exit_code, 0) << teardown.err;
    for (const auto& dir : group.dirs()) {
        EXPECT_FALSE(std::filesystem::exists(dir)) << dir;
        EXPECT_FALSE(std::filesystem::exists(dir.parent_path())) << "the cluster's cgroup";
    }
}

TEST(LocalLimits, DockerNetworkOptionsAreRefusedOnTheLocalBackend) {
    auto name = unique_cluster("it-nosupernet");
    auto result = cli({"cluster", name, "setup", "-c", "etcd", "--supernet", "10.0.0.0/8"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--supernet"), std::string::npos) << result.err;
    EXPECT_TRUE(namespaces_of(name).empty());
}

}  // namespace
}  // namespace atomixtest::testing
