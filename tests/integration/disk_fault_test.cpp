// The disk plugin's faults on a real 3-member etcd whose data dirs are lazy
// disks (--disk lazy), each applied and undone through the CLI as a user
// would, and checked on etcd itself and on the files under the mount.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

class DiskFaults : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        suite_set_up().run({"cluster", name(), "setup", "-c", "etcd", "-n", "3", "--disk", "lazy"});
    }
    static void TearDownTestSuite() {
        cli({"cluster", name(), "teardown"});
        EXPECT_EQ(read_file("/proc/self/mountinfo").find(name()), std::string::npos)
            << "teardown leaves no mount";
        EXPECT_TRUE(processes_mentioning("/" + name() + "/").empty()) << "nor a daemon";
    }
    void SetUp() override { ASSERT_EQ(suite_set_up().failure, ""); }
    // Whatever a test did, the next one starts with every member up and no rule.
    void TearDown() override {
        cli({"cluster", name(), "disk.restore"});
        for (int id = 1; id <= 3; ++id)
            cli({"cluster", name(), "node.recover", std::to_string(id)});
    }
    static SuiteSetUp& suite_set_up() {
        static SuiteSetUp outcome;
        return outcome;
    }
    static const std::string& name() {
        static const std::string cluster = unique_cluster("it-disk");
        return cluster;
    }
    static ProcessResult on_cluster(std::vector<std::string> command) {
        command.insert(command.begin(), {"cluster", name()});
        return cli(command);
    }
    static std::string status_of(int node) {
        for (const auto& entry : nodes_json(name())) {
            if (entry["id"] == node) return entry["status"];
        }
        return "";
    }
    static fs::path data_of(int node) {
        return state_dir() / "local" / name() / "nodes" / std::to_string(node) / "data";
    }
    // The median time of a few puts through a node, in ms.
    static double put_ms(int port) {
        std::vector<double> took;
        for (int i = 0; i < 5; ++i) {
            auto started = std::chrono::steady_clock::now();
            EXPECT_TRUE(write_succeeds(port, "timed", std::to_string(i), seconds(10)));
            took.push_back(std::chrono::duration<double, std::milli>(
                               std::chrono::steady_clock::now() - started)
                               .count());
        }
        std::sort(took.begin(), took.end());
        return took[2];
    }
};

TEST_F(DiskFaults, TheDataDirIsALazyDiskEachMemberSees) {
    auto mounts = read_file("/proc/self/mountinfo");
    for (int id = 1; id <= 3; ++id) {
        EXPECT_NE(mounts.find(data_of(id).string() + " "), std::string::npos) << id;
        EXPECT_TRUE(fs::exists(data_of(id) / "member" / "wal")) << "etcd writes through it";
    }
}

// ENOSPC on the WAL: etcd must refuse the write rather than acknowledge it.
// It does so by dying (a fatal "failed to save Raft hard state and entries").
TEST_F(DiskFaults, EnospcOnTheWalStopsTheMemberAndRestoreLetsItBack) {
    int port = local_port(name(), 1);
    auto applied = on_cluster(
        {"disk.error", "1", "--path", "member/wal/*", "--ops", "write,fsync", "--errno", "ENOSPC"});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    auto listed = on_cluster({"faults"}).out;
    EXPECT_NE(listed.find("ENOSPC on write,fsync of member/wal/*"), std::string::npos) << listed;

    bool acknowledged = false;
    try {
        acknowledged = etcd_put(port, "full", "disk", seconds(5)).status == 200;
    } catch (const Error&) {
    }
    EXPECT_FALSE(acknowledged) << "a write its WAL refused was acknowledged";
    for (int i = 0; i < 50 && status_of(1) != "dead"; ++i) {
        std::this_thread::sleep_for(milliseconds(100));
    }
    EXPECT_EQ(status_of(1), "dead");
    auto log = on_cluster({"logs", "1"}).out;
    EXPECT_NE(log.find("no space left on device"), std::string::npos);

    ASSERT_EQ(on_cluster({"disk.restore", "1"}).exit_code, 0);
    EXPECT_NE(on_cluster({"faults"}).out.find("no faults in force"), std::string::npos);
    ASSERT_EQ(on_cluster({"node.recover", "1"}).exit_code, 0);
    EXPECT_TRUE(write_succeeds(local_port(name(), 1), "after", "restore", seconds(20)));
}

TEST_F(DiskFaults, DelayOnWalFsyncsSlowsPutsUntilRestored) {
    int port = local_port(name(), 1);
    double before = put_ms(port);
    // Every member's WAL fsync waits 150 ms: a put waits for a quorum of them.
    ASSERT_EQ(
        on_cluster({"disk.delay", "--path", "member/wal/*", "--ops", "fsync", "--latency", "150ms"})
            .exit_code,
        0);
    double slowed = put_ms(port);
    ASSERT_EQ(on_cluster({"disk.restore"}).exit_code, 0);
    double after = put_ms(port);
    EXPECT_GE(slowed, 140.0) << "before " << before << " ms";
    EXPECT_LT(after, slowed / 2) << "restore ended the delay";
}

