// The node agent against a real 3-node Kubernetes (scripts/kube): an etcd
// cluster set up with --node-agent, so that every fault goes through the
// agent's DaemonSet and the API server's exec, as on a cluster whose nodes
// are other machines, though here the pods' processes can be checked from
// this machine: rules in the pod's namespace, stress in its cgroup, nothing
// left after.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "../integration/cli_harness.hpp"
#include "../integration/etcd_clock_witness.hpp"
#include "../integration/running_cli.hpp"
#include "../integration/vdso_witness.hpp"
#include "kube_suite.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

class KubeAgent : public ::testing::Test {
  protected:
    static KubeSuite& suite() {
        static KubeSuite shared("ka");
        return shared;
    }
    static const std::string& name() { return suite().cluster(); }
    static std::string ns() { return "atomix-test-" + name(); }
    static ProcessResult kubectl(const std::vector<std::string>& args) {
        return suite().kubectl(args);
    }
    // As on a real cluster: faults through the agent, images from a registry.
    static void SetUpTestSuite() { suite().up({"--node-agent"}, true); }
    static void TearDownTestSuite() { suite().down(); }
    void SetUp() override { ASSERT_EQ(suite().set_up.failure, ""); }
    void TearDown() override {
        for (const char* verb : {"heal", "restore", "destress", "resume", "clock.reset"})
            cli({"cluster", name(), verb});
    }

    static std::string pod_uid(int node) {
        return kubectl({"get", "pod", "-n", ns(), name() + "-" + std::to_string(node), "-o",
                        "jsonpath={.metadata.uid}"})
            .out;
    }
};

std::string text_of(const fs::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string command_name(int pid) {
    auto text = text_of("/proc/" + std::to_string(pid) + "/comm");
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

std::vector<int> processes_where(const std::function<bool(int pid)>& wanted) {
    std::vector<int> pids;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (wanted(std::stoi(name))) pids.push_back(std::stoi(name));
    }
    return pids;
}

// This machine's processes of a pod (its UID in their cgroup paths), as the
// test sees them: what the agent did is checked from outside it.
std::vector<int> pod_processes(const std::string& uid) {
    return processes_where([&](int pid) {
        return text_of("/proc/" + std::to_string(pid) + "/cgroup").find("pod" + uid) !=
               std::string::npos;
    });
}

// By the kernel's name of a process, which keeps 15 characters of it.
std::vector<int> processes_named(const std::string& prefix) {
    return processes_where([&](int pid) { return command_name(pid).rfind(prefix, 0) == 0; });
}

// A command of this machine's run in the network namespace of the pod's
// sandbox: what the agent did there, read without it.
ProcessResult in_pod_network(const std::string& uid, const std::vector<std::string>& argv) {
    for (int pid : pod_processes(uid)) {
        if (command_name(pid) != "pause") continue;
        std::vector<std::string> command = {"nsenter",
                                            "--net=/proc/" + std::to_string(pid) + "/ns/net"};
        command.insert(command.end(), argv.begin(), argv.end());
        return run_process({.argv = command});
    }
    ADD_FAILURE() << "no sandbox process of pod " << uid << " on this machine";
    return {};
}

// Whether the partition's rules block any address in the pod's namespace.
bool blocks_in_pod(const std::string& uid) {
    auto listed = in_pod_network(uid, {"nft", "list", "table", "inet", "atomix_test"});
    return listed.exit_code == 0 && listed.out.find("elements = ") != std::string::npos;
}

// The strobe daemons of the node clock tool on this machine.
std::vector<int> clock_strobes() {
    return processes_where([](int pid) {
        // PROGRAM\0strobe\0SPEC\0: not the agent's keeper that started it.
        auto argv = text_of("/proc/" + std::to_string(pid) + "/cmdline");
        auto program = argv.substr(0, argv.find('\0'));
        return fs::path(program).filename() == "atomixtest-node-clock" &&
               argv.compare(program.size(), 8, std::string("\0strobe\0", 8)) == 0;
    });
}

std::chrono::milliseconds median_write(int port, const std::string& key) {
    std::vector<std::chrono::milliseconds> took;
    for (int i = 0; i < 3; ++i) {
        auto start = std::chrono::steady_clock::now();
        EXPECT_TRUE(write_succeeds(port, key, std::to_string(i), std::chrono::seconds(10)));
        took.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start));
    }
    std::sort(took.begin(), took.end());
    return took[1];
}

