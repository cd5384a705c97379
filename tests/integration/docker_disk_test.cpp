// The disk faults on the docker backend: each container's data dir is a lazy
// disk served on this machine and bound in (the image knows nothing of FUSE),
// and the faults reach it as they do on the local backend.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "docker_harness.hpp"

namespace atomixtest::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string status_of(const std::string& cluster, int node) {
    for (const auto& entry : nodes_json(cluster)) {
        if (entry["id"] == node) return entry["status"];
    }
    return "";
}

TEST(DockerDisk, TheContainersDataDirIsALazyDiskAndItsFaultsReachIt) {
    auto name = unique_cluster("dkdisk");
    auto setup = cli({"cluster", name, "setup", "-c", "etcd", "-n", "3", "--backend", "docker",
                      "--disk", "lazy"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    EXPECT_NE(read_file("/proc/self/mountinfo").find("/docker/" + name + "/"), std::string::npos)
        << "the lazy disks are mounted on this machine";
    auto on_cluster = [&](std::vector<std::string> command) {
        command.insert(command.begin(), {"cluster", name});
        return cli(command);
    };

    // A power loss of node 2: etcd synced what it acknowledged, so it keeps it.
    ASSERT_TRUE(write_succeeds(local_port(name, 1), "acknowledged", "kept", seconds(20)));
    auto killed = on_cluster({"node.kill", "2", "--lose-unfsynced"});
    EXPECT_EQ(killed.exit_code, 0) << killed.err;
    EXPECT_NE(killed.out.find("in force (verified: node 2: "), std::string::npos) << killed.out;
    EXPECT_EQ(status_of(name, 2), "dead");
    EXPECT_EQ(on_cluster({"node.recover", "2"}).exit_code, 0);
    EXPECT_EQ(eventually_get(local_port(name, 2), "acknowledged", b64("kept")), b64("kept"));

    // ENOSPC on node 1's WAL inside the container: the member dies rather
    // than acknowledge, and comes back once the rule is gone.
    auto applied = on_cluster(
        {"disk.error", "1", "--path", "member/wal/*", "--ops", "write,fsync", "--errno", "ENOSPC"});
    EXPECT_EQ(applied.exit_code, 0) << applied.err;
    bool acknowledged = false;
    try {
        acknowledged = etcd_put(local_port(name, 1), "full", "disk", seconds(5)).status == 200;
    } catch (const Error&) {
    }
    EXPECT_FALSE(acknowledged) << "a write its WAL refused was acknowledged";
    // The container's process exited: docker says so as "stopped".
    for (int i = 0; i < 100 && status_of(name, 1) == "running"; ++i) {
        std::this_thread::sleep_for(milliseconds(100));
    }
    EXPECT_NE(status_of(name, 1), "running");
    EXPECT_NE(on_cluster({"logs", "1"}).out.find("no space left on device"), std::string::npos);
    EXPECT_EQ(on_cluster({"disk.restore", "1"}).exit_code, 0);
    EXPECT_EQ(on_cluster({"node.recover", "1"}).exit_code, 0);
    EXPECT_TRUE(write_succeeds(local_port(name, 1), "after", "restore", seconds(30)));

    EXPECT_EQ(cli({"cluster", name, "teardown"}).exit_code, 0);
    EXPECT_TRUE(labelled_containers(name).empty());
    EXPECT_EQ(read_file("/proc/self/mountinfo").find("/docker/" + name + "/"), std::string::npos)
        << "teardown leaves no mount";
    EXPECT_TRUE(processes_mentioning("/docker/" + name + "/").empty()) << "nor a daemon";
}

}  // namespace
}  // namespace atomixtest::testing
