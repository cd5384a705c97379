// `atomix-test check --model list-append|rw-register` as a user runs it: exit
// 0 valid, 1 anomalies the consistency model forbids, 2 bad input with
// file:line:column, 3 undecided; --json; --directory with the explanations,
// an SVG per cycle and report.html marking the cycle on the timeline.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "atomixtest/process.hpp"
#include "build_paths.hpp"
#include "text_search.hpp"
#include "txn_history_generator.hpp"

namespace atomixtest {
namespace {

namespace fs = std::filesystem;

const char* kReadmeG1c =
    "{:type :invoke, :process 0, :f :txn, :value [[:append :x 1] [:r :y nil]]}\n"
    "{:type :invoke, :process 1, :f :txn, :value [[:append :x 2] [:append :y 1]]}\n"
    "{:type :invoke, :process 2, :f :txn, :value [[:r :x nil]]}\n"
    "{:type :ok, :process 0, :f :txn, :value [[:append :x 1] [:r :y [1]]]}\n"
    "{:type :ok, :process 1, :f :txn, :value [[:append :x 2] [:append :y 1]]}\n"
    "{:type :ok, :process 2, :f :txn, :value [[:r :x [1 2]]]}\n";

class TxnCheckCli : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("txn-check-cli-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
        return (dir_ / name).string();
    }
    static ProcessResult check(std::vector<std::string> args) {
        args.insert(args.begin(), {testing::cli_path().string(), "check"});
        return run_process({.argv = args, .timeout = std::chrono::seconds(60)});
    }
    static std::string read(const fs::path& file) {
        std::ifstream in(file);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    fs::path dir_;
};

TEST_F(TxnCheckCli, ValidGeneratedHistoryExitsZero) {
    testing::TxnHistoryOptions options;
    options.transactions = 2000;
    std::stringstream jsonl;
    write_history_jsonl(jsonl, testing::generate_txn_history(options));
    auto result = check({write("good.jsonl", jsonl.str()), "--model", "list-append"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_EQ(result.out.rfind("valid: 2000 transactions", 0), 0u) << result.out;
}

TEST_F(TxnCheckCli, AnomaliesExitOneWithExplanationsSvgsAndTheTimeline) {
    auto out = dir_ / "out";
    auto result = check({write("readme.edn", kReadmeG1c), "--model", "list-append", "--consistency",
                         "serializable", "--directory", out.string()});
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_NE(result.out.find("forbidden by serializable: G1c"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("rules out: read-committed"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("T1 < T2, because T2 observed T1's append of 1 to key y."),
              std::string::npos)
        << result.out;
    EXPECT_TRUE(fs::exists(out / "anomalies.txt"));
    EXPECT_NE(read(out / "G1c.txt").find("a contradiction!"), std::string::npos);
    auto svg = read(out / "G1c-1.svg");
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_EQ(testing::count_of(svg, "class=\"txn\""), 2u);
    EXPECT_EQ(testing::count_of(svg, "marker-end=\"url(#arrow-wr)\""), 1u);
    EXPECT_EQ(testing::count_of(svg, "marker-end=\"url(#arrow-ww)\""), 1u);
    auto html = read(out / "report.html");
    // The timeline outlines the cycle's two transactions.
    EXPECT_EQ(testing::count_of(html, "class=\"failing\""), 2u) << html;
    EXPECT_NE(html.find("id=\"verdict\">invalid<"), std::string::npos);
    auto json = nlohmann::json::parse(read(out / "check.json"));
    EXPECT_EQ(json["anomaly_types"], nlohmann::json::array({"G1c"}));
}

TEST_F(TxnCheckCli, JsonAndConsistencyModels) {
    auto file = write("readme.edn", kReadmeG1c);
    // G1c is allowed by read uncommitted.
    auto weak = check({file, "--model", "list-append", "--consistency", "read-uncommitted"});
    EXPECT_EQ(weak.exit_code, 0) << weak.out << weak.err;
    auto json = check({file, "--model=list-append", "--json"});
    EXPECT_EQ(json.exit_code, 1) << json.err;
    auto parsed = nlohmann::json::parse(json.out);
    EXPECT_EQ(parsed["verdict"], "invalid");
    EXPECT_EQ(parsed["consistency"], "strict-serializable");
    EXPECT_EQ(parsed["not"], nlohmann::json::array({"read-committed"}));
    ASSERT_EQ(parsed["anomalies"].size(), 1u);
    EXPECT_EQ(parsed["anomalies"][0]["transactions"][0]["value"],
              nlohmann::json::parse(R"([["append","x",2],["append","y",1]])"));
    EXPECT_EQ(parsed["anomalies"][0]["steps"][0]["type"], "wr");
}

TEST_F(TxnCheckCli, BadInputExitsTwoWithThePosition) {
    auto bad_mop = check({write("bad.jsonl",
                                "{\"process\":0,\"type\":\"invoke\",\"f\":\"txn\","
                                "\"value\":[[\"append\",\"x\",1]]}\n"
                                "{\"process\":0,\"type\":\"ok\",\"f\":\"txn\","
                                "\"value\":[[\"write\",\"x\",1]]}\n"),
                          "--model", "list-append"});
    EXPECT_EQ(bad_mop.exit_code, 2);
    EXPECT_NE(bad_mop.err.find("bad.jsonl:2:1: micro-op 1 [\"write\",\"x\",1]"), std::string::npos)
        << bad_mop.err;
    auto not_txn = check({write("reg.jsonl",
                                "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\","
                                "\"value\":3}\n"),
                          "--model", "rw-register"});
    EXPECT_EQ(not_txn.exit_code, 2);
    EXPECT_NE(not_txn.err.find("reg.jsonl:1:1: a transaction is a list of micro-ops"),
              std::string::npos)
        << not_txn.err;
    auto unknown =
        check({write("x.edn", kReadmeG1c), "--model", "list-append", "--consistency", "causal"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("unknown consistency model 'causal'"), std::string::npos);
}

TEST_F(TxnCheckCli, DuplicateWritesAreUndecided) {
    auto result = check({write("twice.edn",
                               "{:type :invoke, :process 0, :f :txn, :value [[:append :x 1]]}\n"
                               "{:type :ok, :process 0, :f :txn, :value [[:append :x 1]]}\n"
                               "{:type :invoke, :process 1, :f :txn, :value [[:append :x 1]]}\n"
                               "{:type :ok, :process 1, :f :txn, :value [[:append :x 1]]}\n"),
                         "--model", "list-append"});
    EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
}

}  // namespace
}  // namespace atomixtest
