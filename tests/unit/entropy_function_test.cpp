// The entropy functions as the original tool's command line writes them.
#include "scenario/entropy_function.hpp"

#include <gtest/gtest.h>

#include "atomixtest/error.hpp"

namespace atomixtest {
namespace {

using namespace std::chrono_literals;

std::vector<EntropyFunction> parse(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string word; in >> word;) words.push_back(word);
    return parse_entropy_functions(words);
}

std::string error_of(const std::string& line) {
    try {
        parse(line);
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        return error.what();
    }
    ADD_FAILURE() << "accepted: " << line;
    return "";
}

TEST(EntropyFunctions, TheSeedsExampleMakesACrashAndAnIsolation) {
    auto functions = parse("crash --random 30s partition --isolate 30s 1m");
    ASSERT_EQ(functions.size(), 2u);
    EXPECT_EQ(functions[0].kind, FunctionKind::Crash);
    EXPECT_EQ(functions[0].delay.min, Duration(15s)) << "the original's default delay";
    EXPECT_EQ(functions[0].delay.max, Duration(30s));
    EXPECT_EQ(functions[0].period.min, Duration(30s));
    EXPECT_EQ(functions[0].period.max, Duration(30s)) << "one value is a fixed period";
    EXPECT_EQ(functions[1].kind, FunctionKind::PartitionIsolate);
    EXPECT_EQ(functions[1].period.min, Duration(30s));
    EXPECT_EQ(functions[1].period.max, Duration(1min));
}

TEST(EntropyFunctions, DelaysComeFirstAndEachPartitionTypeIsAFunction) {
    auto functions = parse("partition 10s 20s --random 30s --isolate 30s 1m --halves");
    ASSERT_EQ(functions.size(), 3u);
    for (const auto& function : functions) {
        EXPECT_EQ(function.delay.min, Duration(10s));
        EXPECT_EQ(function.delay.max, Duration(20s));
    }
    EXPECT_EQ(functions[2].kind, FunctionKind::PartitionHalves);
    EXPECT_EQ(functions[2].period.min, Duration(15s)) << "default period";
}

TEST(EntropyFunctions, PauseTargetsARandomNodeOrEveryNode) {
    auto functions = parse("pause 5s 10s --random 2s 4s pause --all 1s");
    ASSERT_EQ(functions.size(), 2u);
    EXPECT_EQ(functions[0].kind, FunctionKind::Pause);
    EXPECT_FALSE(functions[0].all_nodes);
    EXPECT_EQ(functions[0].delay.min, Duration(5s));
    EXPECT_EQ(functions[0].period.min, Duration(2s));
    EXPECT_EQ(functions[0].period.max, Duration(4s));
    EXPECT_TRUE(functions[1].all_nodes);
    EXPECT_EQ(functions[1].period.max, Duration(1s));
    EXPECT_EQ(functions[0].describe(), "pause 5s 10s --random 2s 4s");
    EXPECT_EQ(functions[1].to_json()["target"], "all");
    EXPECT_EQ(parse(functions[0].describe())[0].period.max, Duration(4s)) << "written back, read";
    EXPECT_NE(error_of("pause --random 1s --all 2s").find("one target"), std::string::npos);
    EXPECT_NE(error_of("pause --leader").find("(--random, --all)"), std::string::npos);
}

TEST(EntropyFunctions, EachStressOptionRunsIndependently) {
    auto functions = parse("stress --random --network 500ms --cpu 2");
    ASSERT_EQ(functions.size(), 2u);
    EXPECT_EQ(functions[0].kind, FunctionKind::StressNetwork);
    EXPECT_EQ(functions[0].latency, Duration(500ms));
    EXPECT_EQ(functions[1].kind, FunctionKind::StressCpu);
    EXPECT_EQ(functions[1].workers, 2);
    EXPECT_FALSE(functions[1].all_nodes);
    EXPECT_TRUE(parse("stress --all --io 1")[0].all_nodes);
}

TEST(EntropyFunctions, RestartTakesOneOrTwoDelays) {
    auto every_minute = parse("restart 1m");
    ASSERT_EQ(every_minute.size(), 1u);
    EXPECT_EQ(every_minute[0].delay.min, Duration(1min));
    EXPECT_EQ(every_minute[0].delay.max, Duration(1min));
    auto ranged = parse("restart 10m 1h crash");
    EXPECT_EQ(ranged[0].delay.max, Duration(1h));
    EXPECT_EQ(ranged[1].kind, FunctionKind::Crash);
}

TEST(EntropyFunctions, DescribeWritesAFunctionBackAsItParses) {
    for (const char* line : {"crash 15s 30s --random 30s", "partition 10s --bridge 5s 10s",
                             "stress 15s 30s --cpu 2 --all --period 15s 30s", "restart 1m",
                             "membership 1m 2m --period 30s",
                             "crash 8s 12s --majority 2s 4s --lag 1s 2s --lose-unfsynced"}) {
        auto functions = parse(line);
        ASSERT_EQ(functions.size(), 1u) << line;
        auto again = parse(functions[0].describe());
        EXPECT_EQ(again[0].describe(), functions[0].describe()) << line;
        EXPECT_EQ(again[0].to_json(), functions[0].to_json()) << line;
    }
}

TEST(EntropyFunctions, BadWordsAreNamed) {
    EXPECT_NE(error_of("crash 10x").find("'10x' is not a duration"), std::string::npos);
    EXPECT_NE(error_of("crash 30s 10s").find("'10s' is below MIN"), std::string::npos);
    EXPECT_NE(error_of("explode 10s").find("'explode' is not an entropy function"),
              std::string::npos);
    EXPECT_NE(error_of("crash --sideways").find("'--sideways'"), std::string::npos);
    EXPECT_NE(error_of("stress --cpu 0").find("'0'"), std::string::npos);
    EXPECT_NE(error_of("stress --cpu many").find("'many'"), std::string::npos);
    EXPECT_NE(error_of("stress 10s").find("needs at least one"), std::string::npos);
    EXPECT_NE(error_of("restart 1m 2m 3m").find("'3m'"), std::string::npos);
    EXPECT_NE(error_of("crash 1 2").find("'1' is not a duration"), std::string::npos);
    // The lag is that of the nodes a majority leaves out: none without one.
    EXPECT_NE(error_of("crash --random 2s --lag 1s").find("'--lag' needs --majority"),
              std::string::npos);
    EXPECT_NE(error_of("crash --majority 2s --lag").find("'--lag' needs a duration"),
              std::string::npos);
}

TEST(EntropyFunctions, ACrashOfAMajorityTakesALag) {
    auto crash = parse("crash 8s 12s --lag 1s 2s --lose-unfsynced --majority 2s 4s").at(0);
    EXPECT_TRUE(crash.majority);
    EXPECT_TRUE(crash.lose_unfsynced);
    ASSERT_TRUE(crash.lag);
    EXPECT_EQ(crash.lag->min, 1s);
    EXPECT_EQ(crash.lag->max, 2s);
    EXPECT_EQ(crash.period.min, 2s);
    EXPECT_EQ(crash.describe(), "crash 8s 12s --majority 2s 4s --lag 1s 2s --lose-unfsynced");
}

}  // namespace
}  // namespace atomixtest
