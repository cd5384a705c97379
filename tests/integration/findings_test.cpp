// scripts/findings on real etcd clusters: the serializable-read anomaly is
// found and its page written (row, seeds, failing window, replay command,
// timeline), the quorum-read control stays linearizable, a finding that is
// not found fails the run, and the budget cuts a run cleanly.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

ProcessResult findings(const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = std::chrono::minutes(4)) {
    std::vector<std::string> argv = {"env", "ATOMIX_TEST_CLI=" + cli_path().string(),
                                     (source_dir() / "scripts/findings").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process({.argv = argv, .timeout = timeout});
}

class Findings : public ::testing::Test {
  protected:
    void TearDown() override {
        EXPECT_TRUE(processes_mentioning((state_dir() / "local").string()).empty())
            << "no node outlives its run";
        fs::remove_all(results_);
    }
    std::string scenario(const std::string& name) const {
        return (source_dir() / "scenarios/findings" / (name + ".yaml")).string();
    }
    const fs::path results_ = fs::temp_directory_path() / unique_cluster("findings-results");
    const fs::path doc_ = results_ / "page" / "findings.md";
};

// --tries 3: found by seed 1, so seeds 2 and 3 are not run ("1 of 1").
TEST_F(Findings, TheEtcdAnomalyIsFoundAndItsPageShowsTheWindowAndTimeline) {
    auto result = findings({"--tries", "3", "--results", results_.string(), "--doc", doc_.string(),
                            scenario("etcd-serializable-stale-reads")});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("etcd-serializable-stale-reads (anomaly): holds, 1 of 1 seeds"),
              std::string::npos)
        << result.out;
    EXPECT_EQ(result.out.find("etcd-serializable-stale-reads seed 2"), std::string::npos)
        << result.out;
    auto page = read_file(doc_);
    EXPECT_NE(page.find("| [etcd-serializable-stale-reads](#etcd-serializable-stale-reads) "
                        "(anomaly) | etcd 3.4.23"),
              std::string::npos)
        << page;
    EXPECT_NE(page.find("not linearizable in 1 of 1"), std::string::npos) << page;
    EXPECT_NE(page.find("- seed 1: not linearizable, scenario passed"), std::string::npos) << page;
    EXPECT_NE(page.find("first failing window at "), std::string::npos) << page;
    EXPECT_NE(page.find("--seed 1`"), std::string::npos) << "the replay command" << page;
    EXPECT_NE(page.find("cannot be linearized from it"), std::string::npos)
        << "the failing window as text" << page;
    // The checks that the finding is no artefact of the framework.
    EXPECT_NE(page.find("- the client's typing: with every `fail` it inferred from an error ("),
              std::string::npos)
        << page;
    EXPECT_NE(page.find("with every `fail` taken as `info`, the system's own "), std::string::npos)
        << page;
    EXPECT_NE(page.find("- the recorder's clock and order: "), std::string::npos) << page;
    EXPECT_NE(page.find("- the LOCAL PORT relays: the window ("), std::string::npos) << page;
    auto svg = read_file(doc_.parent_path() / "findings/etcd-serializable-stale-reads.svg");
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline\"", 0), 0u)
        << svg.substr(0, 200);
    EXPECT_NE(svg.find("rect.failing {"), std::string::npos) << "the page's styles come along";
    EXPECT_NE(svg.find("class=\"failing\""), std::string::npos) << "the window is outlined";
    EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
}

TEST_F(Findings, TheEtcdControlStaysLinearizableAndGetsARowWithoutATimeline) {
    auto result = findings({"--results", results_.string(), "--doc", doc_.string(),
                            scenario("etcd-quorum-reads-under-isolation")});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("etcd-quorum-reads-under-isolation (control): holds, 1 of 1"),
              std::string::npos)
        << result.out;
    auto page = read_file(doc_);
    EXPECT_NE(page.find("(control) | etcd 3.4.23"), std::string::npos) << page;
    EXPECT_NE(page.find("linearizable in 1 of 1 | - |"), std::string::npos) << page;
    EXPECT_FALSE(fs::exists(doc_.parent_path() / "findings/etcd-quorum-reads-under-isolation.svg"));
}