TEST_F(KubeAgent, ItRunsPrivilegedOnEveryKubernetesNodeInTheClustersNamespace) {
    const std::string columns =
        "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase} {.spec.hostPID} "
        "{.spec.containers[0].securityContext.privileged}{\"\\n\"}{end}";
    auto agents =
        kubectl({"get", "pods", "-n", ns(), "-l", "atomix-test.io/role=agent", "-o", columns});
    ASSERT_EQ(agents.exit_code, 0) << agents.err;
    std::set<std::string> lines;
    std::istringstream in(agents.out);
    for (std::string line; std::getline(in, line);) lines.insert(line);
    auto kube = suite().kube_name();
    EXPECT_EQ(lines,
              (std::set<std::string>{kube + "-n1 Running true true", kube + "-n2 Running true true",
                                     kube + "-n3 Running true true"}))
        << agents.out;
    auto marked = kubectl({"get", "namespace", ns(), "-o",
                           "jsonpath={.metadata.annotations.atomix-test\\.io/node-agent}"});
    EXPECT_EQ(marked.out, "true") << marked.err;
}

// The images came from the registry, as a real cluster's do: pushed there by
// the setup (the system's and the agent's), over https to a registry of the
// cluster's own CA that wants a user and a password, named with it in the
// pods, and pulled by each node's containerd, which had none of them before,
// with the credentials of the namespace's pull Secret.
TEST_F(KubeAgent, ThePodsImagesArePushedToTheRegistryAndPulledByTheNodes) {
    const auto& registry = suite().registry();
    ASSERT_FALSE(registry.empty());
    auto ca = read_file(suite().registry_ca());
    auto anonymous = http_request({.url = "https://" + registry + "/v2/_catalog", .ca_pem = ca});
    EXPECT_EQ(anonymous.status, 401) << "the registry wants credentials: " << anonymous.body;
    // The user and password the suite's setup was given, as a Basic header.
    auto config = nlohmann::json::parse(read_file(suite().registry_auth()));
    auto authorization =
        "Authorization: Basic " + config["auths"][registry]["auth"].get<std::string>();
    auto catalog = http_request(
        {.url = "https://" + registry + "/v2/_catalog", .headers = {authorization}, .ca_pem = ca});
    ASSERT_EQ(catalog.status, 200) << catalog.body;
    auto secrets = kubectl({"get", "pods", "-n", ns(), "-o",
                            "jsonpath={range .items[*]}{.spec.imagePullSecrets[0].name} {end}"});
    std::string every_pod;
    for (int pod = 0; pod < 6; ++pod) every_pod += "atomix-test-registry ";
    EXPECT_EQ(secrets.out, every_pod) << "3 nodes and 3 agents pull with the credentials";
    auto repositories = nlohmann::json::parse(catalog.body)["repositories"];
    EXPECT_NE(std::find(repositories.begin(), repositories.end(), "atomix-test/etcd"),
              repositories.end())
        << catalog.body;
    EXPECT_NE(std::find(repositories.begin(), repositories.end(), "atomix-test/node-agent"),
              repositories.end())
        << catalog.body;
    const std::string columns =
        "jsonpath={range .items[*]}{.spec.containers[0].image} "
        "{.spec.containers[0].imagePullPolicy}{\"\\n\"}{end}";
    auto pods = kubectl({"get", "pods", "-n", ns(), "-o", columns});
    ASSERT_EQ(pods.exit_code, 0) << pods.err;
    std::istringstream lines(pods.out);
    int pulled = 0;
    for (std::string line; std::getline(lines, line); ++pulled) {
        EXPECT_EQ(line.rfind(registry + "/atomix-test/", 0), 0u) << line;
        EXPECT_NE(line.find(" IfNotPresent"), std::string::npos) << line;
    }
    EXPECT_EQ(pulled, 6) << "3 nodes and 3 agents: " << pods.out;
    // Each Kubernetes node's containerd holds the pulled image by the
    // registry's name.
    for (int n = 1; n <= 3; ++n) {
        auto socket =
            suite().base() / suite().kube_name() / ("n" + std::to_string(n)) / "containerd.sock";
        auto images = run_process(
            {.argv = {"ctr", "-a", socket.string(), "-n", "k8s.io", "images", "ls", "-q"}});
        EXPECT_NE(images.out.find(registry + "/atomix-test/node-agent:"), std::string::npos)
            << images.out;
    }
}

