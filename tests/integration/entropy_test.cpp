// Entropy runs on real etcd clusters: quorum reads stay linearizable under
// crashes and isolation, serializable reads are caught stale, a seed replays
// its schedule, Ctrl-C heals and still checks, bad words are refused before
// any cluster exists.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <set>

#include "cli_harness.hpp"
#include "running_cli.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

nlohmann::json read_json(const fs::path& file) {
    std::ifstream in(file);
    return nlohmann::json::parse(in);
}

// The nemesis events of a history: "start crash 2", ...
std::vector<std::string> nemesis_events(const fs::path& history) {
    std::vector<std::string> events;
    std::ifstream in(history);
    for (std::string line; std::getline(in, line);) {
        auto event = nlohmann::json::parse(line);
        if (event.at("process") != "nemesis") continue;
        events.push_back(event.at("f").get<std::string>() + " " +
                         event.at("value").at("fault").get<std::string>() + " " +
                         event.at("value").value("nodes", nlohmann::json()).dump());
    }
    return events;
}

// The most operations one key had open at once (invoked and not yet ok or
// fail: an info one stays open for ever), and how many keys were used.
std::pair<int, size_t> most_open_on_a_key(const fs::path& history) {
    std::map<std::string, int> open;
    std::map<std::string, std::string> key_of_process;
    int most = 0;
    std::ifstream in(history);
    for (std::string line; std::getline(in, line);) {
        auto event = nlohmann::json::parse(line);
        if (event.at("process") == "nemesis") continue;
        auto process = event.at("process").dump();
        auto type = event.at("type").get<std::string>();
        if (type == "invoke") {
            auto key = event.at("key").get<std::string>();
            key_of_process[process] = key;
            most = std::max(most, ++open[key]);
        } else if (type == "ok" || type == "fail") {
            --open[key_of_process.at(process)];
        }
    }
    return {most, open.size()};
}

std::string cluster_of(const std::string& output) {
    auto at = output.find("cluster entropy-");
    if (at == std::string::npos) return "";
    return output.substr(at + 8, output.find(' ', at + 8) - at - 8);
}

class Entropy : public ::testing::Test {
  protected:
    ProcessResult entropy(std::vector<std::string> args, const fs::path& results) {
        args.insert(args.begin(), {"entropy", "--results", results.string()});
        return cli(args);
    }
    void expect_nothing_left(const std::string& output) {
        auto cluster = cluster_of(output);
        ASSERT_FALSE(cluster.empty()) << output;
        EXPECT_TRUE(namespaces_of(cluster).empty()) << cluster;
        EXPECT_TRUE(processes_mentioning("/local/" + cluster).empty()) << cluster;
        EXPECT_FALSE(fs::exists(state_dir() / "local" / cluster));
    }
    fs::path results(const std::string& name) {
        return fs::temp_directory_path() / unique_cluster("entropy-" + name);
    }
};

TEST_F(Entropy, BadWordsAreRefusedBeforeAnyClusterExists) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"crash", "10x"}, "'10x'"},
        {{"explode", "10s"}, "'explode'"},
        {{"crash", "30s", "10s"}, "'10s' is below MIN"},
        {{"--ops", "0", "crash"}, "--ops"},
        {{"--key-concurrency", "-1", "crash"}, "--key-concurrency"},
        {{"stress", "--cpu", "-3"}, "'-3'"},
        {{"-c", "no-such-profile", "crash"}, "no-such-profile"},
        {{}, "at least one function"},
        {{"--memory-limit", "0", "crash", "1h"}, "--memory-limit"},
    };
    auto before = cli({"cluster", "list"}).out;
    for (const auto& [args, named] : cases) {
        auto result = entropy(args, results("bad"));
        EXPECT_EQ(result.exit_code, 2) << named << "\n" << result.out << result.err;
        EXPECT_NE(result.err.find(named), std::string::npos) << result.err;
    }
    EXPECT_EQ(cli({"cluster", "list"}).out, before) << "no cluster was created";
}