// An anomaly that a run does not show (no faults at all) is a finding that
// does not hold: the run fails and says so, after every try.
TEST_F(Findings, AnAnomalyNotFoundFailsTheRun) {
    fs::create_directories(results_);
    auto file = results_ / "quiet-etcd.yaml";
    std::ofstream(file) << "name: quiet-etcd\n"
                           "cluster: {backend: local, profile: etcd, nodes: 3}\n"
                           "entropy:\n"
                           "  run-time: 4s\n"
                           "  workload: {model: kv, ops: 20, scale: 2}\n"
                           "  functions:\n"
                           "    - crash: {every: 1h, random: 1s}\n"
                           "assert:\n"
                           "  - linearizable: {model: kv, expect: false}\n";
    // --tries 2: seed 1 misses it, so seed 2 is run too, and misses it too.
    auto result = findings(
        {"--tries", "2", "--results", (results_ / "run").string(), "--no-doc", file.string()});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.out.find("quiet-etcd seed 1: FAIL (exit 1), linearizable"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("quiet-etcd seed 2: FAIL (exit 1), linearizable"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("quiet-etcd (anomaly): DOES NOT HOLD, 0 of 2 seeds"),
              std::string::npos)
        << result.out;
}

// The CI lane's cap: a run still going when the budget is spent is
// interrupted (its cluster torn down), the next is not started, and both
// fail the run; the page still lists them.
TEST_F(Findings, TheBudgetCutsARunCleanlyAndSkipsTheRest) {
    auto result = findings({"--budget", "8", "--results", results_.string(), "--doc", doc_.string(),
                            scenario("etcd-quorum-reads-under-isolation"),
                            scenario("etcd-serializable-stale-reads")});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.out.find("etcd-quorum-reads-under-isolation seed 1: CUT"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("etcd-serializable-stale-reads seed 1: NOT RUN (the 8 s budget"),
              std::string::npos)
        << result.out;
    auto page = read_file(doc_);
    EXPECT_NE(page.find("- seed 1: not run (the budget was spent)"), std::string::npos) << page;
}

// A finding of a few seconds on a quiet etcd cluster: a control (it must be
// linearizable), cheap enough to run several times.
fs::path quiet_control(const fs::path& dir, const std::string& name) {
    fs::create_directories(dir);
    auto file = dir / (name + ".yaml");
    std::ofstream(file) << "name: " << name << "\n"
                        << "cluster: {backend: local, profile: etcd, nodes: 3}\n"
                           "entropy:\n"
                           "  run-time: 5s\n"
                           "  workload: {model: kv, ops: 20, scale: 2}\n"
                           "  functions:\n"
                           "    - crash: {every: 1h, random: 1s}\n"
                           "assert:\n"
                           "  - linearizable: {model: kv}\n";
    return file;
}

// --jobs 2 runs two seeds side by side (the run takes less than the two
// runs' times added), and --merge puts an earlier run's seeds on the page.
TEST_F(Findings, TwoJobsRunSideBySideAndThePageMergesAnEarlierRun) {
    auto first = quiet_control(results_ / "scenarios", "quiet-first");
    auto second = quiet_control(results_ / "scenarios", "quiet-second");
    auto earlier =
        findings({"--results", (results_ / "earlier").string(), "--no-doc", first.string()});
    ASSERT_EQ(earlier.exit_code, 0) << earlier.out << earlier.err;

    auto started = std::chrono::steady_clock::now();
    auto result =
        findings({"--jobs", "2", "--seeds", "2", "--results", (results_ / "now").string(), "--doc",
                  doc_.string(), "--merge", (results_ / "earlier").string(), second.string()});
    auto wall = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                 started);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("quiet-second (control): holds, 2 of 2 seeds"), std::string::npos)
        << result.out;
    // Each run's own seconds, from runs.tsv: side by side, the whole took
    // less than their sum.
    int sum = 0;
    std::istringstream runs(read_file(results_ / "now/runs.tsv"));
    for (std::string line; std::getline(runs, line);) {
        sum += std::stoi(line.substr(line.rfind('\t') + 1));
    }
    EXPECT_LT(wall.count(), sum * 0.8) << "wall " << wall.count() << " s, runs " << sum << " s";

    auto page = read_file(doc_);
    EXPECT_NE(page.find("from `now`, `earlier`"), std::string::npos) << page;
    EXPECT_NE(page.find("[quiet-second](#quiet-second) (control)"), std::string::npos) << page;
    EXPECT_NE(page.find("linearizable in 2 of 2"), std::string::npos) << page;
    EXPECT_NE(page.find("[quiet-first](#quiet-first) (control)"), std::string::npos)
        << "the earlier run's finding" << page;
    EXPECT_NE(page.find("linearizable in 1 of 1"), std::string::npos) << page;
}

TEST(FindingsInput, ABadOptionIsNamedWithTheOnesThereAre) {
    auto result = findings({"--seeds", "none"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--seeds takes a positive number, got none"), std::string::npos)
        << result.err;
    result = findings({"--fast"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("unknown option --fast"), std::string::npos) << result.err;
    result = findings({"--jobs", "0"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--jobs takes a positive number, got 0"), std::string::npos)
        << result.err;
    result = findings({"--merge", "/nonexistent"});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--merge /nonexistent: no runs.tsv there"), std::string::npos)
        << result.err;
}

}  // namespace
}  // namespace atomixtest::testing
