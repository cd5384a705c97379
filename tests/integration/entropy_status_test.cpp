// The entropy run's status line on real etcd clusters: a line a second into a
// pipe, one line redrawn in place on a terminal (a pty made by script(1)),
// none with --quiet; the summary and the verdict print either way.
#include <gtest/gtest.h>

#include <filesystem>

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

}  // namespace
}  // namespace atomixtest::testing
