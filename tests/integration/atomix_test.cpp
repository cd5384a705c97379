// Real Atomix 3.1.12 agents on the local backend (CTest label `atomix`, so a
// quick run can skip them with -LE atomix): the original README's examples,
// every primitive through several nodes, a killed and an isolated server, the
// data-grid profile, and the set-up errors.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

std::string rest(int port, const std::string& method, const std::string& path,
                 const std::string& body = "",
                 std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    return http_request({.method = method,
                         .url = "http://127.0.0.1:" + std::to_string(port) + "/v1/" + path,
                         .body = body,
                         .content_type = "text/plain",
                         .timeout = timeout})
        .body;
}

// Java processes started for clusters under this test's state dir.
std::vector<int> agents_left() {
    return processes_mentioning((state_dir() / "local").string());
}

ProcessResult run_scenario(const std::filesystem::path& file) {
    return cli({"run", file.string()}, std::chrono::minutes(4));
}

TEST(AtomixScenario, EveryPrimitiveThroughServersAndAClientNode) {
    auto result = run_scenario(source_dir() / "tests/integration/data/atomix-primitives.yaml");
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("added node 4"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("PASS atomix-primitives"), std::string::npos) << result.out;
    EXPECT_TRUE(agents_left().empty());
}

TEST(AtomixScenario, KilledServerMapStillWorksThroughTheOthersAndItCatchesUp) {
    auto result = run_scenario(source_dir() / "scenarios/atomix/kill-and-recover.yaml");
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("PASS atomix-kill-and-recover"), std::string::npos) << result.out;
}

TEST(AtomixScenario, IsolatedNodeCannotWriteTheMajorityCan) {
    auto result = run_scenario(source_dir() / "scenarios/atomix/isolated-node.yaml");
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("PASS atomix-isolated-node"), std::string::npos) << result.out;
}

