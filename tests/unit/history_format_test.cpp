// Histories in JSON Lines and EDN: read, written, round-tripped, recorded, and
// refused with file:line:column.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/history.hpp"

namespace atomixtest {
namespace {

History sample() {
    return {
        {0, EventType::Invoke, "write", std::nullopt, 3, 100},
        {0, EventType::Ok, "write", std::nullopt, 3, 200},
        {1, EventType::Invoke, "cas", std::nullopt, nlohmann::json::array({3, 4}), 300},
        {kNemesisProcess,
         EventType::Info,
         "start",
         std::nullopt,
         {{"fault", "net.isolate"}, {"node", 1}},
         350},
        {1, EventType::Info, "cas", std::nullopt, nlohmann::json::array({3, 4}), 400},
        {2, EventType::Invoke, "get", "4", nullptr, 500},
        {2, EventType::Ok, "get", "4", "x 0 1 \"y\"\n", 600},
        {3, EventType::Invoke, "read", std::nullopt, nullptr, 0},
        {3, EventType::Fail, "read", std::nullopt, nullptr, 0},
    };
}

void expect_same(const History& a, const History& b) {
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].process, b[i].process) << i;
        EXPECT_EQ(a[i].type, b[i].type) << i;
        EXPECT_EQ(a[i].f, b[i].f) << i;
        EXPECT_EQ(a[i].key, b[i].key) << i;
        EXPECT_EQ(a[i].value, b[i].value) << i;
        EXPECT_EQ(a[i].time_ns, b[i].time_ns) << i;
    }
}

History via_jsonl(const History& history) {
    std::stringstream text;
    write_history_jsonl(text, history);
    return read_history_jsonl(text, "t.jsonl");
}

History via_edn(const History& history) {
    std::stringstream text;
    write_history_edn(text, history);
    return read_history_edn(text.str(), "t.edn");
}

std::string read_error_of(const std::function<void()>& read) {
    try {
        read();
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::BadInput);
        return error.what();
    }
    return "(accepted)";
}

TEST(HistoryFormat, JsonlAndEdnRoundTripEachOtherExactly) {
    auto history = sample();
    expect_same(via_jsonl(history), history);
    expect_same(via_edn(history), history);
    expect_same(via_edn(via_jsonl(history)), history);
    expect_same(via_jsonl(via_edn(history)), history);
}

TEST(HistoryFormat, WritesJepsenStyleEdn) {
    EXPECT_EQ(to_edn({0, EventType::Invoke, "write", std::nullopt, 3}),
              "{:process 0, :type :invoke, :f :write, :value 3}");
    EXPECT_EQ(to_edn({0, EventType::Ok, "get", "4", "x 0 1 y"}),
              "{:process 0, :type :ok, :f :get, :key \"4\", :value \"x 0 1 y\"}");
    EXPECT_EQ(to_edn({kNemesisProcess, EventType::Info, "start", std::nullopt, nullptr}),
              "{:process :nemesis, :type :info, :f :start, :value nil}");
    EXPECT_EQ(to_jsonl({1, EventType::Ok, "cas", std::nullopt, nlohmann::json::array({1, 2}), 7}),
              R"({"process":1,"type":"ok","f":"cas","value":[1,2],"time":7})");
}

TEST(HistoryFormat, ReadsJepsenHistoriesAsTheyCome) {
    // One vector of maps, numeric keys, extra fields, sets for reads.
    auto history = read_history_edn(
        "[{:type :invoke, :f :read, :value nil, :process 0, :time 12, :index 0}\n"
        " {:type :ok, :f :read, :value #{1 2}, :process 0, :time 15, :index 1}\n"
        " {:type :info, :f :kill, :value :majority, :process :nemesis}]",
        "h.edn");
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[1].value, nlohmann::json::array({1, 2}));
    EXPECT_EQ(history[1].line, 2u);
    EXPECT_EQ(history[2].process, kNemesisProcess);
    EXPECT_EQ(history[2].value, "majority");
    auto keyed = read_history_edn("{:process 0, :type :invoke, :f :get, :key 4, :value nil}", "k");
    EXPECT_EQ(keyed[0].key, "4");
}

TEST(HistoryFormat, BadEventsNameFileLineAndColumn) {
    auto jsonl = [](const std::string& text) {
        return read_error_of([&] {
            std::stringstream in(text);
            read_history_jsonl(in, "h.jsonl");
        });
    };
    EXPECT_NE(jsonl("{\"process\":0,\"type\":\"invoke\",\"f\":\"write\"}\n{\"process\":0,")
                  .find("h.jsonl:2:"),
              std::string::npos);
    EXPECT_NE(jsonl("\n{\"process\":0,\"type\":\"done\",\"f\":\"write\"}")
                  .find("h.jsonl:2:14: the type is invoke, ok, fail or info"),
              std::string::npos);
    EXPECT_NE(jsonl("{\"process\":-3,\"type\":\"ok\",\"f\":\"x\"}").find("h.jsonl:1:2:"),
              std::string::npos);
    EXPECT_NE(jsonl("{\"type\":\"ok\",\"f\":\"x\"}").find("h.jsonl:1:1: the event has no process"),
              std::string::npos);
    EXPECT_NE(jsonl("[1,2]").find("h.jsonl:1:1: an event is a map"), std::string::npos);
    auto edn = [](const std::string& text) {
        return read_error_of([&] { read_history_edn(text, "h.edn"); });
    };
    EXPECT_NE(edn("{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0 :type}")
                  .find("h.edn:2:13: the key type has no value"),
              std::string::npos);
    EXPECT_NE(edn("{:process 0, :type :ok, :f 3}").find("h.edn:1:25: f names the operation"),
              std::string::npos);
    EXPECT_NE(edn("[{:process 0, :type :ok, :f :x}").find("unterminated history vector"),
              std::string::npos);
    EXPECT_NE(edn(":process").find("h.edn:1:1: expected an event map"), std::string::npos);
}

TEST(HistoryRecorder, StampsOrdersAndStreamsEventsFromManyThreads) {
    auto file = std::filesystem::temp_directory_path() /
                ("recorder-" + std::to_string(::getpid()) + ".jsonl");
    {
        HistoryRecorder recorder(file, HistoryFormat::Jsonl, true);
        std::vector<std::thread> threads;
        for (int p = 0; p < 4; ++p) {
            threads.emplace_back([&recorder, p] {
                for (int i = 0; i < 50; ++i) {
                    recorder.invoke(p, "write", std::nullopt, i);
                    recorder.complete(p, EventType::Ok, "write", std::nullopt, i);
                }
            });
        }
        for (auto& thread : threads) thread.join();
        auto events = recorder.events();
        ASSERT_EQ(events.size(), 400u);
        for (size_t i = 1; i < events.size(); ++i) {
            EXPECT_LE(events[i - 1].time_ns, events[i].time_ns) << "the stream is in time order";
        }
        std::ifstream in(file);
        expect_same(read_history_jsonl(in, file.string()), events);
    }
    std::filesystem::remove(file);
    EXPECT_THROW(HistoryRecorder("/nonexistent-dir/h.jsonl", HistoryFormat::Jsonl, false), Error);
}

}  // namespace
}  // namespace atomixtest