TEST_F(Entropy, QuorumReadsStayLinearizableUnderCrashesAndIsolation) {
    for (const char* seed : {"11", "12"}) {
        auto dir = results("quorum");
        auto result = entropy(
            {"-n",         "3",   "-c",        "etcd", "--ops", "60",        "--scale", "5",
             "--run-time", "20s", "--seed",    seed,   "crash", "1s",        "2s",      "--random",
             "2s",         "4s",  "partition", "1s",   "2s",    "--isolate", "2s",      "4s"},
            dir);
        EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
        auto summary = read_json(dir / "summary.json");
        EXPECT_EQ(summary["verdict"], "linearizable") << summary.dump(2);
        auto faults = read_json(dir / "schedule.json")["faults"];
        EXPECT_GE(faults.size(), 3u) << "seed " << seed;
        // Every fault applied has its start and stop in the history.
        auto events = nemesis_events(dir / "history.jsonl");
        EXPECT_EQ(events.size(), 2 * summary["faults"].size()) << summary["faults"].dump();
        // Open loop: the rate asked for, whatever the faults did.
        EXPECT_NEAR(summary["operations"]["invoked"].get<double>(), 60 * 20, 60 * 20 * 0.05);
        expect_nothing_left(result.out);
        fs::remove_all(dir);
    }
}

// Jepsen's pause nemesis: a random member, then every member, frozen and
// thawed on the seed's schedule; quorum reads stay linearizable, and every
// pause is in the history with the nodes it froze.
TEST_F(Entropy, PausedMembersLeaveQuorumReadsLinearizable) {
    auto dir = results("pause");
    auto result =
        entropy({"-n",         "3",   "-c",     "etcd", "--ops", "40",    "--scale", "5",
                 "--run-time", "15s", "--seed", "5",    "pause", "1s",    "2s",      "--random",
                 "1s",         "2s",  "pause",  "3s",   "4s",    "--all", "500ms"},
                dir);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    auto summary = read_json(dir / "summary.json");
    EXPECT_EQ(summary["verdict"], "linearizable") << summary.dump(2);
    // The stop events name the nodes the door froze: one, or all three.
    auto events = nemesis_events(dir / "history.jsonl");
    EXPECT_EQ(events.size(), 2 * summary["faults"].size());
    std::set<std::string> stops;
    for (const auto& event : events) {
        if (event.rfind("stop ", 0) == 0) stops.insert(event);
        EXPECT_NE(event.find(" pause "), std::string::npos) << event;
    }
    EXPECT_TRUE(stops.count("stop pause [1,2,3]")) << "no pause of every node";
    EXPECT_GE(stops.size(), 2u) << "no pause of a single node";
    expect_nothing_left(result.out);
    fs::remove_all(dir);
}

TEST_F(Entropy, SerializableReadsOnAnIsolatedMemberAreCaughtStale) {
    auto dir = results("serializable");
    auto result =
        // Short keys (50 operations each): the writes an isolated member times
        // out on are open-ended (info) and each doubles a key's search; short
        // keys keep every key decidable in seconds, so the stale read is found.
        entropy({"-n",        "3",         "-c", "etcd-serializable", "--ops", "100",    "--scale",
                 "5",         "--key-ops", "50", "--run-time",        "30s",   "--seed", "2",
                 "partition", "1s",        "2s", "--isolate",         "5s",    "8s"},
                dir);
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    auto check = read_json(dir / "check.json");
    EXPECT_EQ(check["verdict"], "not linearizable");
    ASSERT_FALSE(check["failing"].empty()) << check.dump(2);
    auto window = check["failing"][0]["operations"];
    bool has_read = false;
    for (const auto& operation : window) has_read = has_read || operation["f"] == "get";
    EXPECT_TRUE(has_read) << "the anomaly is a read: " << window.dump(2);
    expect_nothing_left(result.out);
    fs::remove_all(dir);
}

