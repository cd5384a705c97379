// The EDN reader: the subset histories use, and line:column for what it refuses.
#include "history/edn_reader.hpp"

#include <gtest/gtest.h>

#include "atomixtest/error.hpp"

namespace atomixtest {
namespace {

nlohmann::json read_one(const std::string& text) {
    EdnReader reader(text, "t.edn");
    auto value = reader.read();
    EXPECT_TRUE(reader.at_end()) << text;
    return value;
}

std::string edn_error_of(const std::string& text) {
    try {
        EdnReader reader(text, "t.edn");
        while (!reader.at_end()) reader.read();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        return error.what();
    }
    return "(accepted)";
}

TEST(EdnReader, ScalarsKeywordsAndStrings) {
    EXPECT_EQ(read_one("nil"), nullptr);
    EXPECT_EQ(read_one("true"), true);
    EXPECT_EQ(read_one("false"), false);
    EXPECT_EQ(read_one("42"), 42);
    EXPECT_EQ(read_one("-7"), -7);
    EXPECT_EQ(read_one("+3"), 3);
    EXPECT_EQ(read_one("12N"), 12);
    EXPECT_DOUBLE_EQ(read_one("1.5").get<double>(), 1.5);
    EXPECT_DOUBLE_EQ(read_one("2e3").get<double>(), 2000.0);
    EXPECT_EQ(read_one(":invoke"), "invoke");
    EXPECT_EQ(read_one(":map.put"), "map.put");
    EXPECT_EQ(read_one(R"("a \"b\"\n\t\\ \u00e9")"), "a \"b\"\n\t\\ \xc3\xa9");
}

TEST(EdnReader, CollectionsCommentsCommasAndDiscards) {
    EXPECT_EQ(read_one("[1 2]"), nlohmann::json::array({1, 2}));
    EXPECT_EQ(read_one("(1, 2, 3)"), nlohmann::json::array({1, 2, 3}));
    EXPECT_EQ(read_one("#{3 1}"), nlohmann::json::array({3, 1}));
    EXPECT_EQ(read_one("[]"), nlohmann::json::array());
    auto map = read_one(
        "{:process 0, :type :ok ; a comment\n :value [1 nil], \"k\" 2, #_ :gone #_ 5 :x 1}");
    EXPECT_EQ(map["process"], 0);
    EXPECT_EQ(map["type"], "ok");
    EXPECT_EQ(map["value"], nlohmann::json::array({1, nullptr}));
    EXPECT_EQ(map["k"], 2);
    EXPECT_EQ(map["x"], 1);
    EXPECT_FALSE(map.contains("gone"));
}

TEST(EdnReader, KeyPositionsForFieldErrors) {
    EdnReader reader("{:a 1,\n  :bb 2}", "t.edn");
    std::map<std::string, EdnPosition> keys;
    reader.read(&keys);
    EXPECT_EQ(keys["a"].line, 1u);
    EXPECT_EQ(keys["a"].column, 2u);
    EXPECT_EQ(keys["bb"].line, 2u);
    EXPECT_EQ(keys["bb"].column, 3u);
}

TEST(EdnReader, MalformedInputNamesLineAndColumn) {
    EXPECT_NE(edn_error_of("{:a 1\n :b \"open").find("t.edn:2:5: unterminated string"),
              std::string::npos);
    EXPECT_NE(edn_error_of("{:a 1 :b}").find("t.edn:1:7: the key b has no value"),
              std::string::npos);
    EXPECT_NE(edn_error_of("[1 2").find("t.edn:1:1: unterminated collection"), std::string::npos);
    EXPECT_NE(edn_error_of("  ]").find("t.edn:1:3: unexpected ']'"), std::string::npos);
    EXPECT_NE(edn_error_of("\"\\q\"").find("t.edn:1:3: unknown escape \\q"), std::string::npos);
    EXPECT_NE(edn_error_of("#inst \"2020\"").find("t.edn:1:1: unsupported '#' form"),
              std::string::npos);
    EXPECT_NE(edn_error_of("foo").find("t.edn:1:1: unexpected symbol foo"), std::string::npos);
    EXPECT_NE(edn_error_of("99999999999999999999").find("out of range"), std::string::npos);
    EXPECT_NE(edn_error_of("{:a 1 :a 2}").find("appears twice"), std::string::npos);
    EXPECT_NE(edn_error_of("\\c").find("t.edn:1:1:"), std::string::npos);
    EXPECT_NE(edn_error_of(":").find("malformed keyword"), std::string::npos);
    EXPECT_NE(edn_error_of("{[1] 2}").find("a map key is"), std::string::npos);
}

TEST(EdnReader, DeepNestingIsRefusedNotACrash) {
    std::string deep(100000, '[');
    EXPECT_NE(edn_error_of(deep).find("nested deeper than"), std::string::npos);
}

}  // namespace
}  // namespace atomixtest
