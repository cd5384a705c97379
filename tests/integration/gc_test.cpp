// gc after crashes: a runner killed with SIGKILL leaves its cluster, rules,
// netem daemon and stress-ng behind; `atomix-test gc` must remove all of it,
// and nothing else: not a cluster the user set up, not a namespace without the
// framework's tag, not one rule of the host's.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "running_cli.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

// Processes carrying this state root's tag, read from /proc here rather than
// through gc's own finder, so a blind finder cannot pass the test.
std::vector<std::string> tagged_commands() {
    const std::string tag =
        "ATOMIX_TEST_CLUSTER=" + fs::absolute(state_dir()).lexically_normal().string() + "|";
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/proc", error)) {
        auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        auto environment = read_file(entry.path() / "environ");
        auto at = environment.find(tag);
        if (at == std::string::npos) continue;
        auto end = environment.find('\0', at);
        found.push_back(read_file(entry.path() / "comm") + " " +
                        environment.substr(at + tag.size(), end - at - tag.size()));
    }
    return found;
}

std::vector<std::string> entries_of(const fs::path& dir, const std::string& stem = "") {
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        auto name = entry.path().filename().string();
        if (name.rfind(stem, 0) == 0) names.push_back(name);
    }
    return names;
}

// A paused node's processes sit in a frozen cgroup of the v1 freezer; left
// so after a crash they would never run again, nor die of SIGTERM.
bool holds_a_frozen_group(const fs::path& cgroup) {
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(cgroup, error);
         it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (error) return false;
        if (it->path().filename() == "freezer.state" &&
            read_file(it->path()).rfind("FROZEN", 0) == 0) {
            return true;
        }
    }
    return false;
}

// What a run of the crash-points scenario may leave, anywhere on the machine.
std::vector<std::string> remains_of_crash_runs() {
    std::vector<std::string> remains;
    for (const auto& netns : entries_of("/run/netns", "atomix-test.crash-points-")) {
        remains.push_back("namespace " + netns);
    }
    for (const auto& process : tagged_commands()) {
        if (process.find("crash-points-") != std::string::npos) {
            remains.push_back("process " + process);
        }
    }
    for (const auto& dir : entries_of(state_dir() / "local", "crash-points-")) {
        remains.push_back("state dir " + dir);
    }
    for (const auto& claim : entries_of(state_dir() / "claims/local", "crash-points-")) {
        remains.push_back("claim " + claim);
    }
    for (const auto& tree : {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/memory",
                             "/sys/fs/cgroup/freezer", "/sys/fs/cgroup"}) {
        std::error_code error;
        for (auto it = fs::recursive_directory_iterator(tree, error);
             it != fs::recursive_directory_iterator(); it.increment(error)) {
            if (error) break;
            if (it.depth() > 6) it.disable_recursion_pending();
            auto name = it->path().filename().string();
            if (name.rfind("crash-points-", 0) == 0 &&
                it->path().parent_path().filename() == "atomix-test") {
                remains.push_back("cgroup " + it->path().string() +
                                  (holds_a_frozen_group(it->path()) ? " (frozen)" : ""));
                it.disable_recursion_pending();
            }
        }
    }
    for (const auto& marker : entries_of("/run/atomix-test/local", "crash-points-")) {
        remains.push_back("marker " + marker);
    }
    std::sort(remains.begin(), remains.end());
    return remains;
}

// What a killed run left goes on changing for a moment by itself (stress-ng
// forks its workers after it starts): read once it has stood still.
std::vector<std::string> settled_remains_of_crash_runs() {
    auto seen = remains_of_crash_runs();
    for (int round = 0; round < 25; ++round) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        auto now = remains_of_crash_runs();
        if (now == seen) break;
        seen = std::move(now);
    }
    return seen;
}

fs::path crash_scenario() {
    return source_dir() / "tests/integration/data/crash-points.yaml";
}

// Reads what the runner printed so far without blocking.
void drain(int fd, std::string& seen) {
    char buffer[4096];
    for (pollfd ready{fd, POLLIN, 0}; poll(&ready, 1, 0) > 0;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) return;
        seen.append(buffer, static_cast<size_t>(n));
    }
}

void kill_and_reap(pid_t pid) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

