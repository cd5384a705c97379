// The disk findings of scenarios/findings/, one seed each, run as the README
// says (`atomix-test run FILE --seed N`): etcd started with --unsafe-no-fsync
// loses writes it acknowledged when the majority that held them loses power,
// and etcd with its default fsyncs, under the same faults, loses none. The
// full tally (five seeds each) is scripts/regression's, run by hand.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

nlohmann::json run_finding(const std::string& name, int seed, const fs::path& results) {
    auto scenario = source_dir() / "scenarios/findings" / (name + ".yaml");
    auto run = cli({"run", scenario.string(), "--seed", std::to_string(seed), "--results",
                    results.string(), "--json"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    auto summary = nlohmann::json::parse(run.out, nullptr, false);
    if (summary.is_discarded() || summary["scenarios"].empty()) return {};
    return summary["scenarios"][0];
}

std::vector<nlohmann::json> events_of(const fs::path& history) {
    std::vector<nlohmann::json> events;
    std::ifstream in(history);
    for (std::string line; std::getline(in, line);) events.push_back(nlohmann::json::parse(line));
    return events;
}

TEST(DiskFindings, EtcdWithoutFsyncLosesAWriteItAcknowledgedBeforeAMajorityCrashed) {
    auto results = fs::temp_directory_path() / unique_cluster("finding-no-fsync");
    auto finding = run_finding("etcd-no-fsync-loses-writes", 1, results);
    ASSERT_EQ(finding.value("verdict", ""), "passed") << finding.dump(2);
    auto entropy = results / "etcd-no-fsync-loses-writes" / "entropy";
    auto check = nlohmann::json::parse(read_file(entropy / "check.json"));
    EXPECT_EQ(check["valid"], false);
    ASSERT_FALSE(check["failing"].empty());

    // The window: a write acknowledged while the majority alone held it, then
    // an operation that saw the register without it once that majority crashed.
    // The prefix's last writes are in the order the search linearized them,
    // which may put a write still open when the read began before the read:
    // only those acknowledged before it began are ones it had to see.
    const auto& window = check["failing"][0];
    const auto& seen = window["operations"][0];
    EXPECT_EQ(seen["type"], "ok") << window.dump(2);
    EXPECT_NE(seen["result"], window["state"]) << window.dump(2);
    std::vector<int64_t> acknowledged;
    for (const auto& operation : window["prefix_tail"]) {
        if (operation["type"] == "ok" && operation["f"] != "get" &&
            operation["complete_ns"].get<int64_t>() < seen["invoke_ns"].get<int64_t>()) {
            acknowledged.push_back(operation["complete_ns"]);
        }
    }
    ASSERT_FALSE(acknowledged.empty())
        << "no write acknowledged before the read began: " << window.dump(2);
    // One fault at a time: a stop ends the fault the last start began.
    bool during_a_lag = false;
    int64_t started = 0;
    std::string lags;
    for (const auto& event : events_of(entropy / "history.jsonl")) {
        if (event["process"] != "nemesis") continue;
        if (event["f"] == "start") started = event["time"];
        const auto& fault = event["value"];
        if (event["f"] != "stop" || !fault.contains("lag_ms")) continue;
        // Cutting the others off takes a moment before the lag begins.
        int64_t killed = started + (fault["lag_ms"].get<int64_t>() + 1000) * 1'000'000;
        bool dropped = fault.value("verified", "").find("dropped") != std::string::npos;
        lags += " [" + std::to_string(started) + ", " + std::to_string(killed) +
                (dropped ? "]" : "] (nothing dropped)");
        for (auto at : acknowledged) {
            if (dropped && started <= at && at <= killed) during_a_lag = true;
        }
    }
    EXPECT_TRUE(during_a_lag) << "acknowledged by the majority alone, which then lost it; lags:"
                              << lags << "\n"
                              << window.dump(2);
    fs::remove_all(results);
}

TEST(DiskFindings, EtcdWithItsFsyncsKeepsEveryAcknowledgedWriteUnderTheSameCrashes) {
    auto results = fs::temp_directory_path() / unique_cluster("finding-fsync");
    auto finding = run_finding("etcd-fsync-keeps-writes", 1, results);
    ASSERT_EQ(finding.value("verdict", ""), "passed") << finding.dump(2);
    auto entropy = results / "etcd-fsync-keeps-writes" / "entropy";
    EXPECT_EQ(nlohmann::json::parse(read_file(entropy / "check.json"))["valid"], true);
    // The faults were those of the finding: unsynced data was dropped.
    int losses = 0;
    for (const auto& event : events_of(entropy / "history.jsonl")) {
        if (event["process"] == "nemesis" && event["f"] == "stop" &&
            event["value"].value("verified", "").find("dropped") != std::string::npos) {
            ++losses;
        }
    }
    EXPECT_GE(losses, 3);
    fs::remove_all(results);
}

}  // namespace
}  // namespace atomixtest::testing
