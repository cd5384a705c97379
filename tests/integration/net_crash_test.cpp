// Crash safety of the new network faults, on both backends: a run killed with
// SIGKILL while a partition of groups, a tbf rate and a per-peer delay (its
// userspace daemon) are in force leaves them behind; `gc` removes all of it:
// no namespace or container (so no qdisc and no rule), no daemon, and the
// host's rules as they were. And bad input: a scenario whose groups name a
// node the cluster will not have, or whose rate is 0, is refused with its
// file:line:column before any cluster exists.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "atomixtest/netns.hpp"
#include "docker_harness.hpp"
#include "running_cli.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

fs::path write_scenario(const std::string& name, const std::string& backend,
                        const std::string& steps) {
    auto path = fs::temp_directory_path() / (unique_cluster(name) + ".yaml");
    std::ofstream(path) << "name: " << name << "\ncluster: {backend: " << backend
                        << ", profile: etcd, nodes: 3}\nsteps:\n"
                        << steps;
    return path;
}

const char* const kHeldFaults =
    "  - net.partition: {groups: [[1, 2], [2, 3]]}\n"
    "    during:\n"
    "      - net.rate: {node: 1, rate: 1mbit}\n"
    "        during:\n"
    "          - net.delay: {node: 2, to: [1], latency: 20ms, jitter: 0ms}\n"
    "            during:\n"
    "              - sleep: {duration: 10m}\n";

// The cluster a run of the scenario made: its name starts with the scenario's.
std::string cluster_of_run(const std::string& scenario, const std::string& backend) {
    if (backend == "docker") {
        for (const auto& line :
             lines_of(docker({"ps", "--format", "{{.Label \"io.atomix-test.cluster\"}}"}).out)) {
            if (line.rfind(scenario + "-", 0) == 0) return line;
        }
        return "";
    }
    for (const auto& entry : fs::directory_iterator("/run/netns")) {
        auto name = entry.path().filename().string();
        auto prefix = "atomix-test." + scenario + "-";
        if (name.rfind(prefix, 0) == 0) return name.substr(12, name.rfind('.') - 12);
    }
    return "";
}

std::string netns_of(const std::string& cluster, const std::string& backend, int node) {
    if (backend == "docker") return docker_node_netns(cluster, node);
    return "/run/netns/atomix-test." + cluster + "." + std::to_string(node);
}

// The netem daemons (not their watchdogs) in a namespace.
std::vector<int> daemons_in(const std::string& netns) {
    std::vector<int> found;
    for (int pid : processes_in_network_namespace(netns)) {
        auto cmdline = read_file("/proc/" + std::to_string(pid) + "/cmdline");
        auto argv0 = cmdline.substr(0, cmdline.find('\0'));
        if (fs::path(argv0).filename() == "atomixtest-netem") found.push_back(pid);
    }
    return found;
}

// Running, and not a zombie waiting for its adopter to reap it.
bool alive(int pid) {
    auto stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

std::string in_netns(const std::string& netns, std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"nsenter", "--net=" + netns});
    return run_process({.argv = argv}).out;
}

void kill_a_run_with_the_faults_in_force_then_gc(const std::string& backend) {
    auto scenario = "net-crash-" + backend;
    auto file = write_scenario(scenario, backend, kHeldFaults);
    auto results = fs::temp_directory_path() / unique_cluster(scenario + "-results");
    auto host_before = host_ruleset();
    auto runner = start_cli({"run", "--results", results.string(), file.string()});
    // Killed once the innermost fault is in force: node 2's daemon, which
    // queues its packets to node 1, runs.
    std::string cluster;
    std::vector<int> daemons;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        if (cluster.empty()) cluster = cluster_of_run(scenario, backend);
        if (!cluster.empty()) {
            daemons = daemons_in(netns_of(cluster, backend, 1));
            auto of_node_2 = daemons_in(netns_of(cluster, backend, 2));
            if (!daemons.empty() && !of_node_2.empty()) {
                daemons.insert(daemons.end(), of_node_2.begin(), of_node_2.end());
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_FALSE(cluster.empty()) << "the run made no cluster";
    ASSERT_EQ(daemons.size(), 2u) << "the rate's record on node 1, the delay's on node 2";
    auto netns1 = netns_of(cluster, backend, 1);
    kill(runner.pid, SIGKILL);
    waitpid(runner.pid, nullptr, 0);
    close(runner.out);

    // Left behind: what gc must find.
    EXPECT_NE(in_netns(netns1, {"tc", "qdisc", "show", "dev", "eth0"}).find("tbf"),
              std::string::npos);
    EXPECT_NE(in_netns(netns1, {"nft", "list", "table", "inet", "atomix_test"}).find("blocked_out"),
              std::string::npos);

    auto gc = cli({"gc"});
    EXPECT_EQ(gc.exit_code, 0) << gc.out << gc.err;
    for (int pid : daemons) EXPECT_FALSE(alive(pid)) << "daemon " << pid << " is left";
    if (backend == "docker") {
        EXPECT_TRUE(labelled_containers(cluster).empty()) << "no sidecar, so no qdisc or rule";
    } else {
        EXPECT_TRUE(namespaces_of(cluster).empty()) << "no namespace, so no qdisc or rule";
    }
    EXPECT_EQ(host_ruleset(), host_before) << "the host's rules are untouched";
    fs::remove_all(results);
    fs::remove(file);
}

TEST(NetCrash, GcRemovesTheGroupsTheRateAndTheDaemonOfAKilledRun) {
    kill_a_run_with_the_faults_in_force_then_gc("local");
}

TEST(NetCrash, GcRemovesThemOnDockerToo) {
    kill_a_run_with_the_faults_in_force_then_gc("docker");
}

void refused_before_any_cluster(const std::string& steps, const std::string& where,
                                const std::string& what) {
    auto file = write_scenario("net-bad", "local", steps);
    auto result = cli({"run", file.string()});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find(file.filename().string() + ":" + where), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find(what), std::string::npos) << result.err;
    EXPECT_TRUE(cluster_of_run("net-bad", "local").empty()) << "no cluster was made";
    fs::remove(file);
}

TEST(NetBadInput, GroupsNamingANodeTheClusterLacks) {
    refused_before_any_cluster("  - net.partition: {groups: [[1, 2], [2, 4]]}\n", "4:29",
                               "the cluster has no node 4 (its nodes: 1, 2, 3)");
}

TEST(NetBadInput, ARateOfZero) {
    refused_before_any_cluster("  - net.rate: {node: 1, rate: 0}\n", "4:31",
                               "rate: must be at least 1, got 0");
}

}  // namespace
}  // namespace atomixtest::testing