// One key (--scale 1, never replaced for its length) and a member isolated
// for 3 s: its operations hang until their timeout and stay open (info), so
// the key would collect dozens; a fresh key must take over at 3.
TEST_F(Entropy, AKeyNeverHasMoreOperationsOpenThanItsLimit) {
    auto dir = results("key-concurrency");
    auto result = entropy({"-n",
                           "3",
                           "-c",
                           "etcd",
                           "--ops",
                           "60",
                           "--scale",
                           "1",
                           "--key-ops",
                           "0",
                           "--key-concurrency",
                           "3",
                           "--run-time",
                           "6s",
                           "--seed",
                           "5",
                           "partition",
                           "1s",
                           "1s",
                           "--isolate",
                           "3s",
                           "3s"},
                          dir);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    auto [most, keys] = most_open_on_a_key(dir / "history.jsonl");
    EXPECT_LE(most, 3);
    EXPECT_GT(keys, 3u) << "the isolated member's operations moved the workload to fresh keys";
    expect_nothing_left(result.out);
    fs::remove_all(dir);
}

// --memory-limit reaches the check of the run's history: one byte cannot
// hold it, so the verdict is undecided at the memory limit (exit 3), said in
// check.json, instead of linearizable.
TEST_F(Entropy, TheCheckOfTheHistoryKeepsToTheMemoryLimit) {
    auto dir = results("memory-limit");
    auto result = entropy({"-c", "etcd", "--ops", "20", "--run-time", "3s", "--memory-limit", "1",
                           "--all-keys", "crash", "1h"},
                          dir);
    EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
    auto check = read_json(dir / "check.json");
    EXPECT_EQ(check["verdict"], "unknown") << check.dump(2);
    EXPECT_EQ(check["undecided"], "memory limit") << check.dump(2);
    expect_nothing_left(result.out);
    fs::remove_all(dir);
}

TEST_F(Entropy, TheSameSeedReplaysTheSameSchedule) {
    std::vector<std::string> args = {
        "-n",     "3",  "-c",       "etcd", "--ops",    "20",       "--run-time", "8s",
        "--seed", "77", "crash",    "1s",   "2s",       "--random", "1s",         "partition",
        "1s",     "2s", "--bridge", "1s",   "--random", "1s"};
    auto first_dir = results("replay-1"), second_dir = results("replay-2");
    auto first = entropy(args, first_dir);
    auto second = entropy(args, second_dir);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_EQ(read_json(first_dir / "schedule.json"), read_json(second_dir / "schedule.json"));
    EXPECT_EQ(nemesis_events(first_dir / "history.jsonl"),
              nemesis_events(second_dir / "history.jsonl"));
    EXPECT_FALSE(nemesis_events(first_dir / "history.jsonl").empty());
    // The command printed replays the run, seed included.
    std::ifstream command(first_dir / "command.txt");
    std::string line;
    std::getline(command, line);
    EXPECT_NE(line.find("entropy --seed 77 "), std::string::npos) << line;
    fs::remove_all(first_dir);
    fs::remove_all(second_dir);
}

TEST_F(Entropy, CtrlCHealsTearsDownAndStillChecksThePartialHistory) {
    auto dir = results("interrupted");
    auto running = start_cli({"entropy", "--results", dir.string(), "-c", "etcd", "--ops", "50",
                              "--run-time", "5m", "partition", "500ms", "1s", "--isolate", "5m"});
    std::string seen;
    if (!wait_for_output(running.out, "partition-isolate (node", seen, std::chrono::seconds(60))) {
        kill(running.pid, SIGINT);
        waitpid(running.pid, nullptr, 0);
        FAIL() << "the isolation never came into force:\n" << seen;
    }
    auto cluster = cluster_of(seen);
    ASSERT_FALSE(namespaces_of(cluster).empty());
    kill(running.pid, SIGINT);
    int status = 0;
    auto interrupted_at = std::chrono::steady_clock::now();
    waitpid(running.pid, &status, 0);
    auto took = std::chrono::steady_clock::now() - interrupted_at;
    wait_for_output(running.out, "\x01", seen, std::chrono::seconds(2));  // to the end
    close(running.out);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 130) << seen;
    EXPECT_LT(took, std::chrono::seconds(20));
    EXPECT_NE(seen.find("healing"), std::string::npos) << seen;
    auto summary = read_json(dir / "summary.json");
    EXPECT_TRUE(summary["interrupted"].get<bool>());
    EXPECT_EQ(summary["verdict"], "linearizable") << "the partial history is checked";
    auto events = nemesis_events(dir / "history.jsonl");
    ASSERT_EQ(events.size(), 2u) << "the isolation started and was undone";
    EXPECT_EQ(events[1].rfind("stop partition-isolate", 0), 0u) << events[1];
    expect_nothing_left(seen);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace atomixtest::testing

