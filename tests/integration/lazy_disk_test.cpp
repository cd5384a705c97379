// The lazy disk on its own, without a cluster: the FUSE daemon mounted on a
// scratch directory, written through with plain system calls, then told to
// crash ("lose what was not synced") over its control channel, as node.kill
// with lose_unfsynced does. What a power loss keeps must stay, and what it
// takes must go; I/O rules fail and slow calls by path; unmounting leaves no
// daemon and no mount.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "cli_harness.hpp"
#include "control_channel.hpp"
#include "mount/lazy_mount.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

class LazyDisk : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / unique_cluster("lazy-disk-test");
        fs::remove_all(root_);
        fs::create_directories(root_);
        disk_ = disk::lazy_disk_at(root_ / "data", root_);
        disk::mount_lazy_disk(disk_, "test", root_.filename().string(), 1,
                              plugin_dir() / "atomixtest-diskfs");
    }
    void TearDown() override {
        disk::unmount_lazy_disks(root_);
        EXPECT_TRUE(disk::lazy_disk_mounts(root_).empty());
        fs::remove_all(root_);
    }

    fs::path at(const std::string& name) const { return disk_.mountpoint / name; }

    nlohmann::json ask(const nlohmann::json& request) {
        return disk::call_control(disk_.control.string(), request, std::chrono::seconds(10));
    }
    nlohmann::json crash() { return ask({{"op", "lose_unsynced"}}); }

    static void write_file(const fs::path& path, const std::string& text, bool sync,
                           int flags = 0) {
        int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | flags, 0644);
        ASSERT_GE(fd, 0) << path << ": " << strerror(errno);
        ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
        if (sync) {
            ASSERT_EQ(fsync(fd), 0);
        }
        close(fd);
    }
    static void append(const fs::path& path, const std::string& text) {
        int fd = open(path.c_str(), O_WRONLY | O_APPEND);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
        close(fd);
    }
    static void sync_directory(const fs::path& dir) {
        int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(fsync(fd), 0);
        close(fd);
    }

    fs::path root_;
    disk::LazyDisk disk_;
};

TEST_F(LazyDisk, AWriteNeverSyncedIsGoneAfterTheCrash) {
    write_file(at("base"), "durable", true);
    sync_directory(disk_.mountpoint);
    append(at("base"), " and lost");
    write_file(at("new"), "never synced", false);
    ASSERT_EQ(read_file(at("base")), "durable and lost");  // the page cache sees it

    auto lost = crash();
    EXPECT_EQ(read_file(at("base")), "durable");
    EXPECT_FALSE(fs::exists(at("new")));  // created, never synced: not there
    EXPECT_GE(lost.at("bytes").get<int>(), 9);
    EXPECT_GE(lost.at("name_changes").get<int>(), 1);
}

TEST_F(LazyDisk, AWriteSyncedStays) {
    write_file(at("wal"), "record 1\n", true);
    sync_directory(disk_.mountpoint);
    int fd = open(at("wal").c_str(), O_WRONLY | O_APPEND);
    ASSERT_GE(fd, 0);
    std::string record = "record 2\n";
    ASSERT_EQ(write(fd, record.data(), record.size()), 9);
    ASSERT_EQ(fdatasync(fd), 0);
    close(fd);
    crash();
    EXPECT_EQ(read_file(at("wal")), "record 1\nrecord 2\n");
}

TEST_F(LazyDisk, AnOSyncWriteIsDurableAsItReturns) {
    write_file(at("log"), "synced by O_DSYNC", false, O_DSYNC);
    crash();
    EXPECT_EQ(read_file(at("log")), "synced by O_DSYNC");
}

TEST_F(LazyDisk, AFileSyncedInADirectoryNeverSyncedKeepsItsName) {
    // ext4 (data=ordered) commits the name with the file's own fsync, and the
    // model follows it: the sync of any file commits the names before it.
    fs::create_directories(at("member/wal"));
    write_file(at("member/wal/0.wal"), "entries", true);
    crash();
    EXPECT_EQ(read_file(at("member/wal/0.wal")), "entries");
}

TEST_F(LazyDisk, ARenameWithoutADirectorySyncIsUndone) {
    write_file(at("snap.tmp"), "new snapshot", true);
    write_file(at("snap"), "old snapshot", true);
    sync_directory(disk_.mountpoint);
    fs::rename(at("snap.tmp"), at("snap"));
    EXPECT_EQ(read_file(at("snap")), "new snapshot");

    crash();
    EXPECT_EQ(read_file(at("snap")), "old snapshot");
    EXPECT_EQ(read_file(at("snap.tmp")), "new snapshot");
}

TEST_F(LazyDisk, ARenameFollowedByADirectorySyncStays) {
    write_file(at("snap.tmp"), "new snapshot", true);
    fs::rename(at("snap.tmp"), at("snap"));
    sync_directory(disk_.mountpoint);
    crash();
    EXPECT_EQ(read_file(at("snap")), "new snapshot");
    EXPECT_FALSE(fs::exists(at("snap.tmp")));
}