TEST_F(DiskFaults, APathMatchingNothingIsAWarningNotAnError) {
    auto applied = on_cluster({"disk.error", "2", "--path", "no/such/*", "--errno", "EIO"});
    EXPECT_EQ(applied.exit_code, 0) << applied.err;
    EXPECT_NE(applied.err.find("warning: disk.error: no file of node 2's data dir matches "
                               "'no/such/*' yet"),
              std::string::npos)
        << applied.err;
}

// Killed with lose_unfsynced, a member comes back with what a power loss
// leaves: bytes written beside its data and never synced are gone, and etcd
// (which fsyncs before it acknowledges) still has every acknowledged write.
// The file's first part and its name are synced first: a name is made
// durable by a sync of any file of the disk (ext4's ordered journal), which
// etcd's own WAL fsyncs may do at any moment, while the unsynced bytes of
// this file go whatever etcd syncs.
TEST_F(DiskFaults, KillLosingUnsyncedDataDropsWhatWasNeverSynced) {
    int port = local_port(name(), 1);
    ASSERT_TRUE(write_succeeds(port, "acknowledged", "kept", seconds(10)));
    auto file = data_of(2) / "never-synced";
    {
        int fd = open(file.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
        ASSERT_GE(fd, 0);
        std::string synced = "synced|", unsynced = "written, not synced";
        ASSERT_EQ(write(fd, synced.data(), synced.size()), static_cast<ssize_t>(synced.size()));
        ASSERT_EQ(fsync(fd), 0);
        ASSERT_EQ(write(fd, unsynced.data(), unsynced.size()),
                  static_cast<ssize_t>(unsynced.size()));
        close(fd);
        int dir = open(data_of(2).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_GE(dir, 0);
        ASSERT_EQ(fsync(dir), 0);
        close(dir);
    }
    ASSERT_EQ(read_file(file), "synced|written, not synced");
    auto killed = on_cluster({"node.kill", "2", "--lose-unfsynced"});
    ASSERT_EQ(killed.exit_code, 0) << killed.err;
    EXPECT_NE(killed.out.find("in force (verified: node 2: "), std::string::npos) << killed.out;
    EXPECT_NE(killed.out.find("never synced ("), std::string::npos) << killed.out;
    EXPECT_EQ(status_of(2), "dead");
    EXPECT_EQ(read_file(file), "synced|") << "the unsynced bytes are gone, the synced ones stay";
    ASSERT_EQ(on_cluster({"node.recover", "2"}).exit_code, 0);
    EXPECT_EQ(eventually_get(local_port(name(), 2), "acknowledged", b64("kept")), b64("kept"));
}

TEST_F(DiskFaults, CorruptIsRefusedOnARunningNodeAndSaysWhatItDamaged) {
    auto refused = on_cluster({"disk.corrupt", "3", "--path", "member/wal/*.wal"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("needs node 3 stopped or killed, and it is running"),
              std::string::npos)
        << refused.err;

    ASSERT_EQ(on_cluster({"node.stop", "3"}).exit_code, 0);
    auto wal = data_of(3) / "member" / "wal";
    fs::path file;
    for (const auto& entry : fs::directory_iterator(wal)) {
        if (entry.path().extension() == ".wal") file = entry.path();
    }
    ASSERT_FALSE(file.empty());
    auto before = read_file(file);
    auto corrupted = on_cluster({"disk.corrupt", "3", "--path", "member/wal/*.wal", "--mode",
                                 "zero", "--bytes", "64", "--offset", "0", "--seed", "5"});
    ASSERT_EQ(corrupted.exit_code, 0) << corrupted.err;
    EXPECT_NE(corrupted.out.find("zeroed 64 bytes of member/wal/" + file.filename().string() +
                                 " at offset 0"),
              std::string::npos)
        << corrupted.out;
    auto after = read_file(file);
    ASSERT_EQ(after.size(), before.size());
    EXPECT_EQ(after.substr(0, 64), std::string(64, '\0'));
    EXPECT_NE(before.substr(0, 64), std::string(64, '\0'));
    EXPECT_EQ(after.substr(64), before.substr(64));
    // Put back, so that the member starts again for the tests after this one.
    std::ofstream(file, std::ios::binary | std::ios::trunc) << before;
}

TEST(DiskFaultsOnPlainDirs, KillLosingUnsyncedIsRefusedBeforeTheKill) {
    auto cluster = unique_cluster("it-plain");
    ASSERT_EQ(cli({"cluster", cluster, "setup", "-c", "etcd", "-n", "1"}).exit_code, 0);
    auto refused = cli({"cluster", cluster, "node.kill", "1", "--lose-unfsynced"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("needs the nodes' data dirs on lazy disks"), std::string::npos)
        << refused.err;
    EXPECT_EQ(nodes_json(cluster)[0]["status"], "running") << "nothing was killed";
    auto error = cli({"cluster", cluster, "disk.error", "1"});
    EXPECT_EQ(error.exit_code, 2);
    EXPECT_NE(error.err.find("has no lazy disk"), std::string::npos) << error.err;
    EXPECT_EQ(cli({"cluster", cluster, "teardown"}).exit_code, 0);
}

}  // namespace
}  // namespace atomixtest::testing
