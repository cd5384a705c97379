// The kubernetes backend against a real 3-node Kubernetes (scripts/kube): an
// etcd cluster whose members are pods spread over the nodes, reached from
// this machine through the API server's port-forward, faults applied in the
// pods' own namespaces, and a teardown that leaves nothing of the cluster in
// Kubernetes or on this machine.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "../integration/cli_harness.hpp"
#include "../integration/running_cli.hpp"
#include "atomixtest/process_tag.hpp"
#include "kube_suite.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

class KubeBackend : public ::testing::Test {
  protected:
    static KubeSuite& suite() {
        static KubeSuite shared("kb");
        return shared;
    }
    static const std::string& kube_name() { return suite().kube_name(); }
    static const std::string& name() { return suite().cluster(); }
    static fs::path base() { return suite().base(); }
    static ProcessResult kubectl(const std::vector<std::string>& args) {
        return suite().kubectl(args);
    }
    static void SetUpTestSuite() { suite().up({}); }
    static void TearDownTestSuite() { suite().down(); }
    void SetUp() override { ASSERT_EQ(suite().set_up.failure, ""); }
    void TearDown() override { cli({"cluster", name(), "heal"}); }
};

TEST_F(KubeBackend, NodesArePodsSpreadOverTheKubernetesNodes) {
    auto nodes = nodes_json(name());
    ASSERT_EQ(nodes.size(), 3u);
    std::set<std::string> hosts;
    for (const auto& node : nodes) {
        EXPECT_EQ(node["status"], "running") << node.dump();
        EXPECT_EQ(node["name"], name() + "-" + std::to_string(node["id"].get<int>()));
        hosts.insert(node["host"].get<std::string>());
    }
    EXPECT_EQ(hosts, (std::set<std::string>{kube_name() + "-n1", kube_name() + "-n2",
                                            kube_name() + "-n3"}));
    auto table = cli({"cluster", name(), "nodes"});
    EXPECT_NE(table.out.find("HOST"), std::string::npos) << table.out;
    // The namespace is labelled with its cluster: the API is the source of truth.
    auto labelled =
        kubectl({"get", "namespaces", "-l", "atomix-test.io/cluster=" + name(), "-o", "name"});
    EXPECT_EQ(labelled.out, "namespace/atomix-test-" + name() + "\n") << labelled.err;
}

TEST_F(KubeBackend, LocalPortsReachEachPodThroughTheApiServer) {
    ASSERT_TRUE(
        write_succeeds(local_port(name(), 1), "greeting", "hello", std::chrono::seconds(10)));
    EXPECT_EQ(eventually_get(local_port(name(), 2), "greeting", b64("hello")), b64("hello"));
    EXPECT_EQ(eventually_get(local_port(name(), 3), "greeting", b64("hello")), b64("hello"));
}

// Members on different Kubernetes nodes: the rules go into the pods' own
// network namespaces, nothing into the system's image.
TEST_F(KubeBackend, AnIsolatedPodCannotWriteTheMajorityCanAndHealRestoresIt) {
    int port1 = local_port(name(), 1), port2 = local_port(name(), 2);
    ASSERT_TRUE(write_succeeds(port2, "k", "v0", std::chrono::seconds(10)));
    auto isolate = cli({"cluster", name(), "isolate", "1"});
    ASSERT_EQ(isolate.exit_code, 0) << isolate.out << isolate.err;
    EXPECT_FALSE(write_succeeds(port1, "k-minority", "from-minority", std::chrono::seconds(2)))
        << "an isolated member must not accept a write";
    EXPECT_TRUE(write_succeeds(port2, "k", "from-majority", std::chrono::seconds(10)))
        << "the majority must keep accepting writes";
    auto heal = cli({"cluster", name(), "heal"});
    ASSERT_EQ(heal.exit_code, 0) << heal.err;
    EXPECT_EQ(eventually_get(port1, "k", b64("from-majority")), b64("from-majority"))
        << "after the heal node 1 serves the majority's write";
}

