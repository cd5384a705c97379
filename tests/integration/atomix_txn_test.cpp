// Atomix 3.1.12's transactions (the transaction builder and a transactional
// map, through the agent's POST /v1/transactions/MAP) under the
// transactional workload, checked as Elle would (CTest label `atomix`).
// Atomix validates at commit only the keys a transaction wrote, and commits
// to each partition on its own: concurrent transactions show read skew
// (G-single) and write skew (G2-item), never dirty or garbage reads.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

TEST(AtomixTransactions, CommittedDataOnlyButNotSerializable) {
    auto dir = fs::temp_directory_path() / unique_cluster("atomix-txn");
    // Slow transactions (a transaction is a session per map, 0.1 to 1 s
    // here): a low rate and a long timeout; three keys for contention.
    auto result =
        cli({"entropy",   "--results",   dir.string(),  "-n",           "3",   "-c",
             "consensus", "--workload",  "list-append", "--ops",        "15",  "--parallelism",
             "10",        "--key-count", "3",           "--op-timeout", "10s", "--run-time",
             "40s",       "--seed",      "2",           "restart",      "1h"},
            std::chrono::minutes(4));
    ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.out << result.err;
    std::ifstream in(dir / "check.json");
    auto check = nlohmann::json::parse(in);
    EXPECT_GT(check["transactions"]["ok"].get<int>(), 100) << check.dump(2);
    for (const auto& type : check["anomaly_types"]) {
        auto name = type.get<std::string>();
        // Anti-dependency anomalies only: reads see committed, well-formed lists.
        bool item = name.rfind("G-single", 0) == 0 || name.rfind("G-nonadjacent", 0) == 0 ||
                    name.rfind("G2-item", 0) == 0 || name == "lost-update";
        EXPECT_TRUE(item) << name << "\n" << check.dump(2);
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace atomixtest::testing
