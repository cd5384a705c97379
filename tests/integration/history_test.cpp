// Histories from a real 3-node etcd cluster: `run --history` writes every
// operation and fault as it happens, the scenario's `linearizable` assertion
// passes, and `atomix-test check` agrees on the file, in both formats.
#include <gtest/gtest.h>

#include "atomixtest/history.hpp"
#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

TEST(History, RunWritesTheHistoryAndItChecksLinearizable) {
    auto dir = std::filesystem::temp_directory_path() / ("history-" + unique_cluster("h"));
    auto result = cli({"run", (source_dir() / "tests/integration/data/etcd-history.yaml").string(),
                       "--history", dir.string()});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("ok  linearizable"), std::string::npos) << result.out;
    auto file = dir / "etcd-history.jsonl";
    EXPECT_NE(result.out.find("history: " + file.string()), std::string::npos) << result.out;

    auto history = read_history_file(file, HistoryFormat::Jsonl);
    size_t invokes = 0, nemesis = 0, unknown_or_failed = 0;
    int64_t last = 0;
    for (const auto& event : history) {
        invokes += event.type == EventType::Invoke;
        nemesis += event.process == kNemesisProcess;
        unknown_or_failed += event.type == EventType::Info || event.type == EventType::Fail;
        EXPECT_GE(event.time_ns, last) << "in time order";
        last = event.time_ns;
    }
    EXPECT_EQ(invokes, 13u) << "one invocation per map step";
    EXPECT_GE(nemesis, 2u) << "the isolation's start and stop";
    EXPECT_GE(unknown_or_failed, 2u) << "the isolated node's write and the failed cas";

    auto checked = cli({"check", file.string(), "--model", "kv", "--json"});
    EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
    auto report = nlohmann::json::parse(checked.out);
    EXPECT_EQ(report["verdict"], "linearizable");
    EXPECT_EQ(report["keys"].size(), 2u) << "h/a and h/b, checked apart";

    auto edn = dir / "etcd-history.edn";
    {
        std::ofstream out(edn);
        write_history_edn(out, history);
    }
    EXPECT_EQ(cli({"check", edn.string(), "--model", "kv"}).exit_code, 0);
    std::filesystem::remove_all(dir);
}

// `run --memory-limit` reaches the scenario's `linearizable` assertion: a
// limit of one byte cannot hold the history, so the assertion is undecided
// (a failure, naming the memory limit) instead of passing.
TEST(History, RunPassesItsMemoryLimitToTheLinearizableAssertion) {
    auto result = cli({"run", (source_dir() / "tests/integration/data/etcd-history.yaml").string(),
                       "--memory-limit", "1", "--all-keys"});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.out.find("linearizability undecided"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("undecided (memory limit)"), std::string::npos) << result.out;
    auto refused = cli({"run", "--memory-limit", "0", "no-such.yaml"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("--memory-limit"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace atomixtest::testing