// kill: the container's process killed through the runtime; the pod starts
// it again, its data dir kept, and it serves what it had.
TEST_F(KubeBackend, AKilledPodIsStartedAgainWithItsData) {
    int port3 = local_port(name(), 3);
    ASSERT_TRUE(write_succeeds(port3, "before-kill", "kept", std::chrono::seconds(10)));
    auto kill = cli({"cluster", name(), "kill", "3"});
    ASSERT_EQ(kill.exit_code, 0) << kill.out << kill.err;
    EXPECT_NE(kill.out.find(") is gone"), std::string::npos) << kill.out;
    EXPECT_EQ(eventually_get(port3, "before-kill", b64("kept")), b64("kept"));
    // The kubelet reports the restart a moment after it made it.
    std::string restarts;
    for (int attempt = 0; attempt < 50 && restarts != "1"; ++attempt) {
        restarts = kubectl({"get", "pod", "-n", "atomix-test-" + name(), name() + "-3", "-o",
                            "jsonpath={.status.containerStatuses[0].restartCount}"})
                       .out;
        if (restarts != "1") std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(restarts, "1");
}

// Frozen by the runtime's cgroup freezer: Kubernetes does not know, the
// runtime is asked, and the member answers nothing until it is resumed.
TEST_F(KubeBackend, APausedPodIsShownPausedAndAnswersOnceResumed) {
    int port2 = local_port(name(), 2);
    ASSERT_TRUE(write_succeeds(port2, "before-pause", "1", std::chrono::seconds(10)));
    auto pause = cli({"cluster", name(), "pause", "2"});
    ASSERT_EQ(pause.exit_code, 0) << pause.out << pause.err;
    EXPECT_NE(pause.out.find("paused (cgroup freezer)"), std::string::npos) << pause.out;
    for (const auto& node : nodes_json(name())) {
        EXPECT_EQ(node["status"], node["id"] == 2 ? "paused" : "running") << node.dump();
    }
    EXPECT_THROW(etcd_get_b64(port2, "before-pause", std::chrono::milliseconds(1500)), Error);
    auto resume = cli({"cluster", name(), "resume", "2"});
    ASSERT_EQ(resume.exit_code, 0) << resume.out << resume.err;
    EXPECT_EQ(eventually_get(port2, "before-pause", b64("1")), b64("1"));
}

// The shipped scenarios of a directory as they are, but for `backend:
// kubernetes`: each sets up its own cluster of pods, applies its faults in
// them and checks its history.
void expect_scenarios_pass_on_kubernetes(const std::string& directory,
                                         const std::set<std::string>& left_out) {
    auto dir = state_dir() / "kube" / ("scenarios-" + directory);
    fs::create_directories(dir);
    int count = 0;
    for (const auto& entry : fs::directory_iterator(source_dir() / "scenarios" / directory)) {
        if (left_out.count(entry.path().filename().string())) continue;
        auto text = read_file(entry.path());
        auto at = text.find("backend: local");
        ASSERT_NE(at, std::string::npos) << entry.path();
        text.replace(at, std::string("backend: local").size(), "backend: kubernetes");
        std::ofstream(dir / entry.path().filename()) << text;
        ++count;
    }
    std::vector<std::string> args = {"run"};
    for (const auto& entry : fs::directory_iterator(dir)) args.push_back(entry.path().string());
    args.push_back("--results");
    args.push_back((dir / "results").string());
    auto run = cli(args, std::chrono::minutes(6));
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find(std::to_string(count) + " passed, 0 failed"), std::string::npos)
        << run.out;
    fs::remove_all(dir);
}

TEST_F(KubeBackend, TheEtcdScenariosPassWithOnlyTheBackendChanged) {
    expect_scenarios_pass_on_kubernetes("etcd", {});
}

// An Atomix consensus cluster of three JVM pods with a client node added.
TEST_F(KubeBackend, TheAtomixClientNodeScenarioPassesWithOnlyTheBackendChanged) {
    expect_scenarios_pass_on_kubernetes(
        "atomix", {"kill-and-recover.yaml", "isolated-node.yaml", "latency-while-writing.yaml",
                   "stress-while-writing.yaml"});
}

