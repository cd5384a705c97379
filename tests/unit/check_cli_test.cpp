// `atomix-test check` as a user runs it: exit 0 linearizable, 1 not, 2 bad
// input with file:line:column, 3 undecided; --json; EDN by extension.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "atomixtest/process.hpp"
#include "build_paths.hpp"
#include "history_generator.hpp"

namespace atomixtest {
namespace {

class CheckCli : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("check-cli-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string write(const std::string& name, const std::string& text) {
        auto path = dir_ / name;
        std::ofstream(path) << text;
        return path.string();
    }
    std::string write(const std::string& name, const History& history) {
        std::ofstream out(dir_ / name);
        if (name.ends_with(".edn")) {
            write_history_edn(out, history);
        } else {
            write_history_jsonl(out, history);
        }
        return (dir_ / name).string();
    }
    static ProcessResult check(std::vector<std::string> args) {
        args.insert(args.begin(), {testing::cli_path().string(), "check"});
        return run_process({.argv = args, .timeout = std::chrono::seconds(60)});
    }

    std::filesystem::path dir_;
};

const char* kStaleRead =
    "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"
    "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"value\":1}\n"
    "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":2}\n"
    "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"value\":2}\n"
    "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n"
    "{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"value\":1}\n";

TEST_F(CheckCli, ExitCodesZeroAndOneWithTheFailingWindow) {
    testing::GeneratorOptions options{Model::Kv, 2000, 5, 6, 11, 0.02, false};
    auto good = check({write("good.jsonl", testing::generate_history(options)), "--model", "kv"});
    EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
    EXPECT_EQ(good.out.rfind("linearizable: 2,000 operations, 5 keys (model kv", 0), 0u)
        << good.out;

    auto bad = check({write("stale.jsonl", kStaleRead), "--model", "register"});
    EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
    EXPECT_NE(bad.out.find("a linearizable prefix of 2 operations ends with:"), std::string::npos)
        << bad.out;
    EXPECT_NE(bad.out.find("then the state is 2, and these 1 operations cannot be linearized"),
              std::string::npos)
        << bad.out;
    EXPECT_NE(bad.out.find("5-6"), std::string::npos) << "the read's lines\n" << bad.out;

    auto json = check({write("stale2.jsonl", kStaleRead), "--model", "register", "--json"});
    EXPECT_EQ(json.exit_code, 1);
    auto report = nlohmann::json::parse(json.out);
    EXPECT_EQ(report["verdict"], "not linearizable");
    EXPECT_EQ(report["valid"], false);
    EXPECT_EQ(report["keys"][0]["verdict"], "not linearizable");
    EXPECT_EQ(report["failing"][0]["prefix_length"], 2);
    EXPECT_EQ(report["failing"][0]["state"], 2);
    EXPECT_EQ(report["failing"][0]["operations"][0]["invoke_line"], 5);
}

TEST_F(CheckCli, EdnByExtensionOrFormatAndInitialValue) {
    auto file = write("h.edn",
                      "{:process 0, :type :invoke, :f :get, :key \"4\", :value nil}\n"
                      "{:process 0, :type :ok, :f :get, :key \"4\", :value \"\"}\n");
    EXPECT_EQ(check({file, "--model", "kv"}).exit_code, 1) << "an unset key reads nil";
    EXPECT_EQ(check({file, "--model", "kv", "--initial", "\"\""}).exit_code, 0);
    auto renamed = write("h.txt",
                         "{:process 0, :type :invoke, :f :read}\n"
                         "{:process 0, :type :ok, :f :read, :value 0}\n");
    EXPECT_EQ(check({renamed, "--model", "counter", "--format", "edn"}).exit_code, 0);
}

TEST_F(CheckCli, BadInputIsExitTwoWithFileLineColumn) {
    auto orphan = check({write("orphan.jsonl",
                               "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"
                               "  {\"process\":3,\"type\":\"ok\",\"f\":\"write\",\"value\":1}\n"),
                         "--model", "register"});
    EXPECT_EQ(orphan.exit_code, 2);
    EXPECT_NE(orphan.err.find("orphan.jsonl:2:3: an ok of write for process 3"), std::string::npos)
        << orphan.err;
    auto truncated =
        check({write("cut.jsonl", std::string(kStaleRead).substr(0, 130)), "--model", "register"});
    EXPECT_EQ(truncated.exit_code, 2);
    EXPECT_NE(truncated.err.find("cut.jsonl:3:"), std::string::npos) << truncated.err;
    auto malformed = check({write("bad.edn",
                                  "{:process 0, :type :invoke, :f :write, :value 1}\n"
                                  "{:process 0 :type :ok :f}\n"),
                            "--model", "register"});
    EXPECT_EQ(malformed.exit_code, 2);
    EXPECT_NE(malformed.err.find("bad.edn:2:23: the key f has no value"), std::string::npos)
        << malformed.err;
    auto unknown_op = check({write("op.jsonl", kStaleRead), "--model", "kv"});
    EXPECT_EQ(unknown_op.exit_code, 2);
    EXPECT_NE(unknown_op.err.find("op.jsonl:1:1: unknown operation 'write' for the model kv"),
              std::string::npos)
        << unknown_op.err;
    EXPECT_EQ(check({write("m.jsonl", kStaleRead), "--model", "queue"}).exit_code, 2);
    EXPECT_EQ(check({(dir_ / "missing.jsonl").string(), "--model", "kv"}).exit_code, 2);
    EXPECT_EQ(check({"--model", "kv"}).exit_code, 2);
}

TEST_F(CheckCli, UndecidedIsExitThree) {
    testing::GeneratorOptions options{Model::CasRegister, 20000, 1, 8, 3, 0.02, true};
    auto result = check({write("hard.jsonl", testing::generate_history(options)), "--model",
                         "cas-register", "--timeout", "0s"});
    EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
    EXPECT_NE(result.out.find("undecided (timeout)"), std::string::npos) << result.out;
}

// Twenty writes at once, then a read of a value none wrote: every order of the
// writes must be tried before "not linearizable", and the search's memory of
// them outgrows 4 MiB long before the hour passes.
TEST_F(CheckCli, AKeyTooBigForTheMemoryLimitIsUndecidedNotKilled) {
    std::string history;
    for (int process = 0; process < 20; ++process) {
        history += R"({"process":)" + std::to_string(process) +
                   R"(,"type":"invoke","f":"write","value":)" + std::to_string(process) + "}\n";
    }
    for (int process = 0; process < 20; ++process) {
        history += R"({"process":)" + std::to_string(process) +
                   R"(,"type":"ok","f":"write","value":)" + std::to_string(process) + "}\n";
    }
    history +=
        "{\"process\":20,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n"
        "{\"process\":20,\"type\":\"ok\",\"f\":\"read\",\"value\":99}\n";
    auto result = check({write("too-big.jsonl", history), "--model", "register", "--timeout", "1h",
                         "--memory-limit", "4m"});
    EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
    EXPECT_NE(result.out.find("undecided (memory limit)"), std::string::npos) << result.out;
    EXPECT_EQ(
        check({write("bad-limit.jsonl", history), "--model", "register", "--memory-limit", "lots"})
            .exit_code,
        2);
}

}  // namespace
}  // namespace atomixtest
