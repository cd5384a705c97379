// The clock faults on real etcd nodes (Go, which reads the clock through the
// vDSO without libc), on both backends. The witness is etcd itself: its log
// lines carry the time its own clock reads, and its peers' probers log the
// drift they see. The host's clock and the other nodes' must not move; a
// reset, a crashed run's gc, Ctrl-C leave no patched process, no ptrace
// attachment and no strobe daemon. Bad params exit 2 before any cluster.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "atomixtest/netns.hpp"
#include "atomixtest/testing/test_cluster.hpp"
#include "etcd_clock_witness.hpp"
#include "running_cli.hpp"
#include "vdso_witness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int64_t kHourMs = int64_t{3600} * 1000;

// The rate the clock plugin saw the node's process run at: "runs at 2.98x".
double rate_said(const std::string& output) {
    auto at = output.find(", runs at ");
    return at == std::string::npos ? 0 : std::stod(output.substr(at + 10));
}

// A program started on this machine now reads the real time: the host's clock
// did not move.
void expect_host_clock_real() {
    auto before = now_ms();
    auto date = run_process({.argv = {"date", "+%s%3N"}});
    auto after = now_ms();
    ASSERT_EQ(date.exit_code, 0);
    auto read = std::stoll(date.out);
    EXPECT_GE(read, before);
    EXPECT_LE(read, after);
}

std::vector<int> processes_of_node(const std::string& cluster, int node) {
    return processes_in_network_namespace("/run/netns/atomix-test." + cluster + "." +
                                          std::to_string(node));
}

std::vector<int> strobe_daemons() {
    return processes_running("atomixtest-clock-strobe");
}

class ClockOnEtcd : public ::testing::Test {
  protected:
    void setup(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args = {"cluster", name_, "setup", "-c", "etcd", "-n", "3"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto result = cli(args);
        ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    }
    void TearDown() override {
        cli({"cluster", name_, "teardown"});
        EXPECT_TRUE(processes_with_patched_vdso().empty())
            << "a patched process outlives its fault";
    }
    ProcessResult clock(std::vector<std::string> args) {
        args.insert(args.begin(), {"cluster", name_});
        return cli(args);
    }
    // When a compaction was asked (this machine's clock) and when each of
    // the nodes logged it (its own), in ms.
    struct Stamps {
        int64_t asked = 0;
        std::map<int, int64_t> logged;
        int64_t skew(int node) const { return logged.at(node) - asked; }
    };
    Stamps stamps(const std::vector<int>& nodes = {1, 2, 3}) {
        Stamps stamps;
        auto [revision, asked] = compact(name_);
        stamps.asked = asked;
        for (int node : nodes) {
            auto stamped = compaction_time(name_, node, revision);
            EXPECT_TRUE(stamped.has_value()) << "node " << node << " logged no compaction";
            stamps.logged[node] = stamped.value_or(0);
        }
        return stamps;
    }
    std::map<int, int64_t> skews() {
        auto taken = stamps();
        std::map<int, int64_t> skew;
        for (const auto& [node, logged] : taken.logged) skew[node] = logged - taken.asked;
        return skew;
    }
    std::string name_ = unique_cluster("it-clock");
};

TEST_F(ClockOnEtcd, ABumpIsInTheNodesOwnLogAloneItsPeersSeeItAndAResetEndsIt) {
    setup();
    auto result = clock({"clock.bump", "1", "--offset", "-1h"});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("in force (verified: node 1: etcd (pid "), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("reads the time -3600."), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("this machine's clock and the other nodes' unchanged"),
              std::string::npos)
        << result.out;
    expect_host_clock_real();

    auto skew = skews();
    EXPECT_NEAR(static_cast<double>(skew[1]), -kHourMs, 2000) << "node 1 logs an hour back";
    EXPECT_NEAR(static_cast<double>(skew[2]), 0, 2000) << "node 2 keeps its clock";
    EXPECT_NEAR(static_cast<double>(skew[3]), 0, 2000) << "node 3 keeps its clock";
    // etcd's peers measure it too: their probers log the drift (every 30 s at most).
    bool drift_seen = false;
    for (auto deadline = std::chrono::steady_clock::now() + 40s;
         !drift_seen && std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(500ms)) {
        auto log = cli({"cluster", name_, "logs", "2"}).out;
        drift_seen =
            std::regex_search(log, std::regex("high clock drift.*\"clock-drift\":\"(59m|1h0m)"));
    }
    EXPECT_TRUE(drift_seen) << "node 2's prober saw node 1 an hour off";
    auto faults = clock({"faults"});
    EXPECT_NE(faults.out.find("clock of node 1: -3600s"), std::string::npos) << faults.out;
    auto patched = processes_with_patched_vdso();
    auto node1 = processes_of_node(name_, 1);
    ASSERT_FALSE(patched.empty());
    for (int pid : patched) {
        EXPECT_TRUE(std::count(node1.begin(), node1.end(), pid)) << pid << " is not node 1's";
    }
    for (int pid : node1) EXPECT_EQ(tracer_of(pid), 0) << "no ptrace attachment stays";

