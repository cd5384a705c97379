// `atomix-test check` as a process that must end by itself: on a pipe nobody
// writes to (at the timeout), on Ctrl-C or SIGTERM (promptly, 130), and on a
// hard history within its --memory-limit (its peak resident size measured by
// the kernel, as the OOM killer would see it).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "build_paths.hpp"

extern char** environ;

namespace atomixtest {
namespace {

using Clock = std::chrono::steady_clock;

struct Ended {
    int exit_code = -1;  // 128+N when killed by signal N
    long peak_rss_kb = 0;
    double seconds = 0;
};

class Child {
  public:
    explicit Child(std::vector<std::string> args, const std::filesystem::path& out) {
        args.insert(args.begin(), testing::cli_path().string());
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        started_ = Clock::now();
        EXPECT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&actions);
    }
    void signal(int number) { ::kill(pid_, number); }
    // Waits at most `limit`, then kills it (the test fails on the exit code).
    Ended wait(std::chrono::seconds limit) {
        Ended ended;
        int status = 0;
        rusage usage{};
        while (wait4(pid_, &status, WNOHANG, &usage) == 0) {
            if (Clock::now() - started_ > limit) ::kill(pid_, SIGKILL);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ended.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        ended.peak_rss_kb = usage.ru_maxrss;
        ended.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
        return ended;
    }

  private:
    pid_t pid_ = -1;
    Clock::time_point started_;
};

class CheckProcess : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ =
            std::filesystem::temp_directory_path() / ("check-limits-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // Thirty writes at once, then a read of a value none wrote: every order of
    // the writes must be tried before "not linearizable" (2^30 sets of them).
    std::string hard_history() {
        auto path = dir_ / "hard.jsonl";
        std::ofstream out(path);
        for (int p = 0; p < 30; ++p) {
            out << R"({"process":)" << p << R"(,"type":"invoke","f":"write","value":)" << p
                << "}\n";
        }
        for (int p = 0; p < 30; ++p) {
            out << R"({"process":)" << p << R"(,"type":"ok","f":"write","value":)" << p << "}\n";
        }
        out << R"({"process":30,"type":"invoke","f":"read","value":null})"
            << "\n"
            << R"({"process":30,"type":"ok","f":"read","value":99})"
            << "\n";
        return path.string();
    }

    // Twenty appends at once, with a put of "" pending all along: every
    // order of the appends is a different string (the states grow with the
    // configurations), and the put could reset any of them, so nothing is
    // pruned before the read of a value none made. Before its states were
    // counted, a 128m limit let this reach 250 MB.
    std::string appends_history() {
        auto path = dir_ / "appends.jsonl";
        std::ofstream out(path);
        out << R"({"process":100,"type":"invoke","f":"put","key":"k","value":""})"
            << "\n";
        for (int p = 0; p < 20; ++p) {
            out << R"({"process":)" << p << R"(,"type":"invoke","f":"append","key":"k","value":"a)"
                << p << R"( "})"
                << "\n";
        }
        for (int p = 0; p < 20; ++p) {
            out << R"({"process":)" << p << R"(,"type":"ok","f":"append","key":"k","value":"a)" << p
                << R"( "})"
                << "\n";
        }
        out << R"({"process":50,"type":"invoke","f":"get","key":"k","value":null})"
            << "\n"
            << R"({"process":50,"type":"ok","f":"get","key":"k","value":"zz"})"
            << "\n"
            << R"({"process":100,"type":"ok","f":"put","key":"k","value":""})"
            << "\n";
        return path.string();
    }

    std::filesystem::path dir_;
};

TEST_F(CheckProcess, APipeNobodyWritesToEndsAtTheTimeout) {
    auto fifo = dir_ / "fifo.jsonl";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    Child child({"check", fifo.string(), "--model", "register", "--timeout", "1s"}, dir_ / "out");
    auto ended = child.wait(std::chrono::seconds(30));
    EXPECT_EQ(ended.exit_code, 3) << "undecided at the timeout";
    EXPECT_LT(ended.seconds, 10);
    std::ifstream out(dir_ / "out");
    std::string text((std::istreambuf_iterator<char>(out)), {});
    EXPECT_NE(text.find("nothing to read before the timeout"), std::string::npos) << text;
}

TEST_F(CheckProcess, CtrlCAndSigtermStopTheSearchWith130) {
    auto history = hard_history();
    for (int number : {SIGINT, SIGTERM}) {
        Child child({"check", history, "--model", "register", "--timeout", "1h"}, dir_ / "out");
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        child.signal(number);
        auto ended = child.wait(std::chrono::seconds(30));
        EXPECT_EQ(ended.exit_code, 130) << "signal " << number;
        EXPECT_LT(ended.seconds, 5) << "signal " << number;
    }
}

TEST_F(CheckProcess, AHardHistoryEndsByItselfWithinTheMemoryLimit) {
    // Without a limit this search takes gigabytes within a minute.
    Child child(
        {"check", appends_history(), "--model", "kv", "--timeout", "10m", "--memory-limit", "128m"},
        dir_ / "out");
    auto ended = child.wait(std::chrono::minutes(5));
    EXPECT_EQ(ended.exit_code, 3);
    EXPECT_LT(ended.peak_rss_kb, (128 + 64) * 1024) << "the limit plus a small constant";
    std::ifstream out(dir_ / "out");
    std::string text((std::istreambuf_iterator<char>(out)), {});
    EXPECT_NE(text.find("undecided (memory limit)"), std::string::npos) << text;
}

}  // namespace
}  // namespace atomixtest
