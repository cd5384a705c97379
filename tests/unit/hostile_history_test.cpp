// Histories built to hurt the reader or the checker: values nested 50,000
// deep (they overflowed the stack), a line or an EDN event of several MiB
// (read whole before), and operations that do not fit in the memory limit.
// Each is refused with file:line:column or left undecided, never a crash.
#include <gtest/gtest.h>

#include <sstream>

#include "atomixtest/check.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/history.hpp"

namespace atomixtest {
namespace {

constexpr int kDeep = 50000;

std::string hostile_error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput) << error.what();
        return error.what();
    }
    return "(accepted)";
}

std::string nested(const std::string& open, const std::string& close, int depth) {
    std::string text;
    for (int i = 0; i < depth; ++i) text += open;
    for (int i = 0; i < depth; ++i) text += close;
    return text;
}

TEST(HostileHistory, JsonLinesNestedTooDeepIsRefusedWithItsColumn) {
    std::stringstream in(R"({"process":0,"type":"invoke","f":"write","value":)" +
                         nested("[", "]", kDeep) + "}\n");
    auto error = hostile_error_of([&] { read_history_jsonl(in, "deep.jsonl"); });
    EXPECT_NE(error.find("deep.jsonl:1:"), std::string::npos) << error;
    EXPECT_NE(error.find("nested deeper than 200"), std::string::npos) << error;
    std::stringstream objects(R"({"process":0,"type":"invoke","f":"write","value":)" +
                              nested("{\"a\":", "}", kDeep) + "}\n");
    EXPECT_NE(
        hostile_error_of([&] { read_history_jsonl(objects, "o.jsonl"); }).find("nested deeper"),
        std::string::npos);
    // Brackets inside strings do not count.
    std::stringstream quoted(R"({"process":0,"type":"invoke","f":"write","value":")" +
                             std::string(kDeep, '[') + "\"}\n");
    EXPECT_EQ(read_history_jsonl(quoted, "q.jsonl").size(), 1u);
}

TEST(HostileHistory, EdnNestedTooDeepOrThroughDiscardsIsRefused) {
    auto deep = "{:process 0, :type :invoke, :f :write, :value " + nested("[", "]", kDeep) + "}";
    EXPECT_NE(hostile_error_of([&] {
                  read_history_edn(deep, "deep.edn");
              }).find("nested deeper than 200"),
              std::string::npos);
    // Each #_ reads the form after it, which may start with another #_.
    std::string discards;
    for (int i = 0; i < kDeep; ++i) discards += "#_";
    discards += "1 {:process 0, :type :invoke, :f :write, :value 1}";
    EXPECT_NE(hostile_error_of([&] { read_history_edn(discards, "d.edn"); }).find("nested deeper"),
              std::string::npos);
}

TEST(HostileHistory, AValueTooDeepFromMemoryIsBadInputNotACrash) {
    // Built and destroyed without recursion (nlohmann destroys iteratively).
    nlohmann::json value = nlohmann::json::array();
    for (int i = 0; i < kDeep; ++i) value = nlohmann::json::array({std::move(value)});
    // Moved in: a braced list would copy the event, and a copy recurses.
    History history;
    history.push_back({0, EventType::Invoke, "write", std::nullopt, std::move(value)});
    CheckOptions options{Model::Register};
    EXPECT_NE(
        hostile_error_of([&] { check_history(history, options); }).find("nested deeper than 200"),
        std::string::npos);
}

TEST(HostileHistory, ALineLongerThanAMebibyteIsRefusedWithoutReadingItWhole) {
    std::string line = R"({"process":0,"type":"invoke","f":"write","value":")" +
                       std::string(3 << 20, 'x') + "\"}\n";
    std::stringstream in("\n" + line);
    auto error = hostile_error_of([&] { read_history_jsonl(in, "long.jsonl"); });
    EXPECT_NE(error.find("long.jsonl:2:1048577: line longer than 1 MiB"), std::string::npos)
        << error.substr(0, 200);
    // A line just under the bound is read.
    std::stringstream fits(R"({"process":0,"type":"invoke","f":"write","value":")" +
                           std::string((1 << 20) - 100, 'x') + "\"}");
    EXPECT_EQ(read_history_jsonl(fits, "fits.jsonl").size(), 1u);
}

TEST(HostileHistory, AnEdnEventLongerThanAMebibyteIsRefused) {
    auto text =
        "{:process 0, :type :invoke, :f :write, :value 1}\n"
        "{:process 0, :type :ok, :f :write, :value \"" +
        std::string(3 << 20, 'x') + "\"}";
    auto error = hostile_error_of([&] { read_history_edn(text, "long.edn"); });
    EXPECT_NE(error.find("long.edn:2:"), std::string::npos) << error.substr(0, 200);
    EXPECT_NE(error.find("an event longer than 1 MiB"), std::string::npos) << error.substr(0, 200);
}

TEST(HostileHistory, OperationsBeyondTheMemoryLimitLeaveTheHistoryUndecided) {
    History history;
    for (int i = 0; i < 200000; ++i) {
        history.push_back({i % 8, EventType::Invoke, "write", std::nullopt, i});
        history.push_back({i % 8, EventType::Ok, "write", std::nullopt, i});
    }
    CheckOptions options{Model::Register};
    options.memory_limit = 1 << 20;  // 200,000 operations take about 40 MiB
    auto result = check_history(history, options);
    EXPECT_EQ(result.verdict, Verdict::Unknown);
    EXPECT_EQ(result.undecided, Undecided::MemoryLimit);
    EXPECT_TRUE(result.keys.empty());
    EXPECT_NE(format_check_result(result).find("undecided (memory limit)"), std::string::npos)
        << format_check_result(result);
    options.memory_limit = size_t{1} << 30;
    EXPECT_EQ(check_history(history, options).verdict, Verdict::Linearizable);
}

}  // namespace
}  // namespace atomixtest