// The other Atomix scenarios: isolation, netem delay, CPU stress in a pod's
// cgroup. kill-and-recover is left out: the kubelet starts a killed
// container again at once, and a write that reaches the restarted member
// before its partitions are up is answered NoRemoteHandler (HTTP 500),
// which Atomix does not retry (see the README). CI's plain lane runs the
// reduced set (ATOMIX_TEST_REDUCED=1, .ci/run): these faults on pods are
// the etcd scenarios' too, and three more JVM clusters take 100 s.
TEST_F(KubeBackend, TheOtherAtomixScenariosPassWithOnlyTheBackendChanged) {
    if (const char* reduced = std::getenv("ATOMIX_TEST_REDUCED"); reduced && *reduced == '1') {
        GTEST_SKIP() << "the reduced set (ATOMIX_TEST_REDUCED=1)";
    }
    expect_scenarios_pass_on_kubernetes("atomix",
                                        {"kill-and-recover.yaml", "map-on-a-client-node.yaml"});
}

// stop: the pod deleted, its data dir kept on its Kubernetes node, the node
// listed as stopped; start: the pod made again there, serving its data and
// what the majority wrote meanwhile.
TEST_F(KubeBackend, AStoppedPodComesBackOnItsNodeWithItsData) {
    int port1 = local_port(name(), 1), port2 = local_port(name(), 2);
    ASSERT_TRUE(write_succeeds(port2, "before-stop", "kept", std::chrono::seconds(10)));
    auto host = nodes_json(name())[1]["host"].get<std::string>();
    auto stop = cli({"cluster", name(), "stop", "2"});
    ASSERT_EQ(stop.exit_code, 0) << stop.out << stop.err;
    EXPECT_NE(stop.out.find("its data dir is kept on " + host), std::string::npos) << stop.out;
    auto stopped = nodes_json(name())[1];
    EXPECT_EQ(stopped["status"], "stopped") << stopped.dump();
    EXPECT_EQ(stopped["host"], host) << stopped.dump();
    EXPECT_NE(kubectl({"get", "pod", "-n", "atomix-test-" + name(), name() + "-2"}).exit_code, 0)
        << "the pod is gone";
    EXPECT_TRUE(write_succeeds(port1, "while-stopped", "majority", std::chrono::seconds(10)));
    auto start = cli({"cluster", name(), "start", "2"});
    ASSERT_EQ(start.exit_code, 0) << start.out << start.err;
    auto started = nodes_json(name())[1];
    EXPECT_EQ(started["status"], "running") << started.dump();
    EXPECT_EQ(started["host"], host) << "back where its data is: " << started.dump();
    EXPECT_EQ(eventually_get(port2, "before-stop", b64("kept")), b64("kept"));
    EXPECT_EQ(eventually_get(port2, "while-stopped", b64("majority")), b64("majority"));
}

// add-node: a Service (its address) first, etcd's member add through a
// running member, then the pod; remove-node: member remove, then the objects.
TEST_F(KubeBackend, AnAddedPodJoinsTheMembershipAndARemovedOneLeavesIt) {
    int port1 = local_port(name(), 1);
    ASSERT_TRUE(write_succeeds(port1, "before-add", "hello", std::chrono::seconds(10)));
    auto added = cli({"cluster", name(), "add-node"}, std::chrono::minutes(3));
    ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
    auto nodes = nodes_json(name());
    ASSERT_EQ(nodes.size(), 4u);
    EXPECT_EQ(nodes[3]["status"], "running") << nodes[3].dump();
    EXPECT_EQ(nodes[3]["host"], kube_name() + "-n1") << "spread: the 4th on the first again";
    auto peer4 = "http://" + nodes[3]["ip"].get<std::string>() + ":2380";
    EXPECT_TRUE(member_listed_becomes(port1, peer4, true)) << peer4;
    EXPECT_EQ(eventually_get(local_port(name(), 4), "before-add", b64("hello")), b64("hello"))
        << "the new member has the cluster's data, through its own LOCAL PORT";
    auto removed = cli({"cluster", name(), "remove-node", "4"}, std::chrono::minutes(2));
    ASSERT_EQ(removed.exit_code, 0) << removed.out << removed.err;
    EXPECT_EQ(nodes_json(name()).size(), 3u);
    EXPECT_TRUE(member_listed_becomes(port1, peer4, false)) << peer4;
    auto left = kubectl({"get", "pods,services,configmaps", "-n", "atomix-test-" + name(), "-l",
                         "atomix-test.io/node=4", "-o", "name"});
    EXPECT_EQ(left.out, "") << left.err;
    EXPECT_TRUE(write_succeeds(port1, "after-remove", "3 members", std::chrono::seconds(10)));
}