TEST_F(LazyDisk, ARemovalAndATruncationNeverSyncedAreUndone) {
    write_file(at("a"), "kept file", true);
    write_file(at("b"), "0123456789", true);
    sync_directory(disk_.mountpoint);
    fs::remove(at("a"));
    fs::resize_file(at("b"), 3);
    crash();
    EXPECT_EQ(read_file(at("a")), "kept file");
    EXPECT_EQ(read_file(at("b")), "0123456789");
}

TEST_F(LazyDisk, AnOverwriteNeverSyncedGetsTheOldBytesBack) {
    write_file(at("page"), std::string(100000, 'a'), true);
    sync_directory(disk_.mountpoint);
    int fd = open(at("page").c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    std::string middle(5000, 'b');
    ASSERT_EQ(pwrite(fd, middle.data(), middle.size(), 40000), 5000);
    close(fd);
    crash();
    EXPECT_EQ(read_file(at("page")), std::string(100000, 'a'));
}

// Atomix's mapped journal writes through a shared mapping and makes it
// durable with msync (MappedByteBuffer.force). A child process maps a
// preallocated segment, writes two pages, msyncs the first only and is
// SIGKILLed with the mapping dirty, as a node is: the kernel writes the
// dirty pages back to the daemon as the process dies, and the crash must
// take back the page never msynced and keep the one that was.
void write_through_mapping_and_die(const fs::path& path, bool sync_first_page) {
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        int fd = open(path.c_str(), O_RDWR);
        auto* map =
            static_cast<char*>(mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
        if (fd < 0 || map == MAP_FAILED) _exit(1);
        close(fd);  // the mapping outlives the descriptor, as in the JVM
        std::memcpy(map, "page one", 8);
        if (sync_first_page && msync(map, 4096, MS_SYNC) != 0) _exit(2);
        std::memcpy(map + 4096, "page two", 8);
        [[maybe_unused]] auto said = write(ready[1], "r", 1);
        pause();
        _exit(0);
    }
    close(ready[1]);
    char byte = 0;
    ASSERT_EQ(read(ready[0], &byte, 1), 1) << "the child could not map the file";
    close(ready[0]);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
}

TEST_F(LazyDisk, APageMsyncedThroughAMappingStaysAndOneNeverMsyncedGoes) {
    write_file(at("segment"), std::string(8192, '\0'), true);
    sync_directory(disk_.mountpoint);
    write_through_mapping_and_die(at("segment"), true);
    auto before = read_file(at("segment"));
    ASSERT_EQ(before.substr(4096, 8), "page two");  // written back as the process died

    crash();
    auto after = read_file(at("segment"));
    ASSERT_EQ(after.size(), 8192u);
    EXPECT_EQ(after.substr(0, 8), "page one");
    EXPECT_EQ(after.substr(4096, 8), std::string(8, '\0'));
}

TEST_F(LazyDisk, PagesOfAMappingNeverMsyncedAreAllLost) {
    write_file(at("segment"), std::string(8192, '\0'), true);
    sync_directory(disk_.mountpoint);
    write_through_mapping_and_die(at("segment"), false);
    crash();
    EXPECT_EQ(read_file(at("segment")), std::string(8192, '\0'));
}

TEST_F(LazyDisk, ErrorRulesFailMatchingCallsOnlyUntilRestored) {
    fs::create_directories(at("member/wal"));
    write_file(at("member/wal/0.wal"), "x", true);
    write_file(at("other"), "x", true);
    ask({{"op", "rules"},
         {"rules", {{{"path", "member/wal/*"}, {"ops", {"write"}}, {"errno", "ENOSPC"}}}},
         {"seed", 1}});
    int fd = open(at("member/wal/0.wal").c_str(), O_WRONLY | O_APPEND);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(write(fd, "y", 1), -1);
    EXPECT_EQ(errno, ENOSPC);
    EXPECT_EQ(fsync(fd), 0);  // only writes were named
    close(fd);
    append(at("other"), "y");  // another path: untouched
    EXPECT_EQ(read_file(at("other")), "xy");

    ask({{"op", "rules"}, {"rules", nlohmann::json::array()}});
    append(at("member/wal/0.wal"), "z");
    EXPECT_EQ(read_file(at("member/wal/0.wal")), "xz");
}

TEST_F(LazyDisk, DelayRulesHoldMatchingCalls) {
    write_file(at("slow"), "x", true);
    ask({{"op", "rules"},
         {"rules", {{{"path", "slow"}, {"ops", {"fsync"}}, {"latency_us", 200000}}}},
         {"seed", 1}});
    int fd = open(at("slow").c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(fsync(fd), 0);
    auto took = std::chrono::steady_clock::now() - started;
    close(fd);
    EXPECT_GE(took, std::chrono::milliseconds(190));
}

TEST_F(LazyDisk, CorruptionIsDrawnFromTheSeedAndSaysWhere) {
    write_file(at("segment"), std::string(4096, 'a'), true);
    auto first =
        ask({{"op", "corrupt"}, {"path", "seg*"}, {"mode", "zero"}, {"bytes", 16}, {"seed", 7}});
    EXPECT_EQ(first.at("file"), "segment");
    auto offset = first.at("offset").get<int64_t>();
    auto text = read_file(at("segment"));
    EXPECT_EQ(text.substr(static_cast<size_t>(offset), 16), std::string(16, '\0'));
    EXPECT_EQ(text.size(), 4096u);
    // The same seed draws the same place.
    write_file(at("segment"), std::string(4096, 'a'), true);
    auto again =
        ask({{"op", "corrupt"}, {"path", "seg*"}, {"mode", "zero"}, {"bytes", 16}, {"seed", 7}});
    EXPECT_EQ(again.at("offset"), first.at("offset"));
}

TEST_F(LazyDisk, UnmountingStopsTheDaemonAndLeavesNoMount) {
    ASSERT_EQ(disk::lazy_disk_mounts(root_).size(), 1u);
    auto daemons = [this] {
        int count = 0;
        for (const auto& daemon : disk::disk_daemons()) {
            if (daemon.mountpoint == disk_.mountpoint.string()) ++count;
        }
        return count;
    };
    ASSERT_EQ(daemons(), 1);
    disk::unmount_lazy_disks(root_);
    EXPECT_TRUE(disk::lazy_disk_mounts(root_).empty());
    EXPECT_EQ(daemons(), 0);
    EXPECT_EQ(read_file("/proc/self/mountinfo").find(disk_.mountpoint.string()), std::string::npos);
}

// The node agent's way (atomixtest-node-disk, beside a node): started from a
// mount namespace of its own, as in the agent's container, the daemon mounts
// the node's data dir in the machine's namespace (its parent's, here this
// test's), where a pod would bind it; the tool relays a request to it from
// there too; unmounted, the daemon and its watchdog end.
TEST(LazyDiskBesideANode, TheToolMountsInTheMachinesNamespaceFromItsOwn) {
    auto dir = fs::temp_directory_path() / unique_cluster("node-disk-test");
    fs::remove_all(dir);
    auto tool = (plugin_dir() / "atomixtest-node-disk").string();
    auto beside = [&](std::vector<std::string> args) {
        std::vector<std::string> argv = {"env",
                                         "ATOMIXTEST_NODE_DIR=" + dir.string(),
                                         "unshare",
                                         "-m",
                                         "--propagation",
                                         "private",
                                         tool};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process({.argv = argv});
    };
    auto mounted = beside({"mount", "beside-test", "1"});
    ASSERT_EQ(mounted.exit_code, 0) << mounted.err;
    ASSERT_EQ(disk::lazy_disk_mounts(dir).size(), 1u) << "mounted where this process sees it";
    {
        std::ofstream out(dir / "data" / "written");
        out << "unsynced";
    }
    EXPECT_TRUE(fs::exists(dir / "disk" / "data" / "written")) << "served from the node's dir";
    auto lost = beside({"control", R"({"op":"lose_unsynced"})"});
    ASSERT_EQ(lost.exit_code, 0) << lost.err;
    auto reply = nlohmann::json::parse(lost.out);
    EXPECT_TRUE(reply.value("ok", false)) << lost.out;
    EXPECT_EQ(reply.value("name_changes", 0), 1) << "its creation undone: " << lost.out;
    EXPECT_FALSE(fs::exists(dir / "data" / "written")) << "a file never synced is gone";

    auto unanswered =
        run_process({.argv = {"env", "ATOMIXTEST_NODE_DIR=/nonexistent", "unshare", "-m",
                              "--propagation", "private", tool, "control", R"({"op":"status"})"}});
    EXPECT_EQ(unanswered.exit_code, 3) << "no daemon there: " << unanswered.err;

    disk::unmount_lazy_disks(dir);
    EXPECT_TRUE(disk::lazy_disk_mounts(dir).empty());
    for (int i = 0; i < 100 && !processes_mentioning(dir.string()).empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(processes_mentioning(dir.string()).empty()) << "the daemon and its watchdog end";
    fs::remove_all(dir);
}

// The agent removes a node's dir, with what is mounted under it, only under
// its own root: anything else is refused before it is touched.
TEST(NodeAgentDirs, RemovingADirOutsideTheAgentsRootIsRefused) {
    auto dir = fs::temp_directory_path() / unique_cluster("not-a-node-dir");
    fs::create_directories(dir);
    auto agent = (plugin_dir() / "atomixtest-node-agent").string();
    for (const auto& path : {dir.string(), std::string("/var/lib/atomix-test-agent/../x"),
                             std::string("/var/lib/atomix-test-agent")}) {
        auto refused = run_process({.argv = {agent, "remove-dir", path}});
        EXPECT_EQ(refused.exit_code, 2) << path;
        EXPECT_NE(refused.err.find("is not under /var/lib/atomix-test-agent"), std::string::npos)
            << refused.err;
    }
    EXPECT_TRUE(fs::exists(dir));
    fs::remove_all(dir);
}

}  // namespace
}  // namespace atomixtest::testing
