// The stress plugin on a real etcd cluster: stress-ng inside the node's
// namespace and cgroup, ended by its timeout, by destress, by teardown; every
// kind of worker; a CPU-limited node measurably slower under cpu stress.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "atomixtest/cgroup.hpp"
#include "atomixtest/netns.hpp"
#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

bool alive(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text)) return false;
    auto state = text.rfind(')');
    return state != std::string::npos && text[state + 2] != 'Z';
}

// Live stress-ng processes, anywhere on the machine.
std::vector<int> stress_ng_processes() {
    std::vector<int> pids;
    for (int pid : processes_running("stress-ng")) {
        std::error_code error;
        auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", error);
        if (!error && exe.filename() == "stress-ng" && alive(pid)) pids.push_back(pid);
    }
    return pids;
}

std::vector<int> stress_in_node(const std::string& cluster, int node) {
    std::vector<int> found;
    auto in_netns = processes_in_network_namespace("/run/netns/atomix-test." + cluster + "." +
                                                   std::to_string(node));
    for (int pid : stress_ng_processes()) {
        if (std::count(in_netns.begin(), in_netns.end(), pid)) found.push_back(pid);
    }
    return found;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
}

class Stress : public ::testing::Test {
  protected:
    void SetUp() override { setup({}); }
    void setup(std::vector<std::string> extra) {
        std::vector<std::string> args = {"cluster", name_, "setup", "-c", "etcd", "-n", "3"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto result = cli(args);
        ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    }
    void TearDown() override {
        cli({"cluster", name_, "teardown"});
        EXPECT_TRUE(
            eventually([] { return stress_ng_processes().empty(); }, std::chrono::seconds(5)))
            << "no stress-ng outlives the cluster";
    }
    ProcessResult stress(std::vector<std::string> args) {
        args.insert(args.begin(), {"cluster", name_, "stress"});
        return cli(args);
    }
    const std::string name_ = unique_cluster("it-stress");
};

TEST_F(Stress, CpuStressWithATimeoutRunsInTheNodesCgroupAndEnds) {
    auto result = stress({"--node", "1", "--cpu", "2", "--timeout", "3s"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(
        result.out.find("node 1: 3 stress-ng processes in its cgroups, the CPU workers running"),
        std::string::npos)
        << "in force only once checked: " << result.out;
    auto pids = stress_in_node(name_, 1);
    EXPECT_GE(pids.size(), 3u) << "stress-ng and its two workers";
    EXPECT_TRUE(stress_in_node(name_, 2).empty()) << "only node 1";
    auto group = NodeCgroup(name_, 1).processes();
    for (int pid : pids) {
        EXPECT_TRUE(std::count(group.begin(), group.end(), pid)) << pid << " in node 1's cgroup";
    }
    auto faults = cli({"cluster", name_, "faults", "--json"});
    auto listed = nlohmann::json::parse(faults.out);
    ASSERT_EQ(listed.size(), 1u) << faults.out;
    EXPECT_EQ(listed[0]["plugin"], "stress");
    EXPECT_EQ(listed[0]["node"], 1);
    EXPECT_TRUE(
        eventually([&] { return stress_in_node(name_, 1).empty(); }, std::chrono::seconds(6)))
        << "the stressors end by themselves";
}

TEST_F(Stress, DestressEndsAnUntimedStressAtOnce) {
    ASSERT_EQ(stress({"--cpu", "1"}).exit_code, 0);
    for (int node : {1, 2, 3}) EXPECT_FALSE(stress_in_node(name_, node).empty()) << node;
    auto result = cli({"cluster", name_, "destress"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    for (int node : {1, 2, 3}) EXPECT_TRUE(stress_in_node(name_, node).empty()) << node;
}

TEST_F(Stress, EveryKindStartsAndStops) {
    for (const char* kind : {"--cpu", "--io", "--memory", "--hdd"}) {
        auto result = stress({"--node", "2", kind, "1", "--memory-bytes", "64m"});
        ASSERT_EQ(result.exit_code, 0) << kind << result.err;
        auto command = nlohmann::json::parse(cli({"cluster", name_, "faults", "--json"}).out);
        ASSERT_EQ(command.size(), 1u) << kind;
        auto expected = std::string(kind) == "--memory" ? "--vm 1" : std::string(kind) + " 1";
        EXPECT_NE(command[0]["command"].get<std::string>().find(expected), std::string::npos)
            << command.dump();
        EXPECT_EQ(cli({"cluster", name_, "destress", "--node", "2"}).exit_code, 0);
        EXPECT_TRUE(stress_in_node(name_, 2).empty()) << kind;
    }
}

// The bytes each memory worker was given (stress-ng's --vm-bytes), from the
// command `faults` lists for the node.
int64_t vm_bytes_of(const nlohmann::json& faults) {
    auto command = faults.at(0).at("command").get<std::string>();
    auto at = command.find("--vm-bytes ");
    return at == std::string::npos ? -1 : std::stoll(command.substr(at + 11));
}

TEST_F(Stress, MemoryStressWithoutANodeLimitIsBoundedByDefault) {
    ASSERT_EQ(stress({"--node", "1", "--memory", "1"}).exit_code, 0);
    auto faults = nlohmann::json::parse(cli({"cluster", name_, "faults", "--json"}).out);
    auto bytes = vm_bytes_of(faults);
    EXPECT_GT(bytes, 0) << faults.dump();
    EXPECT_LE(bytes, int64_t{1} << 30) << "at most 1 GiB per node without a limit";
}

TEST_F(Stress, TeardownDuringStressLeavesNoStressNg) {
    ASSERT_EQ(stress({"--cpu", "1", "--io", "1"}).exit_code, 0);
    ASSERT_FALSE(stress_ng_processes().empty());
    ASSERT_EQ(cli({"cluster", name_, "teardown"}).exit_code, 0);
    EXPECT_TRUE(eventually([] { return stress_ng_processes().empty(); }, std::chrono::seconds(5)));
}

TEST_F(Stress, BadWorkerCountsAndUnknownNodesStartNothing) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--cpu", "-1"}, {"--cpu", "100000"}, {"--node", "9", "--cpu", "1"}, {}}) {
        auto result = stress(args);
        EXPECT_EQ(result.exit_code, 2) << result.out;
        EXPECT_FALSE(result.err.empty());
    }
    EXPECT_TRUE(stress_ng_processes().empty());
}

TEST_F(Stress, WithoutStressNgTheErrorSaysSoAndNothingStarts) {
    auto bin = std::filesystem::temp_directory_path() / unique_cluster("no-stress-bin");
    std::filesystem::create_directories(bin);
    auto result = run_process({.argv = {"env", "PATH=" + bin.string(), cli_path().string(),
                                        "cluster", name_, "stress", "--cpu", "1"}});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("stress-ng is not installed"), std::string::npos) << result.err;
    EXPECT_TRUE(stress_ng_processes().empty());
    std::filesystem::remove_all(bin);
}

TEST_F(Stress, AStressStepWithDuringEndsWithItsSubSteps) {
    auto file =
        std::filesystem::temp_directory_path() / (unique_cluster("stress-during") + ".yaml");
    std::ofstream(file) << "name: stress-during\n"
                           "cluster: {backend: local, profile: etcd, nodes: 3}\n"
                           "steps:\n"
                           "  - stress: {node: 2, cpu: 1}\n"
                           "    during:\n"
                           "      - map.put: {node: 2, map: m, key: k, value: v, timeout: 10s}\n"
                           "assert:\n"
                           "  - map.get: {node: 1, map: m, key: k, expect: v}\n";
    auto result = cli({"run", file.string()});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("undo  stress.stop"), std::string::npos) << result.out;
    EXPECT_TRUE(stress_ng_processes().empty());
    std::filesystem::remove(file);
}

// p99 of sequential etcd puts through one node, in ms.
double put_p99(int port, int count) {
    std::vector<double> samples;
    for (int i = 0; i < count; ++i) {
        auto start = std::chrono::steady_clock::now();
        etcd_put(port, "k" + std::to_string(i % 10), "v", std::chrono::seconds(10));
        samples.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(samples.begin(), samples.end());
    return samples[static_cast<size_t>(0.99 * (samples.size() - 1))];
}

class StressLimited : public Stress {
  protected:
    void SetUp() override { setup({"--cpu", "0.5", "--memory", "256m"}); }
};

TEST_F(StressLimited, MemoryStressTakesHalfTheNodesMemoryLimit) {
    ASSERT_EQ(stress({"--node", "1", "--memory", "2"}).exit_code, 0);
    auto faults = nlohmann::json::parse(cli({"cluster", name_, "faults", "--json"}).out);
    EXPECT_EQ(vm_bytes_of(faults), int64_t{64} << 20) << "128m shared by two workers";
}

TEST_F(StressLimited, CpuStressRaisesThePutLatencyOfALimitedNode) {
    int port = local_port(name_, 1);
    ASSERT_TRUE(write_succeeds(port, "warm", "up", std::chrono::seconds(10)));
    double calm = put_p99(port, 200);
    ASSERT_EQ(stress({"--node", "1", "--cpu", "2"}).exit_code, 0);
    double stressed = put_p99(port, 200);
    std::cout << "etcd put p99 through a 0.5-CPU node: " << calm << " ms calm, " << stressed
              << " ms under cpu=2\n";
    EXPECT_GT(stressed, calm) << "the stress competes for the node's own CPU share";
}

}  // namespace
}  // namespace atomixtest::testing