// run: the command in the pod's container, through the API server's exec;
// its output and its failure come back as they were.
TEST_F(KubeBackend, RunExecutesInThePodAndExecuteSaysWhatTheImageLacks) {
    auto version = cli({"cluster", name(), "run", "2", "etcd", "--version"});
    EXPECT_EQ(version.exit_code, 0) << version.out << version.err;
    EXPECT_NE(version.out.find("etcd Version: "), std::string::npos) << version.out;
    auto failing = cli({"cluster", name(), "run", "2", "etcd", "--no-such-flag"});
    EXPECT_EQ(failing.exit_code, 1) << failing.out << failing.err;
    EXPECT_NE(failing.err.find("no-such-flag"), std::string::npos) << failing.err;
    // The etcd image is etcd alone: no shell to start a command detached.
    auto detached = cli({"cluster", name(), "execute", "2", "etcd", "--version"});
    EXPECT_NE(detached.exit_code, 0);
    EXPECT_NE(detached.err.find("needs sh and setsid in the node's image"), std::string::npos)
        << detached.err;
}

// Jepsen's kind of run on pods: crashes (killed through the runtime, started
// again by the kubelet) and isolations for 60 s, the history linearizable.
TEST_F(KubeBackend, ASixtySecondEntropyRunWithCrashesAndPartitionsIsLinearizable) {
    auto results = base() / "entropy";
    auto run =
        cli({"entropy",   "--results", results.string(), "--cluster", name(),      "--ops", "20",
             "--scale",   "4",         "--run-time",     "60s",       "--seed",    "7",     "crash",
             "10s",       "15s",       "--random",       "3s",        "partition", "10s",   "15s",
             "--isolate", "5s"},
            std::chrono::minutes(4));
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    auto summary = nlohmann::json::parse(read_file(results / "summary.json"));
    EXPECT_EQ(summary["verdict"], "linearizable") << summary.dump();
    std::string history = read_file(results / "history.jsonl");
    EXPECT_NE(history.find("\"fault\":\"crash\""), std::string::npos) << "a crash came into force";
    EXPECT_NE(history.find("\"fault\":\"partition-isolate\""), std::string::npos)
        << "an isolation came into force";
    for (const auto& node : nodes_json(name())) {
        EXPECT_EQ(node["status"], "running") << "every crash recovered: " << node.dump();
    }
    fs::remove_all(results);
}

// A run killed outright (no teardown of its own): gc finds its cluster by
// the claim the dead run left, and removes the namespace, its pods and the
// relay; nothing of it stays in Kubernetes or on this machine.
TEST_F(KubeBackend, GcRemovesWhatAKilledRunLeft) {
    auto results = base() / "killed";
    auto cluster = KubeSuite::cluster_of_a_killed_entropy_run({}, results);
    ASSERT_NE(cluster, "");
    auto ns = "atomix-test-" + cluster;
    ASSERT_EQ(kubectl({"get", "namespace", ns}).exit_code, 0) << "the killed run left it";

    auto gc = cli({"gc"}, std::chrono::minutes(2));
    EXPECT_EQ(gc.exit_code, 0) << gc.out << gc.err;
    EXPECT_NE(gc.out.find("removing cluster " + cluster + " (kubernetes)"), std::string::npos)
        << gc.out;
    EXPECT_NE(kubectl({"get", "namespace", ns}).exit_code, 0) << "the namespace is gone";
    for (const auto& process : tagged_processes()) {
        EXPECT_NE(process.cluster, cluster) << process.command << " is left";
    }
    EXPECT_FALSE(fs::exists(state_dir() / "kubernetes" / cluster));
    // The suite's own cluster, set up by hand, is not gc's to judge.
    EXPECT_EQ(nodes_json(name()).size(), 3u);
    fs::remove_all(results);
}