    auto reset = clock({"clock.reset", "1"});
    ASSERT_EQ(reset.exit_code, 0) << reset.out << reset.err;
    EXPECT_NE(reset.out.find("(verified: node 1 reads its own clock again)"), std::string::npos)
        << reset.out;
    EXPECT_EQ(reset.out.find("in force"), std::string::npos) << reset.out;
    EXPECT_TRUE(processes_with_patched_vdso().empty()) << "the vDSO is the kernel's again";
    EXPECT_NEAR(static_cast<double>(skews()[1]), 0, 2000) << "node 1 logs the real time again";
    EXPECT_NE(clock({"faults"}).out.find("no faults in force"), std::string::npos);
}

TEST_F(ClockOnEtcd, ARateAndAStrobeShowInTheNodesLogTimestamps) {
    setup();
    auto rate = clock({"clock.rate", "2", "--rate", "3"});
    ASSERT_EQ(rate.exit_code, 0) << rate.out << rate.err;
    EXPECT_NEAR(rate_said(rate.out), 3.0, 0.3) << rate.out;
    auto first = stamps();
    std::this_thread::sleep_for(2s);
    auto second = stamps();
    auto rate_of = [&](int node) {
        return static_cast<double>(second.logged[node] - first.logged[node]) /
               static_cast<double>(second.asked - first.asked);
    };
    EXPECT_NEAR(rate_of(2), 3.0, 0.15) << "node 2's clock runs three times as fast";
    EXPECT_NEAR(rate_of(1), 1.0, 0.15) << "node 1's at its own pace";
    EXPECT_NEAR(rate_of(3), 1.0, 0.15) << "node 3's at its own pace";

    auto strobe_started = std::chrono::steady_clock::now();
    auto strobe =
        clock({"clock.strobe", "3", "--delta", "2s", "--period", "20ms", "--duration", "8s"});
    ASSERT_EQ(strobe.exit_code, 0) << strobe.out << strobe.err;
    EXPECT_NE(strobe.out.find("flipped every 20ms by the strobe daemon (pid "), std::string::npos)
        << strobe.out;
    EXPECT_NE(strobe.out.find("seen flipping"), std::string::npos) << strobe.out;
    auto faults = clock({"faults"});
    EXPECT_NE(faults.out.find("strobe +2s every 20ms"), std::string::npos) << faults.out;
    EXPECT_NE(faults.out.find("clock of node 2: "), std::string::npos) << faults.out;
    std::set<int64_t> sides;  // node 3's skew, to the second: 0 or 2
    while (sides.size() < 2 && std::chrono::steady_clock::now() - strobe_started < 6s) {
        sides.insert(std::llround(static_cast<double>(stamps({3}).skew(3)) / 1000.0));
    }
    EXPECT_EQ(sides, (std::set<int64_t>{0, 2})) << "node 3's log flips between now and 2 s ahead";

    // The strobe ends by itself after its duration, on the near side.
    std::this_thread::sleep_until(strobe_started + 9s);
    faults = clock({"faults"});
    EXPECT_EQ(faults.out.find("strobe"), std::string::npos) << faults.out;
    EXPECT_TRUE(strobe_daemons().empty());
    for (int i = 0; i < 3; ++i) EXPECT_NEAR(static_cast<double>(stamps({3}).skew(3)), 0, 600);

    ASSERT_EQ(clock({"clock.reset"}).exit_code, 0);
    EXPECT_TRUE(processes_with_patched_vdso().empty());
}

// A frozen node cannot be held with ptrace: refused at once, nothing changed.
TEST_F(ClockOnEtcd, APausedNodeIsRefusedAtOnceAndKeepsItsClock) {
    setup();
    ASSERT_EQ(clock({"node.pause", "1"}).exit_code, 0);
    auto started = std::chrono::steady_clock::now();
    auto refused = clock({"clock.bump", "1", "--offset", "-1h"});
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms) << "not the ptrace wait";
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("node 1 is paused: resume it to change its clock"),
              std::string::npos)
        << refused.err;
    EXPECT_TRUE(processes_with_patched_vdso().empty());
    ASSERT_EQ(clock({"node.resume", "1"}).exit_code, 0);
    auto bumped = clock({"clock.bump", "1", "--offset", "-1h"});
    EXPECT_EQ(bumped.exit_code, 0) << bumped.err;
}

