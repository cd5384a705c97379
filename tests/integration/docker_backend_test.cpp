// A real 3-node etcd cluster in containers on the Docker engine, driven
// through the CLI: labels and an internal network, data through LOCAL PORTs,
// an isolation and a delay applied through the sidecars, node actions,
// add-node/remove-node, and a teardown that leaves nothing.
#include <gtest/gtest.h>

#include <fstream>

#include <set>

#include "docker_harness.hpp"
#include "reachability.hpp"

namespace atomixtest::testing {
namespace {

class DockerCluster : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        suite_set_up().run({"cluster", name(), "setup", "-c", "etcd", "-n", "3", "--backend",
                            "docker", "--cpu", "1", "--memory", "512m"});
    }
    void SetUp() override { ASSERT_EQ(suite_set_up().failure, ""); }
    static SuiteSetUp& suite_set_up() {
        static SuiteSetUp outcome;
        return outcome;
    }
    static void TearDownTestSuite() {
        cli({"cluster", name(), "teardown"});
        EXPECT_TRUE(labelled_containers(name()).empty());
    }
    void TearDown() override {
        cli({"cluster", name(), "heal"});
        cli({"cluster", name(), "restore"});
    }
    static const std::string& name() {
        static const std::string cluster = unique_cluster("dk");
        return cluster;
    }
    static int port(int node) { return local_port(name(), node); }
};

TEST_F(DockerCluster, EveryObjectIsLabelledAndTheNetworkIsInternal) {
    auto containers = labelled_containers(name());
    std::set<std::string> names(containers.begin(), containers.end());
    for (int node = 1; node <= 3; ++node) {
        auto container = name() + "-" + std::to_string(node);
        ASSERT_TRUE(names.count(container)) << container;
        EXPECT_TRUE(names.count(container + "-sidecar")) << container;
        EXPECT_EQ(docker_inspect(container, "{{index .Config.Labels \"io.atomix-test.node\"}}"),
                  std::to_string(node));
        EXPECT_EQ(docker_inspect(container, "{{index .Config.Labels \"io.atomix-test.type\"}}"),
                  "server");
        EXPECT_EQ(docker_inspect(container, "{{index .Config.Labels \"io.atomix-test.profile\"}}"),
                  "etcd");
        EXPECT_EQ(docker_inspect(container, "{{.HostConfig.NanoCpus}}"), "1000000000");
        EXPECT_EQ(docker_inspect(container, "{{.HostConfig.Memory}}"), "536870912");
    }
    ASSERT_EQ(labelled_networks(name()), std::vector<std::string>{name()});
    EXPECT_EQ(docker_inspect(name(), "{{.Internal}}"), "true");
    auto listed = nlohmann::json::parse(cli({"cluster", "list", "--json"}).out);
    bool seen = false;
    for (const auto& cluster : listed) {
        if (cluster["name"] == name()) seen = cluster["backend"] == "docker";
    }
    EXPECT_TRUE(seen) << "another process finds the cluster in Docker: " << listed.dump();
}