TEST(AtomixScenario, WritesSucceedWhileANodeIsUnderStress) {
    auto result = run_scenario(source_dir() / "scenarios/atomix/stress-while-writing.yaml");
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("in force  stress.start"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("undo  stress.stop"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("PASS atomix-stress-while-writing"), std::string::npos) << result.out;
}

class AtomixCluster : public ::testing::Test {
  protected:
    void TearDown() override {
        cli({"cluster", name_, "teardown"});
        EXPECT_TRUE(namespaces_of(name_).empty());
        EXPECT_TRUE(agents_left().empty()) << "no agent outlives its cluster";
    }
    const std::string name_ = unique_cluster("it-atomix");
};

TEST_F(AtomixCluster, ConsensusNodeTableShowsServersAndAnAddedClient) {
    auto setup = cli({"cluster", name_, "setup", "-c", "consensus", "-n", "3"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    auto add = cli({"cluster", name_, "add-node", "-c", "client"});
    ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
    auto nodes = nodes_json(name_);
    ASSERT_EQ(nodes.size(), 4u);
    for (const auto& node : nodes) {
        EXPECT_EQ(node["status"], "running");
        EXPECT_EQ(node["type"], node["id"] == 4 ? "client" : "server");
        EXPECT_EQ(node["profile"], node["id"] == 4 ? "client" : "consensus");
    }
    // Atomix itself sees four members, the client among them.
    auto members = nlohmann::json::parse(rest(local_port(name_, 1), "GET", "cluster/nodes"));
    EXPECT_EQ(members.size(), 4u) << members.dump();
    // Written through the client, read through a server: the data is the servers'.
    EXPECT_EQ(rest(local_port(name_, 4), "PUT", "atomic-map/m/k", "via-client"), "null");
    auto read = nlohmann::json::parse(rest(local_port(name_, 2), "GET", "atomic-map/m/k"));
    EXPECT_EQ(read["value"], "via-client");

    auto remove = cli({"cluster", name_, "remove-node", "4"});
    ASSERT_EQ(remove.exit_code, 0) << remove.out << remove.err;
    EXPECT_EQ(nodes_json(name_).size(), 3u);
    EXPECT_EQ(namespaces_of(name_).size(), 4u) << "the bridge and three nodes remain";
}

// The `leader` selector on Atomix: the agent names each Raft partition's
// leader; the framework's choice is the member leading the most partitions,
// the one every server names, and pausing it leaves a working majority.
TEST_F(AtomixCluster, TheLeaderSelectorNamesTheRaftLeaderAndPausingItLeavesAMajority) {
    auto setup = cli({"cluster", name_, "setup", "-c", "consensus", "-n", "3"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    auto said = nlohmann::json::parse(rest(local_port(name_, 2), "GET", "cluster/leader"));
    ASSERT_TRUE(said["leader"].is_string()) << said.dump();
    EXPECT_EQ(said["member"], name_ + "-2") << "each member says who it is";
    EXPECT_FALSE(said["partitions"].empty()) << said.dump();
    auto by_key = nlohmann::json::parse(rest(local_port(name_, 1), "GET", "cluster/leader/k"));
    EXPECT_TRUE(by_key["leader"].is_string()) << by_key.dump();

    auto leader_name = said["leader"].get<std::string>();
    int leader = std::stoi(leader_name.substr(leader_name.rfind('-') + 1));
    auto paused = cli({"cluster", name_, "pause", "leader"});
    ASSERT_EQ(paused.exit_code, 0) << paused.out << paused.err;
    EXPECT_NE(paused.out.find("verified: node " + std::to_string(leader) + ":"), std::string::npos)
        << leader_name << " leads: " << paused.out;
    // The two others elect new leaders for the partitions it led.
    int other = leader % 3 + 1;
    std::string successor;
    for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
         std::chrono::steady_clock::now() < deadline;) {
        auto now = nlohmann::json::parse(rest(local_port(name_, other), "GET", "cluster/leader"));
        if (now["leader"].is_string() && now["leader"] != leader_name) {
            successor = now["leader"];
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_NE(successor, "") << "no new leader while " << leader_name << " is frozen";
    // A client's session with the frozen leader must expire before its next
    // request goes elsewhere: about 25 s measured with Atomix's defaults. A
    // write Atomix timed out meanwhile (PrimitiveException.Timeout, a 500) may
    // still be applied, so it is asked again: the same put, whose reply is
    // then the value an earlier try wrote.
    std::string wrote;
    bool taken = false;
    for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
         !taken && std::chrono::steady_clock::now() < deadline;) {
        try {
            wrote = rest(local_port(name_, other), "PUT", "atomic-map/m/k", "while-paused",
                         std::chrono::seconds(30));
        } catch (const Error& timed_out) {
            wrote = timed_out.what();
        }
        auto reply = nlohmann::json::parse(wrote, nullptr, false);
        taken =
            wrote == "null" || (reply.is_object() && reply.value("value", "") == "while-paused");
    }
    EXPECT_TRUE(taken) << "the majority takes the write: " << wrote;
    ASSERT_EQ(cli({"cluster", name_, "resume", std::to_string(leader)}).exit_code, 0);
    auto read = nlohmann::json::parse(rest(local_port(name_, leader), "GET", "atomic-map/m/k"));
    EXPECT_EQ(read["value"], "while-paused");
}

// A write waits for Atomix as long as its caller allows (?timeout=MS), not
// Atomix's own 5 s: with the majority gone no write can commit, so each
// waits out exactly what it was given.
TEST_F(AtomixCluster, AWriteWaitsAsLongAsItsCallerAllowsNotAtomixsFiveSeconds) {
    auto setup = cli({"cluster", name_, "setup", "-c", "consensus", "-n", "3"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    int port = local_port(name_, 1);
    ASSERT_EQ(rest(port, "PUT", "atomic-map/m/k", "before"), "null");
    ASSERT_EQ(cli({"cluster", name_, "kill", "2,3"}).exit_code, 0);
    auto timed_put = [&](const std::string& query) {
        auto start = std::chrono::steady_clock::now();
        auto response = http_request(
            {.method = "PUT",
             .url = "http://127.0.0.1:" + std::to_string(port) + "/v1/atomic-map/m/k" + query,
             .body = "after",
             .content_type = "text/plain",
             .timeout = std::chrono::seconds(20)});
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::make_pair(response, seconds);
    };
    auto [longer, longer_took] = timed_put("?timeout=8000");
    EXPECT_EQ(longer.status, 500) << longer.body;
    EXPECT_NE(longer.body.find("Timeout"), std::string::npos) << longer.body;
    EXPECT_GE(longer_took, 7.5) << "waited as long as asked, past Atomix's 5 s";
    auto [shorter, shorter_took] = timed_put("?timeout=1500");
    EXPECT_EQ(shorter.status, 500) << shorter.body;
    EXPECT_LT(shorter_took, 4.5) << "gave up when asked, before Atomix's 5 s";
    auto [bad, bad_took] = timed_put("?timeout=soon");
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_NE(bad.body.find("timeout takes a positive number of milliseconds"), std::string::npos)
        << bad.body;
    (void)bad_took;
}

TEST_F(AtomixCluster, DataGridFormsAndServesAMap) {
    auto setup = cli({"cluster", name_, "setup", "-c", "data-grid", "-n", "3"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    auto config = read_file(state_dir() / "local" / name_ / "nodes/1/conf/atomix.conf");
    EXPECT_NE(config.find("primary-backup"), std::string::npos) << config;
    EXPECT_EQ(rest(local_port(name_, 1), "PUT", "atomic-map/grid/k", "v"), "null");
    for (int node : {2, 3}) {
        auto read =
            nlohmann::json::parse(rest(local_port(name_, node), "GET", "atomic-map/grid/k"));
        EXPECT_EQ(read["value"], "v") << "node " << node;
    }
    // The readiness waits for every member (/v1/cluster/formed) before it
    // builds a primitive; a member gone is named.
    auto formed = nlohmann::json::parse(rest(local_port(name_, 1), "GET", "cluster/formed"));
    EXPECT_EQ(formed["members"].size(), 3u) << formed.dump();
    ASSERT_EQ(cli({"cluster", name_, "kill", "3"}).exit_code, 0);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    HttpResponse missing;
    do {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        missing = http_request({.url = "http://127.0.0.1:" + std::to_string(local_port(name_, 1)) +
                                       "/v1/cluster/formed",
                                .timeout = std::chrono::seconds(5)});
    } while (missing.status == 200 && std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(missing.status, 503) << missing.body;
    EXPECT_NE(missing.body.find(name_ + "-3"), std::string::npos) << missing.body;
}

// The profile chooses the primitives' Raft read consistency (its `values`
// become the agent's --read-consistency): the agent logs it, and a primitive
// built through it reports the level its protocol really has, read back from
// the protocol object Atomix made. consensus keeps Atomix's default,
// SEQUENTIAL; consensus-linearizable sets LINEARIZABLE.
TEST_F(AtomixCluster, TheProfileChoosesThePrimitivesReadConsistency) {
    struct Case {
        const char* profile;
        const char* setting;
        const char* level;
    };
    for (const Case& expected : {Case{"consensus", "default", "SEQUENTIAL"},
                                 Case{"consensus-linearizable", "LINEARIZABLE", "LINEARIZABLE"}}) {
        SCOPED_TRACE(expected.profile);
        auto setup = cli({"cluster", name_, "setup", "-c", expected.profile, "-n", "1"});
        ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
        auto protocol =
            nlohmann::json::parse(rest(local_port(name_, 1), "GET", "cluster/protocol"));
        EXPECT_EQ(protocol["setting"], expected.setting) << protocol.dump();
        EXPECT_EQ(protocol["protocol"], "multi-raft") << protocol.dump();
        EXPECT_EQ(protocol["group"], "raft") << protocol.dump();
        EXPECT_EQ(protocol["readConsistency"], expected.level) << protocol.dump();
        auto log = cli({"cluster", name_, "logs", "1"}).out;
        EXPECT_NE(
            log.find(std::string("primitives' read consistency: ") +
                     (expected.setting == std::string("default") ? "default" : expected.level)),
            std::string::npos)
            << log;
        // The register workload's primitive, built with that protocol, serves.
        rest(local_port(name_, 1), "POST", "atomic-value/r/value", "v1");
        EXPECT_EQ(rest(local_port(name_, 1), "GET", "atomic-value/r/value"), "\"v1\"");
        ASSERT_EQ(cli({"cluster", name_, "teardown"}).exit_code, 0);
    }
}

// The same agents in containers: an image assembled from this machine's JDK and
// the jars, the config copied in before start, a client added through Docker.
TEST_F(AtomixCluster, OnDockerConsensusAndAClientNodeServeTheMap) {
    auto setup =
        cli({"cluster", name_, "setup", "-c", "consensus", "-n", "3", "--backend", "docker"});
    ASSERT_EQ(setup.exit_code, 0) << setup.out << setup.err;
    auto add = cli({"cluster", name_, "add-node", "-c", "client"});
    ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
    auto nodes = nodes_json(name_);
    ASSERT_EQ(nodes.size(), 4u);
    EXPECT_EQ(nodes[3]["type"], "client");
    EXPECT_EQ(rest(local_port(name_, 4), "PUT", "atomic-map/test-map/foo", "Hello world!"), "null");
    auto read = nlohmann::json::parse(rest(local_port(name_, 1), "GET", "atomic-map/test-map/foo"));
    EXPECT_EQ(read["value"], "Hello world!");
    auto teardown = cli({"cluster", name_, "teardown"});
    EXPECT_EQ(teardown.exit_code, 0) << teardown.err;
    auto left = run_process(
        {.argv = {"docker", "ps", "-aq", "--filter", "label=io.atomix-test.cluster=" + name_}});
    EXPECT_EQ(left.out, "") << "no container of the cluster is left";
}

TEST(AtomixBadInput, MissingJarsAreNamedWithHowToGetThemAndNothingStarts) {
    auto empty = std::filesystem::temp_directory_path() / unique_cluster("empty-cache");
    std::filesystem::create_directories(empty);
    auto name = unique_cluster("it-nojars");
    auto result =
        run_process({.argv = {"env", "ATOMIX_TEST_CACHE=" + empty.string(), cli_path().string(),
                              "cluster", name, "setup", "-c", "consensus"}});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("atomix-3.1.12"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("scripts/setup"), std::string::npos) << result.err;
    EXPECT_TRUE(namespaces_of(name).empty());
    EXPECT_FALSE(std::filesystem::exists(state_dir() / "local" / name));
    std::filesystem::remove_all(empty);
}

TEST(AtomixBadInput, MissingJavaIsNamed) {
    auto name = unique_cluster("it-nojava");
    // A PATH with what the CLI needs (ip, nft) but no java.
    auto bin = std::filesystem::temp_directory_path() / unique_cluster("nojava-bin");
    std::filesystem::create_directories(bin);
    for (const char* tool : {"ip", "nft", "iptables", "sh"}) {
        auto found = find_executable(tool);
        if (!found.empty()) std::filesystem::create_symlink(found, bin / tool);
    }
    auto result = run_process({.argv = {"env", "PATH=" + bin.string(), cli_path().string(),
                                        "cluster", name, "setup", "-c", "consensus"}});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("'java'"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("openjdk-17"), std::string::npos) << result.err;
    EXPECT_TRUE(namespaces_of(name).empty());
    std::filesystem::remove_all(bin);
}

// A level the agent does not know (a profile of one's own, extending
// consensus): the agent names the levels and exits 2, and setup shows it.
TEST(AtomixBadInput, AnUnknownReadConsistencyIsNamedWithTheLevels) {
    auto profiles = std::filesystem::temp_directory_path() / unique_cluster("bad-level");
    std::filesystem::create_directories(profiles);
    std::filesystem::copy_file(profile_dir() / "consensus.yaml", profiles / "consensus.yaml");
    std::ofstream(profiles / "bad-level.yaml")
        << "extends: consensus\nname: bad-level\nvalues: {read_consistency: STRONG}\n";
    auto name = unique_cluster("it-bad-level");
    auto result = run_process(
        {.argv = {"env", "ATOMIX_TEST_PROFILE_PATH=" + profiles.string(), cli_path().string(),
                  "cluster", name, "setup", "-c", "bad-level", "-n", "1"},
         // Less than the profile's 90 s ready timeout: the agent exits at
         // once, and set-up must say so then rather than wait it out.
         .timeout = std::chrono::seconds(45)});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("node 1 (java) exited before it became ready"), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("--read-consistency must be one of default, SEQUENTIAL, "
                              "LINEARIZABLE_LEASE, LINEARIZABLE, got STRONG"),
              std::string::npos)
        << result.err;
    EXPECT_TRUE(namespaces_of(name).empty());
    EXPECT_TRUE(agents_left().empty());
    std::filesystem::remove_all(profiles);
}

// A profile whose nodes never become ready (their Raft groups name members
// that do not exist): the error shows each node's log and the config it was
// given, exit 2, and nothing is left running.
TEST(AtomixBadInput, NodesThatNeverBecomeReadyShowTheirLogAndConfig) {
    auto profiles = std::filesystem::temp_directory_path() / unique_cluster("broken-profile");
    std::filesystem::create_directories(profiles);
    auto text = read_file(profile_dir() / "consensus.yaml");
    auto replace = [&](const std::string& from, const std::string& to) {
        auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
    };
    replace("name: consensus", "name: broken");
    replace("members: [ {member_ids} ]", "members: [ \"nobody-1\", \"nobody-2\" ]");
    replace("timeout: 90s", "timeout: 8s");
    std::ofstream(profiles / "broken.yaml") << text;
    auto name = unique_cluster("it-broken");
    auto result = run_process(
        {.argv = {"env", "ATOMIX_TEST_PROFILE_PATH=" + profiles.string(), cli_path().string(),
                  "cluster", name, "setup", "-c", "broken", "-n", "3"},
         .timeout = std::chrono::minutes(2)});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find("did not become ready"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("last lines of its log"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("nobody-1"), std::string::npos) << "the config used" << result.err;
    EXPECT_TRUE(namespaces_of(name).empty());
    EXPECT_TRUE(agents_left().empty());
    std::filesystem::remove_all(profiles);
}

}  // namespace
}  // namespace atomixtest::testing