// A registry the system's CAs do not vouch for, one that wants credentials
// none were given for, credentials without its entry, a CA file that is no
// PEM: each said in words, exit 2, before any namespace is made.
TEST_F(KubeAgent, ARegistryNotTrustedOrWantingCredentialsIsRefusedBeforeAnythingIsMade) {
    const auto& registry = suite().registry();
    ASSERT_FALSE(registry.empty());
    auto other_auth = suite().base() / "other-auth.json";
    std::ofstream(other_auth) << R"({"auths": {"elsewhere:5000": {"auth": "dTpw"}}})";
    struct Case {
        std::vector<std::string> options;
        std::string said;
    };
    std::vector<Case> cases = {
        {{"--registry", registry}, "is not trusted"},
        {{"--registry", registry, "--registry-ca", suite().registry_ca()},
         "wants credentials (--registry-auth FILE): HTTP 401"},
        {{"--registry", registry, "--registry-ca", suite().registry_ca(), "--registry-auth",
          other_auth.string()},
         "no \"auths\" entry for " + registry},
        {{"--registry", registry, "--registry-ca", suite().registry_auth()},
         "expected PEM certificates"},
    };
    for (const auto& each : cases) {
        auto args = each.options;
        for (const char* arg :
             {"cluster", "kareg", "setup", "-c", "etcd", "-n", "1", "--backend", "kubernetes"}) {
            args.emplace_back(arg);
        }
        auto refused = cli(args);
        EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
        EXPECT_NE(refused.err.find(each.said), std::string::npos) << refused.err;
        EXPECT_NE(kubectl({"get", "namespace", "atomix-test-kareg"}).exit_code, 0);
    }
    fs::remove(other_auth);
}

// Through the agent: nft of the agent's image in the pod's namespace, and
// the probe run in each pod by the node tool.
TEST_F(KubeAgent, AnIsolationThroughTheAgentCutsThePodOffAndHealRestoresIt) {
    int port1 = local_port(name(), 1), port2 = local_port(name(), 2);
    ASSERT_TRUE(write_succeeds(port2, "k", "v0", std::chrono::seconds(10)));
    auto uid = pod_uid(1);
    EXPECT_FALSE(blocks_in_pod(uid));
    auto isolate = cli({"cluster", name(), "isolate", "1"});
    ASSERT_EQ(isolate.exit_code, 0) << isolate.out << isolate.err;
    EXPECT_NE(isolate.out.find("probes dropped on 4 cut pairs"), std::string::npos) << isolate.out;
    EXPECT_NE(isolate.out.find("passed on 2 of 2 open pairs"), std::string::npos) << isolate.out;
    EXPECT_TRUE(blocks_in_pod(uid)) << "the rules are in the pod's own namespace";
    EXPECT_FALSE(write_succeeds(port1, "k-minority", "from-minority", std::chrono::seconds(2)));
    EXPECT_TRUE(write_succeeds(port2, "k", "from-majority", std::chrono::seconds(10)));
    auto faults = cli({"cluster", name(), "faults"});
    EXPECT_NE(faults.out.find("partition"), std::string::npos) << faults.out << faults.err;
    auto heal = cli({"cluster", name(), "heal"});
    ASSERT_EQ(heal.exit_code, 0) << heal.err;
    EXPECT_FALSE(blocks_in_pod(uid));
    EXPECT_EQ(eventually_get(port1, "k", b64("from-majority")), b64("from-majority"));
}

