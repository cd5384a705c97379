// The framework holds its own against bad input, signals and local users as it
// does against crashes: whatever ends a run, its cluster goes; another user
// cannot reach a cluster's supervisor; a stalled netem daemon cannot hold a
// node's traffic; nothing started in a node outlives the cluster.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <cstring>
#include <fstream>

#include "atomixtest/interrupt.hpp"
#include "atomixtest/netns.hpp"
#include "cli_harness.hpp"
#include "running_cli.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& stem) {
    auto dir = fs::temp_directory_path() / unique_cluster(stem);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// The local clusters of this state dir whose name starts with the stem.
std::vector<std::string> local_clusters_named(const std::string& stem) {
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(state_dir() / "local", error)) {
        auto name = entry.path().filename().string();
        if (name.rfind(stem, 0) == 0) found.push_back(name);
    }
    return found;
}

bool no_namespace_starting(const std::string& prefix) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/run/netns", error)) {
        if (entry.path().filename().string().rfind("atomix-test." + prefix, 0) == 0) return false;
    }
    return true;
}

// The repro of the hole: --results somewhere that cannot be written made the
// run throw after its cluster existed, and the cluster stayed until gc.
TEST(Hardening, AResultsDirectoryThatCannotBeWrittenStopsTheRunBeforeAnyCluster) {
    auto dir = scratch("ro-results");
    auto scenario = dir / "unwritable.yaml";
    std::ofstream(scenario) << "name: unwritable-results\ncluster: {profile: etcd, nodes: 1}\n"
                               "steps:\n  - sleep: {duration: 1ms}\n";
    std::ofstream(dir / "a-file") << "x\n";
    auto result = cli({"run", scenario.string(), "--results", (dir / "a-file/results").string()});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("cannot create results directory"), std::string::npos) << result.err;
    EXPECT_TRUE(local_clusters_named("unwritable-results").empty());
    EXPECT_TRUE(no_namespace_starting("unwritable-results"));
    // A read-only mount, where the kernel refuses even root.
    auto readonly = dir / "readonly";
    fs::create_directories(readonly);
    if (run_process(
            {.argv = {"mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", readonly.string()}})
            .exit_code == 0) {
        auto refused = cli({"run", scenario.string(), "--results", readonly.string()});
        run_process({.argv = {"umount", readonly.string()}});
        EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
        EXPECT_NE(refused.err.find("cannot write in " + readonly.string()), std::string::npos)
            << refused.err;
        EXPECT_TRUE(local_clusters_named("unwritable-results").empty());
    }
    fs::remove_all(dir);
}