TEST_F(ClockOnEtcd, OnDockerTheContainersProcessIsBumpedAndReset) {
    setup({"--backend", "docker"});
    auto result = clock({"clock.bump", "2", "--offset", "+30m"});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("in force (verified: node 2: etcd (pid "), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("reads the time +1800."), std::string::npos) << result.out;
    expect_host_clock_real();
    auto skew = skews();
    EXPECT_NEAR(static_cast<double>(skew[2]), 1800 * 1000, 2000);
    EXPECT_NEAR(static_cast<double>(skew[1]), 0, 2000);
    EXPECT_NEAR(static_cast<double>(skew[3]), 0, 2000);
    EXPECT_FALSE(processes_with_patched_vdso().empty()) << "etcd, in node 2's container";

    ASSERT_EQ(clock({"clock.reset", "2"}).exit_code, 0);
    EXPECT_TRUE(processes_with_patched_vdso().empty());
    EXPECT_NEAR(static_cast<double>(skews()[2]), 0, 2000);
}

// A scenario holding a bump and a strobe, killed with SIGKILL: the kernel
// detached the runner's ptrace (nothing is traced), and `gc` tears the
// abandoned cluster down and ends its strobe daemon, so that no process on
// the machine is left with a patched clock. Ctrl-C undoes the faults itself.
fs::path hold_scenario(const std::string& name) {
    auto file = fs::temp_directory_path() / (unique_cluster(name) + ".yaml");
    std::ofstream(file) << "name: " << name << "\n"
                        << "cluster: {backend: local, profile: etcd, nodes: 3}\n"
                           "steps:\n"
                           "  - clock.strobe: {node: 1, delta: 1s, period: 20ms, duration: 10m}\n"
                           "    during:\n"
                           "      - clock.bump: {node: 2, offset: -1h}\n"
                           "        during:\n"
                           "          - sleep: {duration: 10m}\n";
    return file;
}

std::string cluster_in(const std::string& output, const std::string& stem) {
    auto at = output.find("cluster " + stem + "-");
    if (at == std::string::npos) return "";
    return output.substr(at + 8, output.find(' ', at + 8) - at - 8);
}

TEST(ClockCrash, AKilledRunLeavesNoTracerAndGcLeavesNoSkewedClockOrStrobe) {
    auto file = hold_scenario("clock-crash");
    auto running = start_cli({"run", file.string()});
    std::string seen;
    bool held = wait_for_output(running.out, "in force  clock.bump", seen, 60s);
    if (!held) {
        kill(running.pid, SIGINT);
        waitpid(running.pid, nullptr, 0);
        FAIL() << "the faults never came into force:\n" << seen;
    }
    auto cluster = cluster_in(seen, "clock-crash");
    ASSERT_FALSE(cluster.empty()) << seen;
    EXPECT_EQ(processes_with_patched_vdso().size(), 2u) << "etcd of nodes 1 and 2";
    EXPECT_EQ(strobe_daemons().size(), 1u);
    auto nodes = processes_of_node(cluster, 1);
    auto two = processes_of_node(cluster, 2);
    nodes.insert(nodes.end(), two.begin(), two.end());

    kill(running.pid, SIGKILL);
    waitpid(running.pid, nullptr, 0);
    close(running.out);
    for (int pid : nodes) EXPECT_EQ(tracer_of(pid), 0) << "pid " << pid << " is still traced";
    EXPECT_EQ(processes_with_patched_vdso().size(), 2u) << "the faults outlive the runner";

    auto gc = cli({"gc"});
    EXPECT_EQ(gc.exit_code, 0) << gc.out << gc.err;
    EXPECT_NE(gc.out.find("removing cluster " + cluster), std::string::npos) << gc.out;
    EXPECT_TRUE(processes_with_patched_vdso().empty()) << gc.out;
    EXPECT_TRUE(strobe_daemons().empty()) << gc.out;
    EXPECT_TRUE(traced_processes().empty());
    EXPECT_TRUE(namespaces_of(cluster).empty());
    fs::remove(file);
}

TEST(ClockCrash, CtrlCUndoesTheClockFaultsBeforeTheTeardown) {
    auto file = hold_scenario("clock-int");
    auto running = start_cli({"run", file.string()});
    std::string seen;
    bool held = wait_for_output(running.out, "in force  clock.bump", seen, 60s);
    kill(running.pid, SIGINT);
    int status = 0;
    waitpid(running.pid, &status, 0);
    wait_for_output(running.out, "\n0 passed", seen, 1s);
    close(running.out);
    ASSERT_TRUE(held) << seen;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 130) << seen;
    size_t undone = 0;
    for (auto at = seen.find("undo  clock.reset"); at != std::string::npos;
         at = seen.find("undo  clock.reset", at + 1)) {
        ++undone;
    }
    EXPECT_EQ(undone, 2u) << "the bump's and the strobe's undo\n" << seen;
    EXPECT_TRUE(processes_with_patched_vdso().empty());
    EXPECT_TRUE(strobe_daemons().empty());
    EXPECT_TRUE(namespaces_of(cluster_in(seen, "clock-int")).empty());
    fs::remove(file);
}

