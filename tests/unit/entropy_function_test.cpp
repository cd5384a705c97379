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

std::string parse_error_of(const std::string& line) {
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
    EXPECT_NE(parse_error_of("pause --random 1s --all 2s").find("one target"), std::string::npos);
    EXPECT_NE(parse_error_of("pause --leader").find("(--random, --all)"), std::string::npos);
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

TEST(EntropyFunctions, RingAndLeaderAreNamedPartitionTypes) {
    auto functions = parse("partition 5s --ring 10s 20s --leader 3s");
    ASSERT_EQ(functions.size(), 2u);
    EXPECT_EQ(functions[0].kind, FunctionKind::PartitionRing);
    EXPECT_EQ(functions[0].period.max, Duration(20s));
    EXPECT_EQ(functions[1].kind, FunctionKind::PartitionLeader);
    EXPECT_EQ(functions[1].to_json()["type"], "leader");
    EXPECT_EQ(parse("partition").size(), 4u) << "alone, the original tool's four types";
}

TEST(EntropyFunctions, NetworkRateThrottlesInsteadOfDelaying) {
    auto functions = parse("stress --network --rate 1mbit");
    ASSERT_EQ(functions.size(), 1u);
    EXPECT_EQ(functions[0].kind, FunctionKind::StressRate);
    EXPECT_EQ(functions[0].rate, 1'000'000);
    EXPECT_EQ(functions[0].describe(),
              "stress 15s 30s --network --rate 1mbit --random --period 15s 30s");
    auto both = parse("stress --all --network 200ms --rate 500kbit");
    ASSERT_EQ(both.size(), 2u) << "a latency and a rate: two functions";
    EXPECT_EQ(both[0].kind, FunctionKind::StressNetwork);
    EXPECT_EQ(both[1].kind, FunctionKind::StressRate);
    EXPECT_TRUE(both[1].all_nodes);
}

TEST(EntropyFunctions, BadRatesAreNamed) {
    EXPECT_NE(parse_error_of("stress --network --rate 0").find("'0' is not a rate"),
              std::string::npos);
    EXPECT_NE(parse_error_of("stress --network --rate fast").find("'fast'"), std::string::npos);
    EXPECT_NE(parse_error_of("stress --rate 1mbit").find("belongs to --network"),
              std::string::npos);
    EXPECT_NE(parse_error_of("stress --network").find("needs a latency or a rate"),
              std::string::npos);
    EXPECT_NE(parse_error_of("partition --circle").find("--ring, --leader"), std::string::npos);
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
    for (const char* line :
         {"crash 15s 30s --random 30s", "partition 10s --bridge 5s 10s", "partition 10s --ring 5s",
          "stress --network --rate 2mbit --all", "stress 15s 30s --cpu 2 --all --period 15s 30s",
          "restart 1m", "membership 1m 2m --period 30s", "clock 15s 30s --bump -5s --random 30s",
          "clock 10s --rate 0.5 --all 5s 10s", "clock 15s 30s --strobe --random 15s 30s",
          "crash 8s 12s --majority 2s 4s --lag 1s 2s --lose-unfsynced"}) {
        auto functions = parse(line);
        ASSERT_EQ(functions.size(), 1u) << line;
        auto again = parse(functions[0].describe());
        EXPECT_EQ(again[0].describe(), functions[0].describe()) << line;
        EXPECT_EQ(again[0].to_json(), functions[0].to_json()) << line;
    }
}

TEST(EntropyFunctions, EachClockOptionIsAFunctionWithThePeriodAfterItsNodes) {
    auto functions = parse("clock 5s 10s --bump -5s --strobe --rate 2 --random 1s 3s");
    ASSERT_EQ(functions.size(), 3u);
    EXPECT_EQ(functions[0].kind, FunctionKind::ClockBump);
    EXPECT_EQ(functions[0].offset, Duration(-5s)) << "a minus sign is a jump back";
    EXPECT_EQ(functions[1].kind, FunctionKind::ClockStrobe);
    EXPECT_EQ(functions[2].kind, FunctionKind::ClockRate);
    EXPECT_EQ(functions[2].clock_rate, 2.0);
    for (const auto& function : functions) {
        EXPECT_EQ(function.delay.min, Duration(5s));
        EXPECT_EQ(function.delay.max, Duration(10s));
        EXPECT_EQ(function.period.min, Duration(1s));
        EXPECT_EQ(function.period.max, Duration(3s));
        EXPECT_FALSE(function.all_nodes);
    }
    EXPECT_EQ(parse("clock --bump +2m")[0].offset, Duration(2min));
    EXPECT_EQ(parse("clock --bump 2m")[0].period.min, Duration(15s)) << "default period";
    EXPECT_TRUE(parse("clock --strobe --all")[0].all_nodes);
    auto json = parse("clock --bump -5s")[0].to_json();
    EXPECT_EQ(json["function"], "clock");
    EXPECT_EQ(json["type"], "bump");
    EXPECT_EQ(json["offset"], "-5s");
}

TEST(EntropyFunctions, BadWordsAreNamed) {
    EXPECT_NE(parse_error_of("crash 10x").find("'10x' is not a duration"), std::string::npos);
    EXPECT_NE(parse_error_of("crash 30s 10s").find("'10s' is below MIN"), std::string::npos);
    EXPECT_NE(parse_error_of("explode 10s").find("'explode' is not an entropy function"),
              std::string::npos);
    EXPECT_NE(parse_error_of("crash --sideways").find("'--sideways'"), std::string::npos);
    EXPECT_NE(parse_error_of("stress --cpu 0").find("'0'"), std::string::npos);
    EXPECT_NE(parse_error_of("stress --cpu many").find("'many'"), std::string::npos);
    EXPECT_NE(parse_error_of("stress 10s").find("needs at least one"), std::string::npos);
    EXPECT_NE(parse_error_of("restart 1m 2m 3m").find("'3m'"), std::string::npos);
    EXPECT_NE(parse_error_of("crash 1 2").find("'1' is not a duration"), std::string::npos);
    // The lag is that of the nodes a majority leaves out: none without one.
    EXPECT_NE(parse_error_of("crash --random 2s --lag 1s").find("'--lag' needs --majority"),
              std::string::npos);
    EXPECT_NE(parse_error_of("crash --majority 2s --lag").find("'--lag' needs a duration"),
              std::string::npos);
    EXPECT_NE(parse_error_of("clock --rate 0").find("'0' is not a clock rate"), std::string::npos);
    EXPECT_NE(parse_error_of("clock --rate fast").find("'fast'"), std::string::npos);
    EXPECT_NE(parse_error_of("clock --bump").find("needs an offset"), std::string::npos);
    EXPECT_NE(parse_error_of("clock --bump 5").find("'5' is not a duration"), std::string::npos);
    EXPECT_NE(parse_error_of("clock --random 5s").find("needs one of --bump"), std::string::npos);
    EXPECT_NE(parse_error_of("clock --skew 5s").find("'--skew' is not an option of clock"),
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