// A plugin that throws what any careless plugin would (std::runtime_error in
// apply, std::out_of_range in clear): the scenario fails with that message,
// every fault is still cleared and the cluster torn down.
TEST(Hardening, APluginThrowingAnyExceptionStillTearsTheClusterDown) {
    auto dir = scratch("throwing");
    auto scenario = dir / "throwing.yaml";
    std::ofstream(scenario) << "name: throwing-plugin\ncluster: {profile: etcd, nodes: 2}\n"
                               "steps:\n"
                               "  - net.isolate: {node: 1}\n"
                               "  - throwing.hold: {}\n"
                               "  - throwing.apply-throws: {}\n";
    auto path = throwing_plugin_dir().string() + ":" + plugin_dir().string();
    auto result =
        run_process({.argv = {"env", "ATOMIX_TEST_PLUGIN_PATH=" + path, cli_path().string(), "run",
                              scenario.string(), "--results", (dir / "results").string()},
                     .timeout = std::chrono::minutes(2)});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.out.find("FAIL throwing-plugin"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("kaboom in apply"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("kaboom in clear"), std::string::npos)
        << "the clear's failure is reported, after the other plugins were cleared:\n"
        << result.out;
    EXPECT_NE(result.out.find("tearing down"), std::string::npos) << result.out;
    EXPECT_TRUE(local_clusters_named("throwing-plugin").empty());
    EXPECT_TRUE(no_namespace_starting("throwing-plugin"));
    fs::remove_all(dir);
}

TEST(Hardening, SighupUndoesTheFaultAndTearsTheClusterDown) {
    auto file = source_dir() / "tests/integration/data/interrupted.yaml";
    auto running = start_cli({"run", file.string()});
    std::string seen;
    if (!wait_for_output(running.out, "in force  net.isolate", seen, std::chrono::seconds(60))) {
        kill(running.pid, SIGINT);
        waitpid(running.pid, nullptr, 0);
        FAIL() << "the fault never came into force:\n" << seen;
    }
    auto cluster_line = seen.substr(seen.find("cluster interrupted-"));
    auto cluster = cluster_line.substr(8, cluster_line.find(' ', 8) - 8);
    kill(running.pid, SIGHUP);  // the terminal closed
    int status = 0;
    waitpid(running.pid, &status, 0);
    wait_for_output(running.out, "\n0 passed", seen, std::chrono::seconds(1));
    close(running.out);
    ASSERT_TRUE(WIFEXITED(status)) << "SIGHUP killed the run: " << status << "\n" << seen;
    EXPECT_EQ(WEXITSTATUS(status), kInterruptedExit) << seen;
    EXPECT_NE(seen.find("undo  net.unblock"), std::string::npos) << seen;
    EXPECT_TRUE(namespaces_of(cluster).empty()) << cluster;
}

TEST(Hardening, AnInvalidSubnetLeavesNothingAndTheNameFree) {
    auto name = unique_cluster("bad-subnet");
    for (const char* subnet : {"10.300.0.0/24", "10.77.0.0/16", "10.1.1.0/24x"}) {
        auto result = cli({"cluster", name, "setup", "-c", "etcd", "-n", "1", "--subnet", subnet});
        EXPECT_EQ(result.exit_code, 2) << subnet << ": " << result.err;
        EXPECT_NE(result.err.find("invalid subnet"), std::string::npos) << result.err;
        EXPECT_FALSE(fs::exists(state_dir() / "local" / name)) << subnet;
    }
    auto setup = cli({"cluster", name, "setup", "-c", "etcd", "-n", "1"});
    EXPECT_EQ(setup.exit_code, 0) << "the name is free: " << setup.err;
    EXPECT_EQ(cli({"cluster", name, "teardown"}).exit_code, 0);
}

TEST(Hardening, AProfileIsNamedNeverAPath) {
    auto dir = scratch("evil-profile");
    std::ofstream(dir / "evil.yaml") << "name: evil\nclient: etcd\nclient_port: 2379\n"
                                        "command: [/bin/sh, -c, 'touch " +
                                            (dir / "pwned").string() + "; sleep 100']\n";
    auto name = unique_cluster("evil");
    auto result = cli({"cluster", name, "setup", "-c", "../../../.." + (dir / "evil").string()});
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find("a profile is named, never a path"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(dir / "pwned")) << "the profile's command ran";
    // A profile of one's own comes from a directory named on the command line.
    auto own = cli({"--profiles", dir.string(), "plugins"});
    EXPECT_EQ(own.exit_code, 0) << own.err;
    fs::remove_all(dir);
}

// Under umask 000 every file the framework makes would be world-writable; a
// local user could then rewrite the commands the supervisor runs as root, or
// talk to it. Neither is possible.
class LocalUsers : public ::testing::Test {
  protected:
    void SetUp() override {
        name_ = unique_cluster("umask0");
        auto result =
            run_process({.argv = {"sh", "-c", "umask 000; exec \"$0\" \"$@\"", cli_path().string(),
                                  "cluster", name_, "setup", "-c", "etcd", "-n", "1"},
                         .timeout = std::chrono::minutes(2)});
        ASSERT_EQ(result.exit_code, 0) << result.err;
    }
    void TearDown() override { cli({"cluster", name_, "teardown"}); }

    // Connects to the supervisor as uid 65534 and returns its answer, or why not.
    std::string ask_as_nobody(const fs::path& socket_path) {
        int answer[2];
        if (pipe(answer) != 0) return "pipe";
        pid_t child = fork();
        if (child == 0) {
            close(answer[0]);
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(1);
            int fd = socket(AF_UNIX, SOCK_STREAM, 0);
            sockaddr_un address{};
            address.sun_family = AF_UNIX;
            std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
            std::string said;
            if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
                said = std::string("connect: ") + strerror(errno);
            } else {
                std::string request = R"({"op":"status"})"
                                      "\n";
                // The supervisor may refuse and close before the request is
                // sent; its refusal is still there to read, so EPIPE must not
                // kill the child with SIGPIPE first.
                [[maybe_unused]] auto sent = send(fd, request.data(), request.size(), MSG_NOSIGNAL);
                char buffer[512];
                ssize_t n = read(fd, buffer, sizeof buffer);
                said = n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "no answer";
            }
            [[maybe_unused]] auto written = write(answer[1], said.data(), said.size());
            _exit(0);
        }
        close(answer[1]);
        std::string said;
        char buffer[512];
        for (ssize_t n; (n = read(answer[0], buffer, sizeof buffer)) > 0;) {
            said.append(buffer, static_cast<size_t>(n));
        }
        close(answer[0]);
        waitpid(child, nullptr, 0);
        return said;
    }

    std::string name_;
};

