// Scenarios are other people's data, read by a root process: a profile path
// that would start any program, an alias bomb, numbers past their range. Each
// is refused with file:line:column before anything runs, in little time and
// memory (scripts/bench hostile measures both).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/size.hpp"
#include "build_paths.hpp"
#include "profile/profile_loader.hpp"
#include "scenario/marked_yaml.hpp"
#include "scenario/scenario.hpp"
#include "scenario_fixture.hpp"
#include "session/param_check.hpp"
#include "session/verb_catalog.hpp"
#include "session/workspace.hpp"
#include "util/close_matches.hpp"

namespace atomixtest {
namespace {

namespace fs = std::filesystem;

class HostileScenario : public testing::ScenarioFixture {};

const std::string kHostileHead = "name: t\ncluster: {profile: etcd}\nsteps:\n";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The repro of the hole: a profile named by a path, whose command would run
// as root. The name is refused where it is written, whatever the file holds.
TEST_F(HostileScenario, AStepCannotNameAProfileByPath) {
    auto message = error_for(kHostileHead + "  - node.add: {profile: ../../../../tmp/evil}\n");
    EXPECT_TRUE(contains(message, "s.yaml:4:25: steps/0/node.add/profile:")) << message;
    EXPECT_TRUE(contains(message, "allowed: \"client\", \"consensus\"")) << message;
}

TEST_F(HostileScenario, AStepNamesOnlyAProfileThatExists) {
    auto message = error_for(kHostileHead + "  - node.add: {profile: nonesuch}\n");
    EXPECT_TRUE(contains(message, "s.yaml:4:25: steps/0/node.add/profile: got \"nonesuch\""))
        << message;
    EXPECT_NO_THROW(parse_scenario(kHostileHead + "  - node.add: {profile: client}\n", "s.yaml",
                                   *catalog_, *schema_));
}

TEST_F(HostileScenario, TheClusterCannotNameAProfileByPath) {
    auto message =
        error_for("name: t\ncluster: {profile: ../x/evil}\nsteps:\n  - sleep: {duration: 1s}\n");
    EXPECT_TRUE(contains(message, "s.yaml:2:20: cluster/profile: invalid value \"../x/evil\""))
        << message;
}

TEST(ProfileNames, APathIsNeverLookedUp) {
    auto dir = fs::temp_directory_path() / ("atomix-test-evil-" + std::to_string(getpid()));
    fs::create_directories(dir / "profiles");
    std::ofstream(dir / "evil.yaml") << "name: evil\nclient: etcd\nclient_port: 1\n"
                                        "command: [/bin/sh, -c, 'touch /tmp/pwned']\n";
    setenv("ATOMIX_TEST_PROFILE_PATH", (dir / "profiles").c_str(), 1);
    for (const char* name : {"../evil", "/tmp/evil", "..", "a/b", "Etcd", "", "-x", "e.yaml"}) {
        try {
            load_profile(name);
            ADD_FAILURE() << "loaded '" << name << "'";
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::BadInput) << name;
            EXPECT_TRUE(contains(error.what(), "a profile is named, never a path")) << error.what();
        }
    }
    unsetenv("ATOMIX_TEST_PROFILE_PATH");
    fs::remove_all(dir);
}

TEST(ProfileNames, ExtendsNamesAProfileNotAPath) {
    auto dir = fs::temp_directory_path() / ("atomix-test-extends-" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "variant.yaml") << "extends: ../../etc/evil\nname: variant\n";
    setenv("ATOMIX_TEST_PROFILE_PATH", dir.c_str(), 1);
    try {
        load_profile("variant");
        ADD_FAILURE() << "followed extends: to a path";
    } catch (const Error& error) {
        EXPECT_TRUE(contains(error.what(), "which is not a profile name")) << error.what();
    }
    unsetenv("ATOMIX_TEST_PROFILE_PATH");
    fs::remove_all(dir);
}

TEST(ProfileNames, AFileNoNameCanReachIsNotListed) {
    auto dir = fs::temp_directory_path() / ("atomix-test-names-" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "Odd Name.yaml") << "name: odd\n";
    std::ofstream(dir / "mine.yaml") << "name: mine\n";
    setenv("ATOMIX_TEST_PROFILE_PATH", dir.c_str(), 1);
    auto names = available_profiles();
    EXPECT_NE(std::find(names.begin(), names.end(), "mine"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "Odd Name"), names.end());
    unsetenv("ATOMIX_TEST_PROFILE_PATH");
    fs::remove_all(dir);
}

// "Billion laughs": nine levels of ten aliases each name 10^9 values in about
// 500 bytes. Refused at the alias that goes over, before it is copied.
std::string alias_bomb() {
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level <= 8; ++level) {
        auto previous = "*a" + std::to_string(level - 1);
        text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + previous;
        text += "]\n";
    }
    return text;
}