namespace atomixtest::testing {
namespace {

fs::path scenario_file(const std::string& name, const std::string& text) {
    auto file = fs::temp_directory_path() / (unique_cluster(name) + ".yaml");
    std::ofstream(file) << text;
    return file;
}

const char* const kQuickEntropy =
    "cluster: {backend: local, profile: etcd, nodes: 3}\n"
    "entropy:\n"
    "  run-time: 8s\n"
    "  workload: {ops: 40, scale: 3}\n"
    "  functions:\n"
    "    - crash: {every: [1s, 2s], random: 2s}\n"
    "    - partition: {every: 1s, halves: true}\n";

TEST(EntropyScenario, TheBlockRunsAfterTheStepsAndTheAssertionsJudgeIt) {
    auto file =
        scenario_file("entropy-block", std::string("name: entropy-block\n") + kQuickEntropy +
                                           "assert:\n"
                                           "  - linearizable: {model: kv}\n"
                                           "  - availability: {min: 0.1}\n");
    auto dir = fs::temp_directory_path() / unique_cluster("entropy-block-results");
    auto result = cli({"run", file.string(), "--seed", "5", "--results", dir.string()});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("ok  availability"), std::string::npos) << result.out;
    auto results = dir / "entropy-block" / "entropy";  // in the scenario's record
    EXPECT_TRUE(fs::exists(results / "report.html"));
    auto summary = read_json(results / "summary.json");
    EXPECT_EQ(summary["verdict"], "linearizable");
    EXPECT_NE(summary["command"].get<std::string>().find("--seed 5"), std::string::npos);
    EXPECT_FALSE(nemesis_events(results / "history.jsonl").empty());
    fs::remove_all(dir);
    fs::remove(file);
}

TEST(EntropyScenario, ExpectingAnAnomalyFailsWhenThereIsNone) {
    auto file =
        scenario_file("entropy-expect", std::string("name: entropy-expect\n") + kQuickEntropy +
                                            "assert:\n"
                                            "  - linearizable: {model: kv, expect: false}\n");
    auto dir = fs::temp_directory_path() / unique_cluster("entropy-expect-results");
    auto result = cli({"run", file.string(), "--results", dir.string()});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.out.find("expected a history that is not linearizable"), std::string::npos)
        << result.out;
    fs::remove_all(dir);
    fs::remove(file);
}

TEST(EntropyScenario, ABadBlockIsNamedWithItsPositionBeforeAnyCluster) {
    auto bad_duration = scenario_file("entropy-bad",
                                      "name: entropy-bad\n"
                                      "cluster: {profile: etcd}\n"
                                      "entropy:\n"
                                      "  functions:\n"
                                      "    - crash: {every: 10x}\n");
    auto result = cli({"run", bad_duration.string()});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find(bad_duration.string() + ":5:"), std::string::npos) << result.err;
    auto reversed = scenario_file("entropy-bad",
                                  "name: entropy-bad\n"
                                  "cluster: {profile: etcd}\n"
                                  "entropy:\n"
                                  "  functions:\n"
                                  "    - crash: {every: [30s, 10s]}\n");
    result = cli({"run", reversed.string()});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("'10s' is below MIN"), std::string::npos) << result.err;
    auto no_entropy = scenario_file("availability-alone",
                                    "name: availability-alone\n"
                                    "cluster: {profile: etcd}\n"
                                    "steps:\n"
                                    "  - sleep: {duration: 1ms}\n"
                                    "assert:\n"
                                    "  - availability: {min: 0.5}\n");
    result = cli({"run", no_entropy.string()});
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.out.find("no entropy block"), std::string::npos) << result.out;
    for (const auto& file : {bad_duration, reversed, no_entropy}) fs::remove(file);
}

}  // namespace
}  // namespace atomixtest::testing