TEST_F(LocalUsers, NothingTheClusterWroteIsWritableByOthers) {
    for (const auto& root : {state_dir() / "local" / name_, state_dir() / "claims"}) {
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            auto perms = entry.symlink_status().permissions();
            EXPECT_EQ(perms & (fs::perms::group_write | fs::perms::others_write), fs::perms::none)
                << entry.path();
        }
    }
    EXPECT_EQ(fs::status(state_dir()).permissions() & fs::perms::all, fs::perms::owner_all);
    auto socket = state_dir() / "local" / name_ / "supervisor.sock";
    EXPECT_EQ(fs::status(socket).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(LocalUsers, AnotherUserCannotReachTheSupervisor) {
    auto socket = state_dir() / "local" / name_ / "supervisor.sock";
    EXPECT_NE(ask_as_nobody(socket).find("Permission denied"), std::string::npos)
        << "the private directories keep nobody out";
    // Even with every directory and the socket opened up, the supervisor asks
    // who is calling and refuses.
    std::vector<std::pair<fs::path, fs::perms>> opened;
    for (auto path = socket; path != state_dir().parent_path(); path = path.parent_path()) {
        opened.emplace_back(path, fs::status(path).permissions());
        fs::permissions(path, fs::perms::all);
    }
    auto answer = ask_as_nobody(socket);
    for (const auto& [path, perms] : opened) fs::permissions(path, perms);
    EXPECT_NE(answer.find("refused: not this cluster's owner"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("\"nodes\""), std::string::npos) << answer;
}

// What a command does not use, it does not load (plugins run as root): the
// dynamic loader's own log lists what was loaded.
TEST_F(LocalUsers, CommandsLoadOnlyThePluginsTheyUse) {
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"cluster", name_, "nodes"}, {"gc", "--dry-run"}}) {
        std::vector<std::string> argv = {"env", "LD_DEBUG=files", cli_path().string()};
        argv.insert(argv.end(), args.begin(), args.end());
        auto result = run_process({.argv = argv});
        EXPECT_EQ(result.exit_code, 0) << args[0] << ": " << result.err.substr(0, 2000);
        EXPECT_NE(result.err.find("atomixtest-backend-local.so"), std::string::npos) << args[0];
        EXPECT_EQ(result.err.find("atomixtest-fault-"), std::string::npos) << args[0];
        EXPECT_EQ(result.err.find("atomixtest-client-"), std::string::npos) << args[0];
    }
}

// A command left running in a node that then leaves the node's namespace is
// still found by its tag, and goes with the cluster.
TEST(Hardening, ACommandThatLeavesItsNodeStillGoesWithTheCluster) {
    auto name = unique_cluster("escape");
    ASSERT_EQ(cli({"cluster", name, "setup", "-c", "etcd", "-n", "1"}).exit_code, 0);
    // A sleep of a length no other process has: both the shell and the sleep
    // carry it in their command lines.
    auto marker = std::to_string(900000 + getpid() % 99999);
    auto started = cli({"cluster", name, "execute", "1", "unshare", "-n", "sh", "-c",
                        "sleep " + marker + "; true"});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    std::vector<int> escaped;
    for (int i = 0; i < 100 && escaped.empty(); ++i) {
        escaped = processes_mentioning(marker);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_FALSE(escaped.empty()) << "the command did not start";
    EXPECT_EQ(cli({"cluster", name, "teardown"}).exit_code, 0);
    for (int i = 0; i < 100 && !processes_mentioning(marker).empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(processes_mentioning(marker).empty()) << "it outlived the cluster";
}

// A userspace netem daemon stopped by SIGSTOP would blackhole its node's
// egress until its queue's 65,536 packets were full: its watchdog kills it
// and the queue's bypass lets traffic through within seconds.
TEST(Hardening, AStoppedNetemDaemonDoesNotHoldTheNodesTraffic) {
    auto probe = run_process({.argv = {"sh", "-c",
                                       "ip netns add atomix-probe-netem && "
                                       "ip netns exec atomix-probe-netem tc qdisc add "
                                       "dev lo root netem delay 0ms; r=$?; "
                                       "ip netns del atomix-probe-netem; exit $r"}});
    if (probe.exit_code == 0) GTEST_SKIP() << "this kernel has netem: no userspace daemon";
    auto name = unique_cluster("stalled-netem");
    ASSERT_EQ(cli({"cluster", name, "setup", "-c", "etcd", "-n", "2"}).exit_code, 0);
    ASSERT_EQ(cli({"cluster", name, "delay", "1", "--latency", "5ms", "--jitter", "0"}).exit_code,
              0);
    auto netns = "/run/netns/atomix-test." + name + ".1";
    std::vector<int> daemons;
    for (int pid : processes_in_network_namespace(netns)) {
        std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
        std::string argv0;
        std::getline(cmdline, argv0, '\0');
        if (fs::path(argv0).filename() == "atomixtest-netem") daemons.push_back(pid);
    }
    ASSERT_EQ(daemons.size(), 1u);
    ASSERT_TRUE(reaches(name, 1, 2, 2380));
    kill(daemons[0], SIGSTOP);
    auto stopped_at = std::chrono::steady_clock::now();
    bool flowing = false;
    while (!flowing && std::chrono::steady_clock::now() - stopped_at < std::chrono::seconds(10)) {
        flowing = reaches(name, 1, 2, 2380);
    }
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - stopped_at);
    EXPECT_TRUE(flowing) << "node 1's traffic is still held after 10 s";
    EXPECT_LT(took, std::chrono::seconds(5)) << took.count() << " ms";
    std::ifstream stat("/proc/" + std::to_string(daemons[0]) + "/stat");
    std::string state;
    std::getline(stat, state);
    bool gone = state.empty() || state[state.rfind(')') + 2] == 'Z';
    EXPECT_TRUE(gone) << "the stalled daemon was stopped for good: " << state;
    EXPECT_EQ(cli({"cluster", name, "teardown"}).exit_code, 0);
}

}  // namespace
}  // namespace atomixtest::testing