TEST(Gc, RemovesWhatAKilledRunLeftAndNothingElse) {
    auto host_before = host_ruleset();
    auto user_cluster = unique_cluster("gc-user");
    ASSERT_EQ(cli({"cluster", user_cluster, "setup", "-c", "etcd", "-n", "1"}).exit_code, 0);
    // A namespace under the framework's prefix but without its tag (no marker):
    // someone else's as far as gc knows.
    auto foreign = "atomix-test." + unique_cluster("gc-foreign") + ".1";
    ASSERT_EQ(run_process({.argv = {"ip", "netns", "add", foreign}}).exit_code, 0);

    auto results = fs::temp_directory_path() / unique_cluster("gc-results");
    auto runner = start_cli({"run", "--results", results.string(), crash_scenario().string()});
    // Killed once every kind of thing is in force: stress-ng runs only inside
    // the netem delay's block.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    auto stress_running = [] {
        for (const auto& process : tagged_commands()) {
            if (process.rfind("stress-ng", 0) == 0) return true;
        }
        return false;
    };
    // ...and once node 2 is paused, inside the isolation.
    auto node_frozen = [] {
        auto left = remains_of_crash_runs();
        return std::any_of(left.begin(), left.end(), [](const std::string& each) {
            return each.find("(frozen)") != std::string::npos;
        });
    };
    bool freezer = fs::exists("/sys/fs/cgroup/freezer/cgroup.procs");
    while (!(stress_running() && (!freezer || node_frozen())) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill_and_reap(runner.pid);
    close(runner.out);
    auto left = settled_remains_of_crash_runs();
    ASSERT_FALSE(left.empty());
    auto has = [&left](const std::string& what) {
        return std::any_of(left.begin(), left.end(), [&](const std::string& each) {
            return each.find(what) != std::string::npos;
        });
    };
    EXPECT_TRUE(has("stress-ng")) << "the kill came too late to test stress-ng";
    EXPECT_TRUE(has("atomixtest-net")) << "no netem daemon was left to find";
    EXPECT_TRUE(has("namespace")) << "no namespace was left to find";
    if (freezer) {
        EXPECT_TRUE(has("(frozen)")) << "no frozen node was left to find";
    }

    auto dry = cli({"gc", "--dry-run"});
    EXPECT_EQ(dry.exit_code, 0) << dry.err;
    EXPECT_NE(dry.out.find("would remove cluster crash-points-"), std::string::npos) << dry.out;
    EXPECT_EQ(remains_of_crash_runs(), left) << "a dry run removed something";

    auto gc = cli({"gc"});
    EXPECT_EQ(gc.exit_code, 0) << gc.out << gc.err;
    std::cout << gc.out;
    EXPECT_EQ(remains_of_crash_runs(), std::vector<std::string>{});
    // The user's cluster still serves, the untagged namespace is still there,
    // and the host's rules are as they were.
    EXPECT_TRUE(
        write_succeeds(local_port(user_cluster, 1), "after-gc", "yes", std::chrono::seconds(5)));
    EXPECT_TRUE(fs::exists("/run/netns/" + foreign));
    EXPECT_EQ(host_ruleset(), host_before);

    run_process({.argv = {"ip", "netns", "del", foreign}});
    fs::remove_all(results);
    EXPECT_EQ(cli({"cluster", user_cluster, "teardown"}).exit_code, 0);
    EXPECT_TRUE(namespaces_of(user_cluster).empty());
}