// stress-ng from the agent's image, in the pod's cgroups (and PID
// namespace): it competes with the node; destress leaves no process, not
// even a zombie of the pod's first process.
TEST_F(KubeAgent, StressThroughTheAgentRunsInThePodsCgroupAndDestressLeavesNothing) {
    auto uid = pod_uid(2);
    auto stress = cli({"cluster", name(), "stress", "--node", "2", "--cpu", "1", "--hdd", "1"});
    ASSERT_EQ(stress.exit_code, 0) << stress.out << stress.err;
    EXPECT_NE(stress.out.find("3 stress-ng processes in its cgroups (through the node agent), "
                              "the CPU workers running"),
              std::string::npos)
        << stress.out;
    std::set<int> in_pod;
    for (int pid : pod_processes(uid)) {
        if (command_name(pid).rfind("stress-ng", 0) == 0) in_pod.insert(pid);
    }
    auto all = processes_named("stress-ng");
    EXPECT_EQ(in_pod.size(), 3u);
    EXPECT_EQ(std::set<int>(all.begin(), all.end()), in_pod) << "every stressor in the pod";
    auto faults = cli({"cluster", name(), "faults"});
    EXPECT_NE(faults.out.find("stress on node 2: 3 processes"), std::string::npos) << faults.out;
    auto destress = cli({"cluster", name(), "destress", "--node", "2"});
    ASSERT_EQ(destress.exit_code, 0) << destress.err;
    std::vector<int> left;
    for (int attempt = 0; attempt < 100; ++attempt) {
        left = processes_named("stress-ng");
        if (left.empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(left.empty()) << left.size() << " stress-ng processes (or zombies) left";
}

// The userspace netem daemon from the agent's image: every write through
// node 1 waits for its outgoing packets (to the leader, or from it).
TEST_F(KubeAgent, NetemDelayThroughTheAgentSlowsTheNodesWritesByItsLatency) {
    int port1 = local_port(name(), 1);
    ASSERT_TRUE(write_succeeds(port1, "warm", "up", std::chrono::seconds(10)));
    auto before = median_write(port1, "before");
    auto delay = cli({"cluster", name(), "delay", "1", "--latency", "200ms", "--jitter", "0ms"});
    ASSERT_EQ(delay.exit_code, 0) << delay.out << delay.err;
    EXPECT_FALSE(processes_named("atomixtest-nete").empty()) << "the daemon runs on this machine";
    auto delayed = median_write(port1, "delayed");
    auto restore = cli({"cluster", name(), "restore"});
    ASSERT_EQ(restore.exit_code, 0) << restore.err;
    EXPECT_TRUE(processes_named("atomixtest-nete").empty());
    auto after = median_write(port1, "after");
    EXPECT_GE(delayed.count(), 190) << "before " << before.count() << " ms";
    std::cout << "writes through node 1: " << before.count() << " ms, delayed " << delayed.count()
              << " ms, restored " << after.count() << " ms\n";
    EXPECT_LT(after.count(), delayed.count() - 100) << "after the restore";
}

// kill: the container's main process signalled by the agent on its node.
TEST_F(KubeAgent, AKillThroughTheAgentEndsTheContainersProcessAndThePodRestartsIt) {
    int port3 = local_port(name(), 3);
    ASSERT_TRUE(write_succeeds(port3, "before-kill", "kept", std::chrono::seconds(10)));
    auto kill = cli({"cluster", name(), "kill", "3"});
    ASSERT_EQ(kill.exit_code, 0) << kill.out << kill.err;
    EXPECT_NE(kill.out.find("signalled by the node agent) is gone"), std::string::npos) << kill.out;
    std::string restarts;
    for (int attempt = 0; attempt < 50 && restarts != "1"; ++attempt) {
        restarts = kubectl({"get", "pod", "-n", ns(), name() + "-3", "-o",
                            "jsonpath={.status.containerStatuses[0].restartCount}"})
                       .out;
        if (restarts != "1") std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(restarts, "1");
    EXPECT_EQ(eventually_get(port3, "before-kill", b64("kept")), b64("kept"));
}

// pause: the container's cgroup freezer, set by the agent on its node and
// read back; `nodes` says paused from the pod's record of it.
TEST_F(KubeAgent, APauseThroughTheAgentFreezesThePodsContainerUntilResumed) {
    int port2 = local_port(name(), 2);
    ASSERT_TRUE(write_succeeds(port2, "before-pause", "1", std::chrono::seconds(10)));
    auto pause = cli({"cluster", name(), "pause", "2"});
    ASSERT_EQ(pause.exit_code, 0) << pause.out << pause.err;
    EXPECT_NE(pause.out.find("the node agent froze its container's"), std::string::npos)
        << pause.out;
    for (const auto& node : nodes_json(name())) {
        EXPECT_EQ(node["status"], node["id"] == 2 ? "paused" : "running") << node.dump();
    }
    // From this machine: the etcd process's freezer group is frozen.
    std::string state;
    for (int pid : pod_processes(pod_uid(2))) {
        if (command_name(pid) != "etcd") continue;
        std::istringstream lines(text_of("/proc/" + std::to_string(pid) + "/cgroup"));
        for (std::string line; std::getline(lines, line);) {
            auto at = line.find(":freezer:");
            if (at != std::string::npos) {
                state = text_of("/sys/fs/cgroup/freezer" + line.substr(at + 9) + "/freezer.state");
            }
        }
    }
    EXPECT_EQ(state, "FROZEN\n");
    EXPECT_THROW(etcd_get_b64(port2, "before-pause", std::chrono::milliseconds(1500)), Error);
    auto resume = cli({"cluster", name(), "resume", "2"});
    ASSERT_EQ(resume.exit_code, 0) << resume.out << resume.err;
    EXPECT_EQ(eventually_get(port2, "before-pause", b64("1")), b64("1"));
    EXPECT_EQ(nodes_json(name())[1]["status"], "running");
}

// The node clock tool from the agent's image patches the pod's processes on
// their node: etcd itself stamps its log an hour back (a compaction, logged
// by each member with its own clock), no other process on the machine is
// patched, and the reset leaves neither a patch nor a strobe daemon.
TEST_F(KubeAgent, ClockFaultsThroughTheAgentAreInEtcdsOwnLogAndResetLeavesNone) {
    constexpr int64_t kHourMs = int64_t{3600} * 1000;
    auto bump = cli({"cluster", name(), "clock.bump", "1", "--offset", "-1h"});
    ASSERT_EQ(bump.exit_code, 0) << bump.out << bump.err;
    EXPECT_NE(bump.out.find("reads the time -3600."), std::string::npos) << bump.out;
    EXPECT_NE(bump.out.find("the clocks of the nodes' machines and the other nodes' unchanged"),
              std::string::npos)
        << bump.out;
    auto node1 = pod_processes(pod_uid(1));
    auto patched = processes_with_patched_vdso();
    ASSERT_FALSE(patched.empty());
    for (int pid : patched) {
        EXPECT_TRUE(std::count(node1.begin(), node1.end(), pid)) << pid << " is not node 1's";
    }
    auto [revision, asked] = compact(name());
    auto stamped1 = compaction_time(name(), 1, revision);
    auto stamped2 = compaction_time(name(), 2, revision);
    ASSERT_TRUE(stamped1 && stamped2) << "each member logs the compaction";
    EXPECT_NEAR(static_cast<double>(*stamped1 - asked), -kHourMs, 2000) << "node 1, an hour back";
    EXPECT_NEAR(static_cast<double>(*stamped2 - asked), 0, 2000) << "node 2 keeps its clock";

    auto rate = cli({"cluster", name(), "clock.rate", "2", "--rate", "3"});
    ASSERT_EQ(rate.exit_code, 0) << rate.out << rate.err;
    auto runs_at = rate.out.find(", runs at ");
    ASSERT_NE(runs_at, std::string::npos) << rate.out;
    EXPECT_NEAR(std::stod(rate.out.substr(runs_at + 10)), 3.0, 0.3) << rate.out;

    auto strobe = cli({"cluster", name(), "clock.strobe", "3", "--delta", "2s", "--period", "20ms",
                       "--duration", "1m"});
    ASSERT_EQ(strobe.exit_code, 0) << strobe.out << strobe.err;
    EXPECT_NE(strobe.out.find("seen flipping"), std::string::npos) << strobe.out;
    EXPECT_EQ(clock_strobes().size(), 1u) << "one daemon, in node 3's namespace";
    auto faults = cli({"cluster", name(), "faults"}).out;
    EXPECT_NE(faults.find("clock of node 1: -3600s"), std::string::npos) << faults;
    EXPECT_NE(faults.find("clock of node 2: +0s, rate 3"), std::string::npos) << faults;
    EXPECT_NE(faults.find("clock of node 3: +0s, strobe +2s every 20ms"), std::string::npos)
        << faults;

    auto reset = cli({"cluster", name(), "clock.reset"});
    ASSERT_EQ(reset.exit_code, 0) << reset.out << reset.err;
    EXPECT_TRUE(processes_with_patched_vdso().empty()) << "every vDSO is the kernel's again";
    EXPECT_TRUE(clock_strobes().empty());
    EXPECT_EQ(cli({"cluster", name(), "faults"}).out.find("clock"), std::string::npos);
    auto again = compact(name());
    auto restamped = compaction_time(name(), 1, again.first);
    ASSERT_TRUE(restamped);
    EXPECT_NEAR(static_cast<double>(*restamped - again.second), 0, 2000) << "node 1's own clock";
}

// tc from the agent's image shapes the pod's egress, and the node tool's
// probe, sent and counted in the pods, sees the rate: node-wide and to one
// peer (whose pod address the Service's is translated to). Restore lifts it.
TEST_F(KubeAgent, ARateThroughTheAgentIsMeasuredInThePodsAndRestoreLiftsIt) {
    auto rate = cli({"cluster", name(), "rate", "1", "--rate", "1mbit"});
    ASSERT_EQ(rate.exit_code, 0) << rate.out << rate.err;
    EXPECT_NE(rate.out.find("in force (verified: node 1 -> "), std::string::npos) << rate.out;
    EXPECT_NE(rate.out.find("(asked 1mbit"), std::string::npos) << rate.out;
    auto uid1 = pod_uid(1), uid2 = pod_uid(2);
    auto qdiscs = in_pod_network(uid1, {"tc", "qdisc", "show", "dev", "eth0"}).out;
    EXPECT_NE(qdiscs.find("tbf"), std::string::npos) << qdiscs;
    EXPECT_NE(qdiscs.find("rate 1Mbit"), std::string::npos) << qdiscs;
    auto to = cli({"cluster", name(), "rate", "2", "--rate", "2mbit", "--to", "3"});
    ASSERT_EQ(to.exit_code, 0) << to.out << to.err;
    EXPECT_NE(to.out.find("in force (verified: node 2 -> 3: "), std::string::npos) << to.out;
    auto faults = cli({"cluster", name(), "faults"}).out;
    EXPECT_NE(faults.find("netem node 2: to 3: rate 2mbit"), std::string::npos) << faults;
    auto restore = cli({"cluster", name(), "restore"});
    ASSERT_EQ(restore.exit_code, 0) << restore.err;
    for (const auto& uid : {uid1, uid2}) {
        auto left = in_pod_network(uid, {"tc", "qdisc", "show", "dev", "eth0"}).out;
        EXPECT_EQ(left.find("tbf"), std::string::npos) << left;
    }
}

// The lazy disks' mounts on this machine under a directory.
std::vector<std::string> disk_mounts_under(const std::string& dir) {
    return lazy_disk_mounts_at(" " + dir + "/");
}

// --disk lazy through the agent: each pod's data dir is a FUSE mount on its
// own Kubernetes node, in the node dir the agent keeps there (named by the
// namespace's UID), served by daemons in the agent's pods (not from this
// process); the disk faults reach etcd in the pods: a stopped pod's disk
// loses what was never synced and etcd keeps what it acknowledged, a delay
// is listed in force, ENOSPC on a WAL stops acknowledgements until restored. An added node gets a
// disk of its own, gone with it; teardown leaves no mount, daemon or dir.
TEST_F(KubeAgent, ALazyDiskThroughTheAgentIsServedOnThePodsNodeAndTheDiskFaultsReachIt) {
    auto lazy = unique_cluster("kalazy");
    auto setup = cli({"--node-agent", "cluster", lazy, "setup", "-c", "etcd", "-n", "3",
                      "--backend", "kubernetes", "--disk", "lazy"},
                     std::chrono::minutes(2));
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    auto lazy_ns = "atomix-test-" + lazy;
    auto uid = kubectl({"get", "namespace", lazy_ns, "-o", "jsonpath={.metadata.uid}"}).out;
    ASSERT_FALSE(uid.empty());
    auto dirs = "/var/lib/atomix-test-agent/" + uid;
    EXPECT_EQ(disk_mounts_under(dirs).size(), 3u) << "a mount for each pod's data dir";
    auto agents = kubectl({"get", "pods", "-n", lazy_ns, "-l", "atomix-test.io/role=agent", "-o",
                           "jsonpath={.items[*].metadata.uid}"})
                      .out;
    auto daemons = processes_mentioning(dirs + "/node-");
    EXPECT_FALSE(daemons.empty());
    for (int pid : daemons) {
        auto cgroup = text_of("/proc/" + std::to_string(pid) + "/cgroup");
        auto pod = cgroup.find("/pod");
        ASSERT_NE(pod, std::string::npos) << pid << " is in no pod's cgroup";
        EXPECT_NE(agents.find(cgroup.substr(pod + 4, 36)), std::string::npos)
            << pid << " is not in an agent's pod: " << cgroup;
    }

    auto on = [&](std::vector<std::string> command) {
        command.insert(command.begin(), {"cluster", lazy});
        return cli(command, std::chrono::minutes(2));
    };
    expect_a_stopped_pods_power_loss_keeps_what_etcd_acknowledged(lazy);
    int port1 = local_port(lazy, 1);

    // Listed while in force, read beside the node; a delay, which etcd lives
    // through (ENOSPC on its WAL ends it, and `faults` through the agent
    // then fails on its dead pod: see the closing note).
    auto slow = on({"disk.delay", "1", "--path", "member/wal/*", "--latency", "5ms"});
    ASSERT_EQ(slow.exit_code, 0) << slow.out << slow.err;
    EXPECT_NE(on({"faults"}).out.find("disk node 1: delay 5ms"), std::string::npos) << "in force";
    ASSERT_EQ(on({"disk.restore", "1"}).exit_code, 0);
    auto full = on(
        {"disk.error", "1", "--path", "member/wal/*", "--ops", "write,fsync", "--errno", "ENOSPC"});
    ASSERT_EQ(full.exit_code, 0) << full.out << full.err;
    EXPECT_FALSE(write_succeeds(port1, "full", "disk", std::chrono::seconds(3)))
        << "a write its WAL refused was acknowledged";
    ASSERT_EQ(on({"disk.restore", "1"}).exit_code, 0);
    EXPECT_TRUE(write_succeeds(port1, "after", "restore", std::chrono::seconds(60)));

    ASSERT_EQ(on({"add-node"}).exit_code, 0);
    EXPECT_EQ(disk_mounts_under(dirs + "/node-4").size(), 1u);
    ASSERT_EQ(on({"remove-node", "4"}).exit_code, 0);
    EXPECT_TRUE(disk_mounts_under(dirs + "/node-4").empty());
    EXPECT_FALSE(fs::exists(dirs + "/node-4"));

    ASSERT_EQ(on({"teardown"}).exit_code, 0);
    EXPECT_TRUE(disk_mounts_under(dirs).empty()) << "teardown leaves no mount";
    EXPECT_FALSE(fs::exists(dirs)) << "nor a node dir";
    EXPECT_TRUE(processes_mentioning(dirs).empty()) << "nor a daemon";
}

// A cluster whose admission forbids privileged pods (a ValidatingAdmission
// Policy on the namespace of this one cluster): the agent's dry run is
// refused, the API server's words said, exit 2, nothing left.
TEST_F(KubeAgent, AClusterThatForbidsPrivilegedPodsIsRefusedInItsWords) {
    auto denied = unique_cluster("kadeny");
    auto policy = suite().base() / "no-privileged.yaml";
    std::ofstream(policy)
        << "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n"
           "metadata: {name: "
        << denied
        << "}\nspec:\n  failurePolicy: Fail\n  matchConstraints:\n    resourceRules:\n"
           "    - {apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}\n"
           "  validations:\n  - expression: \"!object.spec.containers.exists(c, "
           "has(c.securityContext) && has(c.securityContext.privileged) && "
           "c.securityContext.privileged)\"\n    message: privileged pods are forbidden here\n"
           "---\napiVersion: admissionregistration.k8s.io/v1\n"
           "kind: ValidatingAdmissionPolicyBinding\nmetadata: {name: "
        << denied << "}\nspec:\n  policyName: " << denied
        << "\n  validationActions: [Deny]\n  matchResources:\n    namespaceSelector:\n"
           "      matchLabels: {atomix-test.io/cluster: "
        << denied << "}\n";
    auto applied = kubectl({"apply", "-f", policy.string()});
    ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
    // The API server takes up a new policy within a second or so.
    ProcessResult setup;
    for (int attempt = 0; attempt < 5; ++attempt) {
        setup = cli({"--node-agent", "cluster", denied, "setup", "-c", "etcd", "-n", "1",
                     "--backend", "kubernetes"});
        if (setup.err.find("privileged pods are forbidden here") != std::string::npos) break;
        if (setup.exit_code == 0) cli({"cluster", denied, "teardown"});
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    kubectl({"delete", "-f", policy.string()});
    fs::remove(policy);
    EXPECT_EQ(setup.exit_code, 2) << setup.out << setup.err;
    EXPECT_NE(setup.err.find("refuses the node agent's pod"), std::string::npos) << setup.err;
    EXPECT_NE(setup.err.find("privileged pods are forbidden here"), std::string::npos) << setup.err;
    EXPECT_NE(kubectl({"get", "namespace", "atomix-test-" + denied}).exit_code, 0)
        << "nothing of the refused cluster is left";
}

// The README's RBAC manifest, bound to a ServiceAccount whose token is the
// only credential: the whole life of a cluster with its agent works with it.
TEST_F(KubeAgent, TheRbacManifestIsEnoughForTheBackendAndItsAgent) {
    auto manifest = source_dir() / "plugins/kubernetes/deploy/rbac.yaml";
    ASSERT_EQ(kubectl({"create", "serviceaccount", "atomix-test", "-n", "default"}).exit_code, 0);
    auto applied = kubectl({"apply", "-f", manifest.string()});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    auto token = kubectl({"create", "token", "atomix-test", "-n", "default"});
    ASSERT_EQ(token.exit_code, 0) << token.err;
    while (!token.out.empty() && token.out.back() == '\n') token.out.pop_back();
    // The admin kubeconfig's server and CA, with the ServiceAccount's token.
    auto limited = suite().base() / "rbac.kubeconfig";
    // scripts/kube's kubeconfig names its CA by file.
    const std::string fields_wanted =
        "jsonpath={.clusters[0].cluster.server} {.clusters[0].cluster.certificate-authority}";
    auto raw = kubectl({"config", "view", "--raw", "--minify", "-o", fields_wanted});
    std::istringstream fields(raw.out);
    std::string server, ca;
    fields >> server >> ca;
    ASSERT_FALSE(ca.empty()) << raw.out << raw.err;
    std::ofstream(limited) << "apiVersion: v1\nkind: Config\ncurrent-context: sa\n"
                              "clusters: [{name: k, cluster: {server: '"
                           << server << "', certificate-authority: '" << ca
                           << "'}}]\nusers: [{name: sa, user: {token: " << token.out
                           << "}}]\ncontexts: [{name: sa, context: {cluster: k, user: sa}}]\n";
    auto cluster = unique_cluster("karbac");
    auto as_account = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--kubeconfig", limited.string()});
        return cli(args, std::chrono::minutes(2));
    };
    auto setup = as_account({"--node-agent", "cluster", cluster, "setup", "-c", "etcd", "-n", "3",
                             "--backend", "kubernetes"});
    EXPECT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    for (std::vector<std::string> step : {std::vector<std::string>{"isolate", "1"},
                                          {"heal"},
                                          {"stress", "--node", "2", "--cpu", "1"},
                                          {"faults"},
                                          {"destress"},
                                          {"delay", "3", "--latency", "20ms"},
                                          {"restore"},
                                          {"kill", "3"},
                                          {"logs", "2"},
                                          {"run", "1", "etcd", "--version"}}) {
        std::vector<std::string> args = {"cluster", cluster};
        args.insert(args.end(), step.begin(), step.end());
        auto result = as_account(args);
        EXPECT_EQ(result.exit_code, 0) << step.front() << ": " << result.out << result.err;
    }
    auto teardown = as_account({"cluster", cluster, "teardown"});
    EXPECT_EQ(teardown.exit_code, 0) << teardown.out << teardown.err;
    // Without the binding the same credential is refused in the server's words.
    kubectl({"delete", "clusterrolebinding", "atomix-test"});
    auto refused = as_account(
        {"cluster", cluster + "-2", "setup", "-c", "etcd", "-n", "1", "--backend", "kubernetes"});
    EXPECT_NE(refused.exit_code, 0) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("cannot get resource \"namespaces\""), std::string::npos)
        << refused.err;
    kubectl({"delete", "-f", manifest.string()});
    kubectl({"delete", "serviceaccount", "atomix-test", "-n", "default"});
    fs::remove(limited);
}

// The agent's image is named by a hash of its files: another build's agent
// is refused, naming both, before any command is sent to it.
TEST_F(KubeAgent, AnotherBuildsAgentIsRefusedBeforeItIsAsked) {
    auto image = kubectl({"get", "daemonset", "-n", ns(), "atomix-test-agent", "-o",
                          "jsonpath={.spec.template.spec.containers[0].image}"})
                     .out;
    // Pulled from the suite's registry, it is named with it first.
    auto pulled_from = suite().registry() + "/";
    ASSERT_EQ(image.rfind(pulled_from + "atomix-test/node-agent:", 0), 0u) << image;
    auto set_image = [&](const std::string& to) {
        auto patched =
            kubectl({"set", "image", "-n", ns(), "daemonset/atomix-test-agent", "agent=" + to});
        ASSERT_EQ(patched.exit_code, 0) << patched.err;
    };
    auto other = pulled_from + "atomix-test/node-agent:0000000000000000";
    set_image(other);
    auto isolate = cli({"cluster", name(), "isolate", "1"});
    set_image(image);
    EXPECT_NE(isolate.exit_code, 0);
    EXPECT_NE(isolate.err.find("is another build's (" + other + ", this build's is " +
                               image.substr(pulled_from.size()) + ")"),
              std::string::npos)
        << isolate.err;
    auto rolled =
        kubectl({"rollout", "status", "-n", ns(), "daemonset/atomix-test-agent", "--timeout=90s"});
    EXPECT_EQ(rolled.exit_code, 0) << rolled.out << rolled.err;
    auto again = cli({"cluster", name(), "isolate", "1"});
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
}

// A run killed outright mid-isolation: gc removes its namespace, and with it
// the agent's DaemonSet and pods, after the agent removed the pods' data dirs
// on their Kubernetes nodes; nothing of it is left on this machine.
TEST_F(KubeAgent, GcRemovesTheAgentOfAKilledRun) {
    auto results = suite().base() / "killed-agent";
    auto cluster = KubeSuite::cluster_of_a_killed_entropy_run({"--node-agent"}, results);
    ASSERT_NE(cluster, "");
    auto killed_ns = "atomix-test-" + cluster;
    auto agent = kubectl({"get", "daemonset", "-n", killed_ns, "atomix-test-agent", "-o", "name"});
    ASSERT_EQ(agent.exit_code, 0) << "the killed run's agent is there: " << agent.err;
    auto uid = kubectl({"get", "namespace", killed_ns, "-o", "jsonpath={.metadata.uid}"}).out;
    ASSERT_FALSE(uid.empty());
    auto node_dirs = "/var/lib/atomix-test-agent/" + uid;
    EXPECT_TRUE(fs::exists(node_dirs)) << "its pods' data dirs, on their Kubernetes nodes";

    auto gc = cli({"gc"}, std::chrono::minutes(2));
    EXPECT_EQ(gc.exit_code, 0) << gc.out << gc.err;
    EXPECT_NE(kubectl({"get", "namespace", killed_ns}).exit_code, 0) << "the namespace is gone";
    auto agents = kubectl(
        {"get", "daemonsets,pods", "-A", "-l", "atomix-test.io/cluster=" + cluster, "-o", "name"});
    EXPECT_EQ(agents.out, "") << "no agent DaemonSet or pod left";
    for (const auto& process : tagged_processes()) {
        EXPECT_NE(process.cluster, cluster) << process.command << " is left";
    }
    EXPECT_FALSE(fs::exists(state_dir() / "kubernetes" / cluster));
    EXPECT_FALSE(fs::exists(node_dirs)) << "removed by the agent before it went";
    // The suite's own cluster is not gc's to judge.
    EXPECT_EQ(nodes_json(name()).size(), 3u);
    fs::remove_all(results);
}

}  // namespace
}  // namespace atomixtest::testing
