// Transactional entropy runs on real etcd clusters (--workload list-append,
// rw-register): linearizable reads inside transactions stay strict
// serializable under crashes and isolation, over five seeds; serializable
// reads in read-only transactions on an isolated member are caught, as
// real-time (stale read) or G-single cycles, explained and drawn.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

nlohmann::json read_json(const fs::path& file) {
    std::ifstream in(file);
    return nlohmann::json::parse(in);
}

fs::path results_dir(const std::string& name) {
    return fs::temp_directory_path() / unique_cluster("txn-entropy-" + name);
}

ProcessResult entropy(std::vector<std::string> args, const fs::path& results) {
    args.insert(args.begin(), {"entropy", "--results", results.string()});
    return cli(args);
}

class TxnEntropySeeds : public ::testing::TestWithParam<int> {};

TEST_P(TxnEntropySeeds, LinearizableTxnReadsStayStrictSerializableUnderCrashesAndIsolation) {
    auto dir = results_dir("linearizable");
    auto seed = std::to_string(GetParam());
    auto result = entropy({"-n",     "3",          "-c",
                           "etcd",   "--workload", "list-append",
                           "--ops",  "60",         "--parallelism",
                           "8",      "--run-time", "25s",
                           "--seed", seed,         "crash",
                           "1s",     "2s",         "--random",
                           "2s",     "4s",         "partition",
                           "1s",     "2s",         "--isolate",
                           "2s",     "4s"},
                          dir);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    auto check = read_json(dir / "check.json");
    EXPECT_EQ(check["verdict"], "valid") << check.dump(2);
    EXPECT_EQ(check["consistency"], "strict-serializable");
    EXPECT_TRUE(check["anomaly_types"].empty()) << check.dump(2);
    EXPECT_GT(check["transactions"]["ok"].get<int>(), 500) << check.dump(2);
    EXPECT_EQ(read_json(dir / "summary.json")["verdict"], "valid");
    fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(FiveSeeds, TxnEntropySeeds, ::testing::Values(1, 2, 3, 4, 5));

TEST(TxnEntropy, SerializableTxnReadsOnAnIsolatedMemberAreCaught) {
    auto dir = results_dir("serializable");
    auto result = entropy({"-n",
                           "3",
                           "-c",
                           "etcd-txn-serializable",
                           "--workload",
                           "list-append",
                           "--ops",
                           "100",
                           "--parallelism",
                           "10",
                           "--run-time",
                           "30s",
                           "--seed",
                           "3",
                           "partition",
                           "1s",
                           "2s",
                           "--isolate",
                           "6s",
                           "9s"},
                          dir);
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    auto check = read_json(dir / "check.json");
    EXPECT_EQ(check["verdict"], "invalid");
    // A stale read: a real-time cycle, or read skew among the data edges alone.
    bool stale = false;
    for (const auto& type : check["anomaly_types"]) {
        stale |=
            type.get<std::string>().find("realtime") != std::string::npos || type == "G-single";
    }
    EXPECT_TRUE(stale) << check["anomaly_types"].dump();
    ASSERT_FALSE(check["anomalies"].empty());
    auto first = check["anomalies"][0];
    EXPECT_NE(first["explanation"].get<std::string>().find("a contradiction!"), std::string::npos);
    // Drawn and marked: the cycle's SVG, and its transactions on both timelines.
    auto type = first["type"].get<std::string>();
    EXPECT_TRUE(fs::exists(dir / "anomalies" / (type + "-1.svg"))) << type;
    EXPECT_NE(read_file(dir / "anomalies" / "report.html").find("class=\"failing\""),
              std::string::npos);
    auto report = read_file(dir / "report.html");
    EXPECT_NE(report.find("class=\"failing\""), std::string::npos);
    EXPECT_NE(report.find("<h2>Anomalies</h2>"), std::string::npos);
    fs::remove_all(dir);
}

TEST(TxnEntropy, RwRegisterTransactionsStayValidUnderCrashes) {
    auto dir = results_dir("rw-register");
    auto result =
        entropy({"-n", "3", "-c", "etcd", "--workload", "rw-register", "--ops", "60", "--run-time",
                 "15s", "--seed", "9", "crash", "1s", "2s", "--random", "2s", "3s"},
                dir);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    auto check = read_json(dir / "check.json");
    EXPECT_EQ(check["model"], "rw-register");
    EXPECT_EQ(check["verdict"], "valid") << check.dump(2);
    fs::remove_all(dir);
}

TEST(TxnEntropy, BadWorkloadWordsAreRefusedBeforeAnyClusterExists) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--workload", "bank", "crash"}, "--workload"},
        {{"--workload", "list-append", "--txn-keys", "9", "--key-count", "3", "crash"},
         "--txn-keys 9 is more than --key-count 3"},
        {{"--workload", "list-append", "--max-txn-length", "0", "crash"}, "--max-txn-length"},
        {{"--workload", "list-append", "--consistency", "linearizable", "crash"},
         "unknown consistency model"},
    };
    auto before = cli({"cluster", "list"}).out;
    for (const auto& [args, named] : cases) {
        auto result = entropy(args, results_dir("bad"));
        EXPECT_EQ(result.exit_code, 2) << named << "\n" << result.out << result.err;
        EXPECT_NE(result.err.find(named), std::string::npos) << result.err;
    }
    EXPECT_EQ(cli({"cluster", "list"}).out, before) << "no cluster was created";
}

}  // namespace
}  // namespace atomixtest::testing
