// `atomix-test check` on the histories of a regression suite: the verdict
// first (one key proved not linearizable ends the check), every key decided
// with --all-keys, and many files in one call, a bad one among them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "atomixtest/process.hpp"
#include "build_paths.hpp"
#include "history_generator.hpp"

namespace atomixtest {
namespace {

class CheckSuite : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("check-suite-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string write(const std::string& name, const History& history) {
        std::ofstream out(dir_ / name);
        write_history_jsonl(out, history);
        return (dir_ / name).string();
    }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
        return (dir_ / name).string();
    }
    static ProcessResult check(std::vector<std::string> args) {
        args.insert(args.begin(), {testing::cli_path().string(), "check"});
        return run_process({.argv = args, .timeout = std::chrono::seconds(120)});
    }

    std::filesystem::path dir_;
};

// The class of history that took minutes: many concurrent clients, several
// keys, appends and reads, a few slow operations, a stale read in most keys
// (Porcupine's exhaustive mode takes 10 to 20 s and over a GiB on these).
History hard_class(uint64_t seed) {
    testing::GeneratorOptions options{Model::Kv, 2000, 10, 50, seed, 0, false};
    options.corrupt_keys = 8;
    options.slow_rate = 0.1;
    options.append_heavy = true;
    return testing::generate_history(options);
}

TEST_F(CheckSuite, TheVerdictComesFirstAndAllKeysDecidesEveryKey) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        auto file = write("class-" + std::to_string(seed) + ".jsonl", hard_class(seed));
        // Within a timeout of 1 s the verdict is there, with its window.
        auto first = check({file, "--model", "kv", "--timeout", "1s", "--json"});
        ASSERT_EQ(first.exit_code, 1) << first.out << first.err;
        auto report = nlohmann::json::parse(first.out);
        ASSERT_FALSE(report["failing"].empty());
        EXPECT_FALSE(report["failing"][0]["operations"].empty());
        size_t decided = 0, left = 0;
        for (const auto& key : report["keys"]) {
            if (key.value("decided", false)) {
                ++decided;
            } else {
                EXPECT_TRUE(key["reason"] == "unsearched" || key["reason"] == "stopped") << key;
                ++left;
            }
        }
        EXPECT_GE(decided, 1u);
        EXPECT_EQ(decided + left, 10u);

        auto all = check({file, "--model", "kv", "--all-keys", "--json"});
        ASSERT_EQ(all.exit_code, 1) << all.out << all.err;
        report = nlohmann::json::parse(all.out);
        size_t failing = 0;
        for (const auto& key : report["keys"]) {
            EXPECT_TRUE(key.value("decided", false)) << key;
            failing += key["verdict"] == "not linearizable";
        }
        EXPECT_GE(failing, 5u) << "most keys";
        EXPECT_EQ(report["failing"].size(), failing) << "each explained";
    }
}

TEST_F(CheckSuite, ManyFilesInOneCallABadOneNamedAndTheOthersChecked) {
    testing::GeneratorOptions options{Model::Kv, 300, 3, 4, 5, 0, false};
    auto good = write("good.jsonl", testing::generate_history(options));
    options.corrupt = true;
    auto bad = write("bad.jsonl", testing::generate_history(options));
    auto broken = write("broken.jsonl", "{\"process\":0,\"type\":\"invoke\",\"f\":\"get\"\n");
    auto also_good = write("also-good.jsonl", History{});

    auto result = check({good, broken, bad, also_good, "--model", "kv"});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.out.find(good + ": linearizable"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(broken + ": bad input: " + broken + ":1:"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find(bad + ": not linearizable"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(also_good + ": linearizable"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("4 files: 2 linearizable, 1 not linearizable, 0 undecided, 1 bad "
                              "input"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("== " + bad), std::string::npos) << "its window follows";

    auto json = check({good, broken, bad, "--model", "kv", "--json"});
    EXPECT_EQ(json.exit_code, 2);
    auto report = nlohmann::json::parse(json.out);
    ASSERT_EQ(report["files"].size(), 3u);
    EXPECT_EQ(report["files"][1]["file"], broken);
    EXPECT_NE(report["files"][1]["error"].get<std::string>().find("broken.jsonl:1:"),
              std::string::npos);
    EXPECT_EQ(report["files"][2]["result"]["verdict"], "not linearizable");

    EXPECT_EQ(check({good, bad, "--model", "kv"}).exit_code, 1) << "none bad: 1";
    EXPECT_EQ(check({good, also_good, "--model", "kv"}).exit_code, 0);
}

}  // namespace
}  // namespace atomixtest