// A docker set-up killed half way: its containers and network carry the
// cluster's label and its claim names a dead process, so gc removes them.
TEST(Gc, RemovesAHalfMadeDockerCluster) {
    auto cluster = unique_cluster("gc-dk");
    auto labelled = [&cluster](const char* what) {
        return run_process({.argv = {"docker", what, "ls", "-aq", "--filter",
                                     "label=io.atomix-test.cluster=" + cluster}})
            .out;
    };
    auto runner =
        start_cli({"cluster", cluster, "setup", "-c", "etcd", "-n", "3", "--backend", "docker"});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (labelled("container").empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill_and_reap(runner.pid);
    close(runner.out);
    ASSERT_FALSE(labelled("container").empty()) << "the set-up never made a container";

    auto gc = cli({"gc"});
    EXPECT_EQ(gc.exit_code, 0) << gc.out << gc.err;
    EXPECT_NE(gc.out.find("removing cluster " + cluster + " (docker)"), std::string::npos)
        << gc.out;
    EXPECT_EQ(labelled("container"), "");
    EXPECT_EQ(labelled("network"), "");
    EXPECT_FALSE(fs::exists(state_dir() / "docker" / cluster));
    EXPECT_FALSE(fs::exists(state_dir() / "claims/docker" / (cluster + ".json")));
}

// SIGKILL at 20 moments drawn from a seed over the whole run (set-up, the
// faults, teardown): after each, gc leaves nothing of the run behind.
TEST(Gc, CrashSafetyAtTwentyRandomPoints) {
    auto seed = std::random_device()();
    std::cout << "crash-safety seed " << seed << "\n";
    std::mt19937 random(seed);
    auto host_before = host_ruleset();
    // One whole run first, timed at what it prints: when set-up ends (the
    // first step's line), when teardown starts, when it exits. A third of the
    // kills falls in each of set-up, the steps (faults in force) and teardown.
    auto results = fs::temp_directory_path() / unique_cluster("crash-points-results");
    auto timed = start_cli({"run", "--results", results.string(), crash_scenario().string()});
    auto whole_started = std::chrono::steady_clock::now();
    auto since_start = [&whole_started] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - whole_started)
            .count();
    };
    std::string printed;
    ASSERT_TRUE(wait_for_output(timed.out, "ok  map.put", printed, std::chrono::seconds(60)));
    auto setup_end = since_start();
    ASSERT_TRUE(wait_for_output(timed.out, "tearing down", printed, std::chrono::seconds(60)));
    auto teardown_start = since_start();
    int status = 0;
    waitpid(timed.pid, &status, 0);
    close(timed.out);
    auto whole = since_start();
    ASSERT_EQ(WEXITSTATUS(status), 0) << printed;
    const std::pair<int64_t, int64_t> windows[] = {
        {0, setup_end}, {setup_end, teardown_start}, {teardown_start, whole}};
    std::map<std::string, int> phases;
    int clean = 0;
    double gc_ms_total = 0;
    for (int run = 0; run < 20; ++run) {
        // Timed from the line that opens the phase, as the run's own pace varies.
        auto [from, to] = windows[run % 3];
        const char* opening[] = {"", "ok  map.put", "tearing down"};
        auto delay = std::chrono::milliseconds(random() % std::max<int64_t>(1, to - from));
        auto runner = start_cli({"run", "--results", results.string(), crash_scenario().string()});
        std::string seen;
        wait_for_output(runner.out, opening[run % 3], seen, std::chrono::seconds(60));
        std::this_thread::sleep_for(delay);
        drain(runner.out, seen);
        // Where the run was, from what it had printed (its log goes to stdout).
        std::string phase = seen.find("setting up") == std::string::npos     ? "start"
                            : seen.find("map.put") == std::string::npos      ? "setup"
                            : seen.find("tearing down") == std::string::npos ? "steps"
                                                                             : "teardown";
        int status = 0;
        if (waitpid(runner.pid, &status, WNOHANG) == runner.pid) {
            phase = "after exit";
        } else {
            kill_and_reap(runner.pid);
        }
        close(runner.out);
        ++phases[phase];
        auto started = std::chrono::steady_clock::now();
        auto gc = cli({"gc"});
        gc_ms_total +=
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        auto remains = remains_of_crash_runs();
        EXPECT_EQ(gc.exit_code, 0) << gc.out << gc.err;
        EXPECT_EQ(remains, std::vector<std::string>{})
            << "run " << run << ", killed after " << delay.count() << " ms (" << phase << ")";
        if (remains.empty() && gc.exit_code == 0) ++clean;
    }
    EXPECT_EQ(host_ruleset(), host_before);
    std::cout << "crash-safety: " << clean << "/20 clean after gc; a whole run " << whole
              << " ms (set-up " << setup_end << " ms, teardown from " << teardown_start
              << " ms); killed during";
    for (const auto& [phase, count] : phases) std::cout << " " << phase << " " << count;
    std::cout << "; gc " << gc_ms_total / 20 << " ms on average\n";
    EXPECT_EQ(clean, 20);
    fs::remove_all(results);
}

}  // namespace
}  // namespace atomixtest::testing