// The lazy disk's mounts of a cluster on this machine (its pods' data dirs).
std::vector<std::string> lazy_mounts_of(const std::string& cluster) {
    return lazy_disk_mounts_at("/kubernetes/" + cluster + "/");
}

// --disk lazy: each pod's data dir (its hostPath) is a FUSE mount served on
// this machine, so the disk faults reach etcd inside the pod: a stopped
// pod's disk loses what was never synced and etcd keeps what it
// acknowledged; ENOSPC on its WAL stops a member from acknowledging. A
// killed container, which the kubelet starts again at once, is refused in
// words. teardown, and gc after a teardown cut short, leave no mount and no
// daemon.
TEST_F(KubeBackend, ALazyDiskIsThePodsDataDirAndTheDiskFaultsReachIt) {
    auto lazy = unique_cluster("kbdisk");
    auto setup = cli({"cluster", lazy, "setup", "-c", "etcd", "-n", "3", "--backend", "kubernetes",
                      "--disk", "lazy"},
                     std::chrono::minutes(2));
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    EXPECT_EQ(lazy_mounts_of(lazy).size(), 3u) << "a mount for each pod's data dir";
    auto on = [&](std::vector<std::string> command) {
        command.insert(command.begin(), {"cluster", lazy});
        return cli(command);
    };
    expect_a_stopped_pods_power_loss_keeps_what_etcd_acknowledged(lazy);
    int port1 = local_port(lazy, 1);

    auto killed = on({"node.kill", "3", "--lose-unfsynced"});
    EXPECT_EQ(killed.exit_code, 2) << killed.out << killed.err;
    EXPECT_NE(killed.err.find("a killed container is started again at once"), std::string::npos)
        << killed.err;

    auto full = on(
        {"disk.error", "1", "--path", "member/wal/*", "--ops", "write,fsync", "--errno", "ENOSPC"});
    ASSERT_EQ(full.exit_code, 0) << full.out << full.err;
    EXPECT_FALSE(write_succeeds(port1, "full", "disk", std::chrono::seconds(3)))
        << "a write its WAL refused was acknowledged";
    bool said = false;
    for (int i = 0; i < 50 && !said; ++i) {
        said = on({"logs", "1"}).out.find("no space left on device") != std::string::npos;
        if (!said) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_TRUE(said) << "etcd's own log says why";
    ASSERT_EQ(on({"disk.restore", "1"}).exit_code, 0);
    EXPECT_TRUE(write_succeeds(port1, "after", "restore", std::chrono::seconds(60)));

    ASSERT_EQ(on({"teardown"}).exit_code, 0);
    EXPECT_TRUE(lazy_mounts_of(lazy).empty()) << "teardown leaves no mount";
    EXPECT_TRUE(processes_mentioning("/kubernetes/" + lazy + "/").empty()) << "nor a daemon";

    // A run killed mid-way (its profile puts the data dirs on lazy disks)
    // whose namespace went too, as a teardown cut short leaves it: its
    // mounts, daemons and state dir are left, and gc removes them.
    auto results = base() / "killed-lazy";
    auto again = KubeSuite::cluster_of_a_killed_entropy_run({}, results, "etcd-no-fsync");
    ASSERT_NE(again, "");
    ASSERT_EQ(lazy_mounts_of(again).size(), 3u);
    ASSERT_EQ(kubectl({"delete", "namespace", "atomix-test-" + again, "--wait"}).exit_code, 0);
    auto gc = cli({"gc"}, std::chrono::minutes(2));
    EXPECT_EQ(gc.exit_code, 0) << gc.out << gc.err;
    EXPECT_NE(gc.out.find("lazy disk mount"), std::string::npos) << gc.out;
    EXPECT_TRUE(lazy_mounts_of(again).empty());
    EXPECT_TRUE(processes_mentioning("/kubernetes/" + again + "/").empty());
    EXPECT_FALSE(fs::exists(state_dir() / "kubernetes" / again));
    fs::remove_all(results);
}

// --host N: every pod on the one Kubernetes node.
TEST_F(KubeBackend, HostPutsEveryPodOnOneKubernetesNode) {
    auto one = unique_cluster("kbone");
    auto setup = cli({"cluster", one, "setup", "-c", "etcd", "-n", "2", "--backend", "kubernetes",
                      "--host", "2"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    auto nodes = nodes_json(one);
    EXPECT_EQ(nodes.size(), 2u);
    for (const auto& node : nodes) EXPECT_EQ(node["host"], kube_name() + "-n2") << node.dump();
    auto teardown = cli({"cluster", one, "teardown"});
    EXPECT_EQ(teardown.exit_code, 0) << teardown.err;
}

TEST_F(KubeBackend, BadInputSaysWhyAndExitsTwo) {
    auto dotted = cli({"cluster", "kb.dotted", "setup", "-c", "etcd", "--backend", "kubernetes"});
    EXPECT_EQ(dotted.exit_code, 2);
    EXPECT_NE(dotted.err.find("cannot name a Kubernetes namespace"), std::string::npos)
        << dotted.err;

    auto host9 = cli(
        {"cluster", "kb-host9", "setup", "-c", "etcd", "--backend", "kubernetes", "--host", "9"});
    EXPECT_EQ(host9.exit_code, 2);
    EXPECT_NE(host9.err.find("--host 9: the Kubernetes cluster has 3 Ready node(s)"),
              std::string::npos)
        << host9.err;
    auto local_host = cli({"cluster", "kb-local", "setup", "-c", "etcd", "--host", "1"});
    EXPECT_EQ(local_host.exit_code, 2);
    EXPECT_NE(local_host.err.find("--host is the kubernetes backend's"), std::string::npos)
        << local_host.err;

    auto missing = run_process(
        {.argv = {"env", "ATOMIX_TEST_KUBECONFIG=/nonexistent/kubeconfig", cli_path().string(),
                  "cluster", "kb-missing", "setup", "-c", "etcd", "--backend", "kubernetes"}});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("/nonexistent/kubeconfig"), std::string::npos) << missing.err;

    // An API server that does not answer: said within the connect timeout.
    auto dead = base() / "dead.kubeconfig";
    std::ofstream(dead) << "apiVersion: v1\nkind: Config\ncurrent-context: dead\n"
                           "clusters: [{name: dead, cluster: {server: 'https://127.0.0.1:9',"
                           " insecure-skip-tls-verify: true}}]\n"
                           "users: [{name: dead, user: {token: x}}]\n"
                           "contexts: [{name: dead, context: {cluster: dead, user: dead}}]\n";
    auto started = std::chrono::steady_clock::now();
    auto unreachable = run_process(
        {.argv = {"env", "ATOMIX_TEST_KUBECONFIG=" + dead.string(), cli_path().string(), "cluster",
                  "kb-dead", "setup", "-c", "etcd", "--backend", "kubernetes"}});
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(unreachable.exit_code, 2);
    EXPECT_NE(unreachable.err.find("127.0.0.1:9"), std::string::npos) << unreachable.err;
    EXPECT_LT(took, std::chrono::seconds(7));
    fs::remove(dead);

    // A registry that is not HOST:PORT, and one where nothing answers: said
    // before any namespace is made.
    auto malformed = cli({"--registry", "http://example/x", "cluster", "kb-reg", "setup", "-c",
                          "etcd", "--backend", "kubernetes"});
    EXPECT_EQ(malformed.exit_code, 2);
    EXPECT_NE(malformed.err.find("expected [https://|http://]HOST:PORT"), std::string::npos)
        << malformed.err;
    for (const char* nobody : {"127.0.0.1:9", "http://127.0.0.1:9"}) {
        auto silent = cli({"--registry", nobody, "cluster", "kb-reg", "setup", "-c", "etcd",
                           "--backend", "kubernetes"});
        EXPECT_EQ(silent.exit_code, 2);
        EXPECT_NE(silent.err.find("the registry does not answer"), std::string::npos) << silent.err;
        EXPECT_NE(
            silent.err.find(std::string(*nobody == 'h' ? "http" : "https") + "://127.0.0.1:9"),
            std::string::npos)
            << silent.err;
    }
    EXPECT_NE(kubectl({"get", "namespace", "atomix-test-kb-reg"}).exit_code, 0);
}

}  // namespace
}  // namespace atomixtest::testing
