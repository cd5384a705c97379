// Crash safety of the lazy disk: a run killed with SIGKILL while its nodes'
// data dirs are FUSE mounts and a disk.error rule is in force leaves mounts
// and daemons behind; `atomix-test gc` must unmount every one and stop every
// daemon, so that `mount` shows none of them and their directories go.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "control_channel.hpp"
#include "mount/lazy_mount.hpp"
#include "running_cli.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

// The crash scenario's mounts, as /proc/self/mountinfo lists them.
std::vector<std::string> crash_mounts() {
    std::vector<std::string> found;
    for (const auto& mountpoint : disk::lazy_disk_mounts(state_dir() / "local")) {
        if (mountpoint.find("/disk-crash-points-") != std::string::npos)
            found.push_back(mountpoint);
    }
    return found;
}

std::vector<disk::DiskDaemonProcess> crash_daemons() {
    std::vector<disk::DiskDaemonProcess> found;
    for (const auto& daemon : disk::disk_daemons()) {
        if (daemon.cluster.rfind("disk-crash-points-", 0) == 0) found.push_back(daemon);
    }
    return found;
}

bool rule_in_force() {
    for (const auto& daemon : crash_daemons()) {
        try {
            auto status =
                disk::call_control(daemon.control, {{"op", "status"}}, std::chrono::seconds(2));
            if (!status.at("rules").empty()) return true;
        } catch (const Error&) {
        }
    }
    return false;
}

TEST(DiskGc, RemovesTheMountsAndDaemonsOfAKilledRun) {
    auto results = fs::temp_directory_path() / unique_cluster("disk-gc-results");
    auto runner = start_cli({"run", "--results", results.string(),
                             (source_dir() / "tests/integration/data/disk-crash-points.yaml")});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    while (!rule_in_force() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(rule_in_force()) << "the run never had its disk.error in force";
    kill(runner.pid, SIGKILL);
    waitpid(runner.pid, nullptr, 0);
    close(runner.out);
    ASSERT_EQ(crash_mounts().size(), 3u) << "a killed run leaves its mounts";
    ASSERT_EQ(crash_daemons().size(), 3u) << "and the daemons serving them";

    // The run's cluster is abandoned (its owner is gone): gc tears it down
    // whole, its lazy disks with it; a dry run names it and touches nothing.
    auto dry = cli({"gc", "--dry-run"});
    EXPECT_NE(dry.out.find("would remove cluster disk-crash-points-"), std::string::npos)
        << dry.out;
    EXPECT_EQ(crash_mounts().size(), 3u) << "a dry run unmounted something";

    auto gc = cli({"gc"});
    EXPECT_EQ(gc.exit_code, 0) << gc.out << gc.err;
    EXPECT_TRUE(crash_mounts().empty());
    EXPECT_TRUE(crash_daemons().empty());
    // Nor a watchdog, nor a node: nothing of the run is left running.
    for (int i = 0; i < 50 && !processes_mentioning("/disk-crash-points-").empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(processes_mentioning("/disk-crash-points-").empty());
    auto mount = run_process({.argv = {"mount"}}).out;
    EXPECT_EQ(mount.find("disk-crash-points-"), std::string::npos) << "mount is clean";
    for (const auto& entry : fs::directory_iterator(state_dir() / "local")) {
        EXPECT_EQ(entry.path().filename().string().rfind("disk-crash-points-", 0),
                  std::string::npos)
            << "left: " << entry.path();
    }
    fs::remove_all(results);
}

}  // namespace
}  // namespace atomixtest::testing
