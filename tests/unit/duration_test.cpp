// Durations as scenarios and the CLI write them.
#include "atomixtest/duration.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "atomixtest/error.hpp"

namespace atomixtest {
namespace {

using namespace std::chrono_literals;

TEST(Duration, UnitsAndCompoundForms) {
    EXPECT_EQ(parse_duration("200ms"), Duration(200ms));
    EXPECT_EQ(parse_duration("1.5s"), Duration(1500ms));
    EXPECT_EQ(parse_duration("10m30s"), Duration(630s));
    EXPECT_EQ(parse_duration("1h"), Duration(3600s));
    EXPECT_EQ(parse_duration("250us"), Duration(250us));
    EXPECT_EQ(parse_duration("7ns"), Duration(7ns));
}

TEST(Duration, BareNumberOnlyWithADefaultUnit) {
    EXPECT_EQ(parse_duration("200", "ms"), Duration(200ms));
    EXPECT_EQ(parse_duration("2s", "ms"), Duration(2s)) << "an explicit unit wins";
    try {
        parse_duration("200");
        FAIL() << "a bare number without a default unit was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        EXPECT_NE(std::string(error.what()).find("'200'"), std::string::npos);
    }
}

TEST(Duration, MalformedTextNamesTheAcceptedForms) {
    for (const char* text : {"", "10x", "s", "1.s", "-1s", "1 s", "soon"}) {
        try {
            parse_duration(text);
            ADD_FAILURE() << "accepted '" << text << "'";
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::BadInput);
            EXPECT_NE(std::string(error.what()).find("e.g. 200ms"), std::string::npos);
        }
    }
}

TEST(Duration, SchemaPatternAcceptsExactlyWhatTheParserAccepts) {
    std::regex pattern(kDurationPattern);
    for (const char* text : {"200ms", "1.5s", "10m30s", "1h", "10x", "", "200", "1 s"}) {
        bool parsed = true;
        try {
            parse_duration(text);
        } catch (const Error&) {
            parsed = false;
        }
        EXPECT_EQ(std::regex_match(text, pattern), parsed) << text;
    }
}

TEST(Duration, FormatsInTheLargestExactUnit) {
    EXPECT_EQ(format_duration(2s), "2s");
    EXPECT_EQ(format_duration(1500ms), "1500ms");
    EXPECT_EQ(format_duration(3us), "3us");
    EXPECT_EQ(format_duration(5ns), "5ns");
}

}  // namespace
}  // namespace atomixtest