TEST(MarkedYaml, AnAliasBombIsRefusedAtTheAliasThatGoesOver) {
    auto bomb = alias_bomb();
    ASSERT_LT(bomb.size(), 600u);
    try {
        parse_marked_yaml(bomb, "bomb.yaml");
        FAIL() << "the alias bomb was expanded";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        // a4 names 111,111 values: one of its aliases goes over.
        EXPECT_TRUE(contains(error.what(), "bomb.yaml:5:")) << error.what();
        EXPECT_TRUE(contains(error.what(), "more than 100000 values")) << error.what();
    }
}

TEST(MarkedYaml, AliasesWithinTheBudgetExpandAndPointAtTheirUse) {
    auto doc = parse_marked_yaml("base: &b {node: 1, map: m}\nsteps:\n  - x: *b\n", "a.yaml");
    EXPECT_EQ(doc.value["steps"][0]["x"], (nlohmann::json{{"node", 1}, {"map", "m"}}));
    // A mistake inside the copy is reported where the copy was put.
    auto mark = doc.mark_of("/steps/0/x/node");
    EXPECT_EQ(format_mark(mark), "a.yaml:3:8");
}

TEST(MarkedYaml, AnAliasAsAKeyMustNameAScalar) {
    auto doc = parse_marked_yaml("k: &k name\n*k : 3\n", "a.yaml");
    EXPECT_EQ(doc.value["name"], 3);
    try {
        parse_marked_yaml("k: &k [1]\n? *k\n: 3\n", "a.yaml");
        ADD_FAILURE() << "a list became a key";
    } catch (const Error& error) {
        EXPECT_TRUE(contains(error.what(), "keys must be plain strings")) << error.what();
    }
}

TEST(MarkedYaml, DeepNestingIsRefusedWithItsPosition) {
    std::string deep = "x: " + std::string(1000, '[') + std::string(1000, ']') + "\n";
    try {
        parse_marked_yaml(deep, "deep.yaml");
        FAIL() << "1000 levels accepted";
    } catch (const Error& error) {
        EXPECT_TRUE(contains(error.what(), "deep.yaml:1:")) << error.what();
        EXPECT_TRUE(contains(error.what(), "nested deeper than 64 levels")) << error.what();
    }
}

TEST(MarkedYaml, AFileAboveTheLimitIsRefusedWithoutBeingRead) {
    auto file = fs::temp_directory_path() / ("atomix-test-big-" + std::to_string(getpid()));
    {
        std::ofstream out(file);
        std::string line = "# " + std::string(1000, 'x') + "\n";
        for (size_t written = 0; written <= kMaxScenarioBytes; written += line.size()) out << line;
    }
    try {
        load_marked_yaml(file);
        ADD_FAILURE() << "a file above 1 MiB was read";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        EXPECT_TRUE(contains(error.what(), "larger than 1024 KiB")) << error.what();
    }
    fs::remove(file);
}

