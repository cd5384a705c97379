// The entropy run's status line on real etcd clusters: a line a second into a
// pipe, one line redrawn in place on a terminal (a pty made by script(1)),
// none with --quiet; the summary and the verdict print either way. `run`'s
// entropy phase (a scenario's entropy block) has the same line and --quiet.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

size_t count_of(const std::string& text, const std::string& part) {
    size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
    return count;
}

class EntropyStatus : public ::testing::Test {
  protected:
    std::vector<std::string> args() const {
        return {"entropy",    "--results", results_.string(), "-c", "etcd",  "--ops", "20",
                "--run-time", "3s",        "--seed",          "5",  "crash", "1s",    "2s"};
    }
    void TearDown() override { fs::remove_all(results_); }
    const fs::path results_ = fs::temp_directory_path() / unique_cluster("entropy-status");
};

TEST_F(EntropyStatus, IntoAPipeEachSecondIsALineWithTheRateAndTheTimeLeft) {
    auto result = cli(args());
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_GE(count_of(result.out, " ops/s | "), 2u) << result.out;
    EXPECT_GE(count_of(result.out, " left\n"), 2u) << result.out;
    EXPECT_NE(result.out.find("[    1s/3s] "), std::string::npos) << result.out;
    EXPECT_EQ(result.out.find('\r'), std::string::npos) << "no redrawing into a pipe";
    EXPECT_EQ(result.out.find("\x1b["), std::string::npos) << "no escapes into a pipe";
    EXPECT_NE(result.out.find("linearizable"), std::string::npos) << result.out;
}

TEST_F(EntropyStatus, QuietLeavesTheStatusOutButNotTheVerdict) {
    auto words = args();
    words.insert(words.begin() + 1, "--quiet");  // before the functions, whose words follow them
    auto result = cli(words);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_EQ(result.out.find("ops/s"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("entropy: 3s"), std::string::npos) << "the summary" << result.out;
    EXPECT_NE(result.out.find("linearizable: "), std::string::npos) << result.out;
}

TEST_F(EntropyStatus, OnATerminalTheLineIsRedrawnInPlace) {
    std::string command = cli_path().string();
    for (const auto& word : args()) command += " " + word;
    // script(1) runs the command on a pseudo-terminal of its own.
    auto result = run_process(
        {.argv = {"script", "-qefc", command, "/dev/null"}, .timeout = std::chrono::minutes(3)});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_GE(count_of(result.out, "\r[ "), 2u) << result.out;
    EXPECT_GE(count_of(result.out, " left\x1b[K"), 2u) << result.out;
    // Redrawn, not a line each: the statuses share one line, ended once.
    auto first = result.out.find("\r[ ");
    ASSERT_NE(first, std::string::npos);
    auto line_end = result.out.find('\n', first);
    ASSERT_NE(line_end, std::string::npos);
    EXPECT_GE(count_of(result.out.substr(first, line_end - first), "ops/s"), 2u) << result.out;
}

class RunStatus : public ::testing::Test {
  protected:
    void SetUp() override {
        std::ofstream(scenario_) << "name: run-status\n"
                                    "cluster: {backend: local, profile: etcd, nodes: 3}\n"
                                    "entropy:\n"
                                    "  run-time: 3s\n"
                                    "  workload: {ops: 20}\n"
                                    "  functions:\n"
                                    "    - crash: {every: [1s, 2s]}\n"
                                    "assert:\n"
                                    "  - linearizable: {model: kv}\n";
    }
    void TearDown() override {
        fs::remove_all(results_);
        fs::remove(scenario_);
    }
    std::vector<std::string> args(std::vector<std::string> more = {}) const {
        std::vector<std::string> words{"run", scenario_.string(), "--seed",
                                       "5",   "--results",        results_.string()};
        words.insert(words.end(), more.begin(), more.end());
        return words;
    }
    const fs::path results_ = fs::temp_directory_path() / unique_cluster("run-status");
    const fs::path scenario_ = fs::temp_directory_path() / (unique_cluster("run-status") + ".yaml");
};

TEST_F(RunStatus, TheEntropyPhaseOfARunHasTheStatusLineIntoAPipe) {
    auto result = cli(args());
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_GE(count_of(result.out, " ops/s | "), 2u) << result.out;
    EXPECT_NE(result.out.find("[    1s/3s] "), std::string::npos) << result.out;
    EXPECT_EQ(result.out.find('\r'), std::string::npos) << "no redrawing into a pipe";
    EXPECT_NE(result.out.find("PASS run-status"), std::string::npos) << result.out;
}

TEST_F(RunStatus, QuietLeavesItOutAndJsonSendsItToStderr) {
    auto quiet = cli(args({"--quiet"}));
    ASSERT_EQ(quiet.exit_code, 0) << quiet.out << quiet.err;
    EXPECT_EQ(quiet.out.find("ops/s"), std::string::npos) << quiet.out;
    EXPECT_EQ(quiet.err.find("ops/s"), std::string::npos) << quiet.err;
    EXPECT_NE(quiet.out.find("PASS run-status"), std::string::npos) << quiet.out;

    fs::remove_all(results_);
    auto json = cli(args({"--json"}));
    ASSERT_EQ(json.exit_code, 0) << json.out << json.err;
    EXPECT_GE(count_of(json.err, " ops/s | "), 2u) << json.err;
    EXPECT_FALSE(nlohmann::json::parse(json.out, nullptr, false).is_discarded())
        << "stdout is the summary alone: " << json.out;
}

}  // namespace
}  // namespace atomixtest::testing