// Bad params, each at its file:line:column, before any cluster exists.
TEST(ClockBadInput, EachMistakeIsNamedWhereItIsAndNoClusterIsMade) {
    auto file = fs::temp_directory_path() / (unique_cluster("clock-bad") + ".yaml");
    std::ofstream(file) << "name: clock-bad\n"
                           "cluster: {backend: local, profile: etcd, nodes: 3}\n"
                           "steps:\n"
                           "  - clock.strobe: {node: 1, period: 10s, duration: 5s}\n"
                           "  - clock.strobe: {node: 1, period: 0ms}\n"
                           "  - clock.rate: {node: 2, rate: 0}\n"
                           "  - clock.bump: {node: 3, offset: 5}\n"
                           "  - clock.bump: {node: 9, offset: 5s}\n";
    auto before = cli({"cluster", "list"}).out;
    auto result = cli({"run", file.string()});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    auto name = file.string();
    for (const auto& expected :
         {name + ":4:37: steps/0/clock.strobe/period: period (10s) must be at most duration (5s)",
          name + ":5:37: steps/1/clock.strobe/period: at least 1ms, got 0ms",
          name + ":6:33: steps/2/clock.rate/rate: must be at least 0.01",
          name + ":7:35: steps/3/clock.bump/offset: ",
          name + ":8:24: steps/4/clock.bump/node: the cluster has no node 9"}) {
        EXPECT_NE(result.err.find(expected), std::string::npos) << expected << "\n" << result.err;
    }
    EXPECT_EQ(cli({"cluster", "list"}).out, before) << "no cluster was made";
    EXPECT_TRUE(processes_with_patched_vdso().empty());
    fs::remove(file);
}

// The C++ API reaches the same verbs: the guard says what was seen, and its
// end puts the clock back.
TEST(ClockCppApi, TheGuardSaysWhatTheNodeReadAndItsEndPutsTheClockBack) {
    auto cluster = create_cluster("etcd", {.nodes = 3});
    {
        auto bumped = cluster.fault("clock.bump", {{"node", 2}, {"offset", "-10m"}});
        EXPECT_NE(bumped.description().find("(verified: node 2: etcd (pid "), std::string::npos)
            << bumped.description();
        EXPECT_NE(bumped.description().find("reads the time -600."), std::string::npos)
            << bumped.description();
        EXPECT_FALSE(processes_with_patched_vdso().empty());
        EXPECT_EQ(cluster.faults().size(), 1u) << cluster.faults().dump();
    }
    EXPECT_TRUE(processes_with_patched_vdso().empty()) << "the guard's end reset node 2";
    EXPECT_TRUE(cluster.faults().empty()) << cluster.faults().dump();
}

// Entropy's clock functions go through the same door: applied, verified,
// undone; etcd stays linearizable whatever its members' wall clocks say.
TEST(ClockEntropy, BumpsStrobesAndRatesComeAndGoAndTheHistoryStaysLinearizable) {
    auto dir = fs::temp_directory_path() / unique_cluster("clock-entropy");
    auto result =
        cli({"entropy", "--results",  dir.string(), "-n",     "3",   "-c",       "etcd",  "--ops",
             "20",      "--run-time", "12s",        "--seed", "7",   "clock",    "500ms", "1s",
             "--bump",  "-1h",        "--strobe",   "--rate", "0.5", "--random", "1s",    "2s"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    std::ifstream in(dir / "summary.json");
    auto summary = nlohmann::json::parse(in);
    EXPECT_EQ(summary["verdict"], "linearizable") << summary.dump(2);
    std::set<std::string> applied;
    std::ifstream history(dir / "history.jsonl");
    for (std::string line; std::getline(history, line);) {
        auto event = nlohmann::json::parse(line);
        if (event.at("process") != "nemesis") continue;
        if (event.at("f") == "start") applied.insert(event.at("value").at("fault"));
        // The stop says what the fault was once applied, what was seen of it too.
        auto verified = event.at("value").value("verified", nlohmann::json::array());
        if (event.at("f") == "stop") {
            EXPECT_FALSE(verified.empty()) << line;
        }
    }
    EXPECT_GE(applied.size(), 2u) << "several kinds of clock fault were applied";
    for (const auto& fault : applied) EXPECT_EQ(fault.rfind("clock-", 0), 0u) << fault;
    EXPECT_TRUE(processes_with_patched_vdso().empty());
    EXPECT_TRUE(strobe_daemons().empty());
    fs::remove_all(dir);
}

}  // namespace
}  // namespace atomixtest::testing