// stress-ng runs from this machine inside the node's namespace and the node
// container's cgroup: the system's image has no stress-ng.
TEST_F(DockerCluster, StressRunsInTheNodeContainersCgroupAndDestressEndsIt) {
    auto started = cli({"cluster", name(), "stress", "--node", "1", "--cpu", "1"});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    auto id = docker_inspect(name() + "-1", "{{.Id}}");
    std::vector<int> stressors;
    for (int pid : processes_running("stress-ng")) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
        std::string groups((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (groups.find(id) != std::string::npos) stressors.push_back(pid);
    }
    EXPECT_GE(stressors.size(), 2u) << "stress-ng and its worker in " << name() << "-1's cgroup";
    auto stopped = cli({"cluster", name(), "destress"});
    ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
    auto faults = nlohmann::json::parse(cli({"cluster", name(), "faults", "--json"}).out);
    EXPECT_TRUE(faults.empty()) << faults.dump();
}

TEST_F(DockerCluster, WriteThroughOneLocalPortReadThroughTheOthers) {
    ASSERT_TRUE(write_succeeds(port(1), "greeting", "hello", std::chrono::seconds(10)));
    EXPECT_EQ(eventually_get(port(2), "greeting", b64("hello")), b64("hello"));
    EXPECT_EQ(eventually_get(port(3), "greeting", b64("hello")), b64("hello"));
}

TEST_F(DockerCluster, IsolatedMinorityCannotWriteTheMajorityCan) {
    ASSERT_TRUE(write_succeeds(port(2), "k", "v0", std::chrono::seconds(10)));
    auto isolate = cli({"cluster", name(), "isolate", "1"});
    ASSERT_EQ(isolate.exit_code, 0) << isolate.err;
    auto netns = [&](int node) { return docker_node_netns(name(), node); };
    EXPECT_EQ(measure_reachability(name(), netns), all_but(3, cut_between({1}, {2, 3})));
    EXPECT_FALSE(write_succeeds(port(1), "k-minority", "x", std::chrono::seconds(2)));
    EXPECT_TRUE(write_succeeds(port(2), "k", "from-majority", std::chrono::seconds(10)));
    ASSERT_EQ(cli({"cluster", name(), "heal"}).exit_code, 0);
    EXPECT_EQ(measure_reachability(name(), netns), all_but(3, {}));
}

// The sidecar owns the namespace, so a fault survives the node's restart.
TEST_F(DockerCluster, AnIsolationOutlivesTheNodesRestart) {
    ASSERT_EQ(cli({"cluster", name(), "isolate", "3"}).exit_code, 0);
    ASSERT_EQ(cli({"cluster", name(), "restart", "3"}).exit_code, 0);
    auto netns = [&](int node) { return docker_node_netns(name(), node); };
    EXPECT_EQ(measure_reachability(name(), netns), all_but(3, cut_between({3}, {1, 2})));
}

double mean_write_ms(int port, int writes) {
    double total = 0;
    for (int i = 0; i < writes; ++i) {
        auto start = std::chrono::steady_clock::now();
        EXPECT_TRUE(write_succeeds(port, "timed", std::to_string(i), std::chrono::seconds(10)));
        total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count();
    }
    return total / writes;
}

TEST_F(DockerCluster, DelayThroughTheSidecarSlowsAQuorumWrite) {
    ASSERT_TRUE(write_succeeds(port(1), "timed", "warm", std::chrono::seconds(10)));
    double before = mean_write_ms(port(1), 5);
    auto delay = cli({"cluster", name(), "delay", "--latency", "150", "--jitter", "0"});
    ASSERT_EQ(delay.exit_code, 0) << delay.err;
    EXPECT_FALSE(processes_running("atomixtest-netem").empty());
    double delayed = mean_write_ms(port(1), 5);
    // A commit needs at least one round trip between members: 150 ms each way.
    EXPECT_GT(delayed - before, 140) << "before " << before << " ms, delayed " << delayed;
    ASSERT_EQ(cli({"cluster", name(), "restore"}).exit_code, 0);
    EXPECT_LT(mean_write_ms(port(1), 5), before + 50);
}

TEST_F(DockerCluster, StopThenStartAndKillThenRecover) {
    ASSERT_EQ(cli({"cluster", name(), "stop", "3"}).exit_code, 0);
    EXPECT_EQ(nodes_json(name())[2]["status"], "stopped");
    ASSERT_EQ(cli({"cluster", name(), "start", "3"}).exit_code, 0);
    EXPECT_EQ(nodes_json(name())[2]["status"], "running");

    ASSERT_EQ(cli({"cluster", name(), "kill", "2"}).exit_code, 0);
    auto nodes = nodes_json(name());
    EXPECT_EQ(nodes[1]["status"], "dead");
    EXPECT_TRUE(write_succeeds(port(1), "during", "kill", std::chrono::seconds(10)));
    ASSERT_EQ(cli({"cluster", name(), "recover", "2"}).exit_code, 0);
    EXPECT_EQ(nodes_json(name())[1]["status"], "running");
    EXPECT_EQ(eventually_get(port(2), "during", b64("kill")), b64("kill"));
    auto logs = cli({"cluster", name(), "logs", "2"});
    EXPECT_NE(logs.out.find("etcd"), std::string::npos);
}

// The Engine's pause: the container's cgroup frozen, `paused` in `nodes`,
// the majority still writes; a paused container is killed and recovered.
TEST_F(DockerCluster, PauseFreezesTheContainerAndResumeThawsIt) {
    auto engine_paused = [](const std::string& container) {
        return run_process({.argv = {"docker", "inspect", "-f", "{{.State.Paused}}", container}})
            .out;
    };
    auto paused = cli({"cluster", name(), "pause", "3"});
    ASSERT_EQ(paused.exit_code, 0) << paused.out << paused.err;
    EXPECT_NE(
        paused.out.find("in force (verified: node 3: the engine says the container is paused"),
        std::string::npos)
        << paused.out;
    EXPECT_EQ(nodes_json(name())[2]["status"], "paused");
    EXPECT_EQ(engine_paused(name() + "-3"), "true\n");
    EXPECT_TRUE(write_succeeds(port(1), "paused", "yes", std::chrono::seconds(10)));
    ASSERT_EQ(cli({"cluster", name(), "resume", "3"}).exit_code, 0);
    EXPECT_EQ(engine_paused(name() + "-3"), "false\n");
    EXPECT_EQ(nodes_json(name())[2]["status"], "running");
    EXPECT_EQ(eventually_get(port(3), "paused", b64("yes")), b64("yes"));

    ASSERT_EQ(cli({"cluster", name(), "pause", "3"}).exit_code, 0);
    auto killed = cli({"cluster", name(), "kill", "3"});
    ASSERT_EQ(killed.exit_code, 0) << killed.out << killed.err;
    EXPECT_EQ(nodes_json(name())[2]["status"], "dead");
    ASSERT_EQ(cli({"cluster", name(), "recover", "3"}).exit_code, 0);
    EXPECT_EQ(nodes_json(name())[2]["status"], "running");
}

TEST_F(DockerCluster, AddNodeJoinsTheMembershipAndRemoveNodeLeavesIt) {
    ASSERT_TRUE(write_succeeds(port(1), "greeting", "hello", std::chrono::seconds(10)));
    auto added = cli({"cluster", name(), "add-node"});
    ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
    ASSERT_EQ(nodes_json(name()).size(), 4u);
    auto peer4 = "http://" + node_ip(name(), 4) + ":2380";
    EXPECT_TRUE(member_listed_becomes(port(1), peer4, true)) << peer4;
    EXPECT_EQ(eventually_get(port(4), "greeting", b64("hello")).empty(), false)
        << "the new member has the cluster's data";
    auto removed = cli({"cluster", name(), "remove-node", "4"});
    ASSERT_EQ(removed.exit_code, 0) << removed.err;
    EXPECT_EQ(nodes_json(name()).size(), 3u);
    EXPECT_TRUE(member_listed_becomes(port(1), peer4, false)) << peer4;
    auto containers = labelled_containers(name());
    EXPECT_EQ(std::count(containers.begin(), containers.end(), name() + "-4"), 0);
}

TEST_F(DockerCluster, DockerHostOverTcpIsHonoured) {
    TcpToDockerSocket engine;
    auto result =
        run_process({.argv = {"env", "DOCKER_HOST=tcp://127.0.0.1:" + std::to_string(engine.port()),
                              cli_path().string(), "cluster", name(), "nodes", "--json"}});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(nlohmann::json::parse(result.out).size(), 3u);
    EXPECT_GT(engine.connections(), 0) << "the engine was reached through DOCKER_HOST";
    // The version spoken is negotiated: the engine's own (it is older than
    // the newest this client knows), after one unversioned /version.
    auto version = lines_of(docker({"version", "--format", "{{.Server.APIVersion}}"}).out);
    ASSERT_EQ(version.size(), 1u);
    auto requests = engine.requests();
    ASSERT_GE(requests.size(), 2u);
    EXPECT_EQ(requests[0], "GET /version");
    for (size_t i = 1; i < requests.size(); ++i) {
        EXPECT_NE(requests[i].find(" /v" + version[0] + "/"), std::string::npos) << requests[i];
    }
}

TEST_F(DockerCluster, RunAndExecuteACommandInTheNode) {
    auto result = cli({"cluster", name(), "run", "1", "etcd", "--version"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("etcd Version"), std::string::npos) << result.out;
    EXPECT_EQ(cli({"cluster", name(), "run", "1", "etcd", "--no-such-flag"}).exit_code, 1);
    // execute leaves it running: a second etcd on ports of its own, in node 1.
    auto started =
        cli({"cluster", name(), "execute", "1", "etcd", "--name", "extra", "--data-dir",
             "/tmp/extra", "--listen-client-urls", "http://127.0.0.1:23790",
             "--advertise-client-urls", "http://127.0.0.1:23790", "--listen-peer-urls",
             "http://127.0.0.1:23800", "--initial-advertise-peer-urls", "http://127.0.0.1:23800",
             "--initial-cluster", "extra=http://127.0.0.1:23800"});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    auto running = [&] {
        auto top = docker({"top", name() + "-1"}).out;
        return std::count(top.begin(), top.end(), '\n') - 1;  // less the header
    };
    for (int attempt = 0; attempt < 50 && running() < 2; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(running(), 2) << docker({"top", name() + "-1"}).out;
}

// Another cluster's nodes are outside this one: nothing gets there.
TEST_F(DockerCluster, NoConnectionLeavesTheCluster) {
    auto other = unique_cluster("dk-other");
    ASSERT_EQ(
        cli({"cluster", other, "setup", "-c", "etcd", "-n", "1", "--backend", "docker"}).exit_code,
        0);
    auto inside = docker_node_netns(name(), 1);
    EXPECT_TRUE(tcp_connects_from(inside, node_ip(name(), 2), 2379)) << "a member, reached";
    EXPECT_FALSE(tcp_connects_from(inside, node_ip(other, 1), 2379))
        << "a node of another network, never";
    EXPECT_EQ(cli({"cluster", other, "teardown"}).exit_code, 0);
}

TEST(DockerScenario, AScenarioRunsOnTheDockerBackendAndLeavesNothing) {
    auto run =
        cli({"run", (source_dir() / "tests/integration/data/docker-isolation.yaml").string()});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("(docker)"), std::string::npos) << run.out;
    auto containers = lines_of(docker({"ps", "-a", "--format", "{{.Names}}", "--filter",
                                       "label=io.atomix-test.profile=etcd"})
                                   .out);
    for (const auto& container : containers) {
        EXPECT_EQ(container.find("docker-isolation"), std::string::npos) << container << " left";
    }
}

TEST(DockerTeardown, LeavesNoContainerNetworkHelperOrStateBehind) {
    auto name = unique_cluster("dk-gone");
    ASSERT_EQ(
        cli({"cluster", name, "setup", "-c", "etcd", "-n", "2", "--backend", "docker"}).exit_code,
        0);
    ASSERT_EQ(cli({"cluster", name, "delay", "1"}).exit_code, 0);
    ASSERT_FALSE(processes_running("atomixtest-netem").empty());
    auto teardown = cli({"cluster", name, "teardown"});
    EXPECT_EQ(teardown.exit_code, 0) << teardown.err;
    EXPECT_TRUE(labelled_containers(name).empty());
    EXPECT_TRUE(labelled_networks(name).empty());
    EXPECT_TRUE(processes_running("atomixtest-netem").empty());
    EXPECT_FALSE(std::filesystem::exists(state_dir() / "docker" / name));
    EXPECT_NE(cli({"cluster", name, "nodes"}).exit_code, 0);
}

// A netem daemon runs on this machine in the node's namespace; with the
// sidecar that held the namespace already gone it cannot be found through it,
// and is found by its tag instead.
TEST(DockerTeardown, ANetemDaemonGoesEvenWhenItsSidecarWentFirst) {
    auto name = unique_cluster("dk-orphan");
    ASSERT_EQ(
        cli({"cluster", name, "setup", "-c", "etcd", "-n", "2", "--backend", "docker"}).exit_code,
        0);
    ASSERT_EQ(cli({"cluster", name, "delay", "1"}).exit_code, 0);
    ASSERT_FALSE(processes_running("atomixtest-netem").empty());
    ASSERT_EQ(docker({"rm", "-f", name + "-1-sidecar"}).exit_code, 0);
    auto teardown = cli({"cluster", name, "teardown"});
    EXPECT_EQ(teardown.exit_code, 0) << teardown.err;
    EXPECT_TRUE(labelled_containers(name).empty());
    EXPECT_TRUE(processes_running("atomixtest-netem").empty()) << "the daemon outlived teardown";
}

}  // namespace
}  // namespace atomixtest::testing