TEST(MarkedYaml, TooManyValuesWithoutAliasesAreRefused) {
    std::string list = "x: [";
    for (int i = 0; i < 100'001; ++i) list += "1,";
    list += "1]\n";
    ASSERT_LT(list.size(), kMaxScenarioBytes);
    try {
        parse_marked_yaml(list, "many.yaml");
        FAIL() << "100,002 values accepted";
    } catch (const Error& error) {
        EXPECT_TRUE(contains(error.what(), "more than 100000 values")) << error.what();
    }
}

// std::regex (valijson's patterns, the scalar parser's) recurses once per
// character and overflows the stack near 25,000: a long value is refused
// before any pattern sees it, quoted or plain. (A key is YAML's to refuse:
// an implicit key is at most 1024 characters.)
TEST(MarkedYaml, AValueLongerThanFourKiBIsRefusedBeforeAnyPatternSeesIt) {
    for (const auto& text :
         {"x: \"" + std::string(30000, '9') + "\"\n", "x: " + std::string(30000, '9') + "\n",
          "? \"" + std::string(30000, 'k') + "\"\n: 1\n"}) {
        try {
            parse_marked_yaml(text, "long.yaml");
            ADD_FAILURE() << "a 30,000-byte value was accepted";
        } catch (const Error& error) {
            EXPECT_TRUE(contains(error.what(), "long.yaml:1:")) << error.what();
            EXPECT_TRUE(contains(error.what(), "at most 4096 bytes")) << error.what();
        }
    }
    EXPECT_NO_THROW(parse_marked_yaml("x: " + std::string(4096, 'v') + "\n", "ok.yaml"));
}

TEST(MarkedYaml, MarksAreWhereTheyWere) {
    auto doc = parse_marked_yaml("a:\n  b: 1\n  c:\n  d: [x, 'y']\n", "m.yaml");
    EXPECT_EQ(format_mark(doc.mark_of("/a/b")), "m.yaml:2:6");
    EXPECT_EQ(format_mark(doc.mark_of("/a/c")), "m.yaml:3:3") << "a null points at its key";
    EXPECT_EQ(format_mark(doc.key_mark_of("/a/d")), "m.yaml:4:3");
    EXPECT_EQ(format_mark(doc.mark_of("/a/d/1")), "m.yaml:4:10");
    EXPECT_EQ(doc.value["a"]["d"][1], "y");
    EXPECT_TRUE(doc.value["a"]["c"].is_null());
}

TEST_F(HostileScenario, ADurationPastItsRangeIsRefusedWhereItIsWritten) {
    auto message = error_for(kHostileHead + "  - sleep: {duration: 99999999h}\n");
    EXPECT_EQ(message,
              "s.yaml:4:23: steps/0/sleep/duration: invalid duration '99999999h': at "
              "most 720h (30 days)");
}

TEST(Numbers, DurationsStopAtThirtyDays) {
    EXPECT_EQ(parse_duration("720h"), kMaxDuration);
    for (const char* text : {"721h", "99999999h", "99999999999999999999999999s", "43201m"}) {
        EXPECT_THROW(parse_duration(text), Error) << text;
    }
    EXPECT_THROW(parse_duration("99999999999", "ms"), Error);
    EXPECT_THROW(parse_duration(std::string(100000, '9') + "s"), Error) << "no stack overflow";
}

TEST(Numbers, SizesStopAtAPebibyte) {
    EXPECT_EQ(parse_size("1048576g", "--memory"), kMaxSize);
    EXPECT_THROW(parse_size("1048577g", "--memory"), Error);
    EXPECT_THROW(parse_size("99999999999999999999999g", "--memory"), Error);
}

// NaN and infinities cannot be written in YAML or JSON, but the C++ API can
// pass them: the door refuses them wherever a number is taken.
TEST_F(HostileScenario, TheDoorRefusesNanInfinityAndHugeLatencies) {
    const auto& drop = catalog_->find("net.drop", "")->spec;
    const auto& delay = catalog_->find("net.delay", "")->spec;
    EXPECT_FALSE(check_params(drop, {{"probability", std::nan("")}}).empty());
    EXPECT_FALSE(check_params(drop, {{"probability", INFINITY}}).empty());
    EXPECT_FALSE(check_params(delay, {{"latency", 1e300}}).empty());
    EXPECT_FALSE(check_params(delay, {{"latency", std::nan("")}}).empty());
    EXPECT_FALSE(check_params(delay, {{"latency", "99999999h"}}).empty());
    EXPECT_TRUE(check_params(delay, {{"latency", 200}}).empty());
}

TEST(CloseMatches, AHugeNameCostsNothing) {
    std::vector<std::string> known = {"net.isolate", "map.get"};
    EXPECT_TRUE(close_matches(std::string(1 << 20, 'n'), known).empty());
    EXPECT_EQ(close_matches("net.isolat", known), std::vector<std::string>{"net.isolate"});
}

}  // namespace
}  // namespace atomixtest
