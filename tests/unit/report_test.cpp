// The HTML report's structure, from results directories made here: every
// operation drawn (or its column, for a large history), fault windows shaded,
// the failing window marked, nothing fetched from anywhere.
#include <gtest/gtest.h>

#include <fstream>

#include <random>
#include "text_search.hpp"

#include "atomixtest/error.hpp"
#include "atomixtest/history.hpp"
#include "report/html_report.hpp"

namespace atomixtest {
namespace {

using testing::count_of;
namespace fs = std::filesystem;

// A history of `operations` operations by `processes` processes, some failed
// or unknown, with a fault in force over its middle third.
fs::path results_with(size_t operations, int processes, const std::string& name) {
    auto dir = fs::temp_directory_path() / ("atomix-test-report-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir / "logs");
    std::ofstream out(dir / "history.jsonl");
    std::mt19937_64 random(1);
    int64_t now = 0;
    auto write = [&](const HistoryEvent& event) { out << to_jsonl(event) << "\n"; };
    for (size_t i = 0; i < operations; ++i) {
        if (i == operations / 3 || i == 2 * operations / 3) {
            HistoryEvent fault{kNemesisProcess, EventType::Info,
                               i == operations / 3 ? "start" : "stop"};
            fault.value = {{"fault", "partition-isolate"}, {"nodes", 2}};
            fault.time_ns = now;
            write(fault);
        }
        int64_t process = static_cast<int64_t>(i % static_cast<size_t>(processes));
        HistoryEvent invoke{process, EventType::Invoke, "put", "k1", "1"};
        invoke.time_ns = now;
        write(invoke);
        now += 1'000'000;
        auto roll = random() % 10;
        auto type = roll < 7 ? EventType::Ok : roll < 9 ? EventType::Fail : EventType::Info;
        HistoryEvent complete{process, type, "put", "k1", "1"};
        complete.time_ns = now;
        write(complete);
    }
    std::ofstream(dir / "logs" / "node-1.log") << "a line of node 1's log <with markup>\n";
    std::ofstream(dir / "command.txt") << "atomix-test entropy --seed 7 crash\n";
    return dir;
}

std::string report_of(const fs::path& dir) {
    auto file = write_report(dir);
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Report, EveryOperationIsABarAndFaultsAreShadedInEveryChart) {
    auto dir = results_with(300, 4, "small");
    auto html = report_of(dir);
    EXPECT_EQ(count_of(html, "<rect class=\"op "), 300u);
    EXPECT_EQ(count_of(html, "<rect class=\"fault\""), 3u) << "timeline, latency, throughput";
    EXPECT_NE(html.find("partition-isolate (node 2)"), std::string::npos);
    EXPECT_NE(html.find("process 3"), std::string::npos) << "one lane per process";
    EXPECT_NE(html.find("atomix-test entropy --seed 7 crash"), std::string::npos);
    EXPECT_NE(html.find("&lt;with markup&gt;"), std::string::npos) << "log text is escaped";
    EXPECT_TRUE(fs::exists(dir / "summary.json")) << "made from the history when absent";
    fs::remove_all(dir);
}

TEST(Report, NothingIsFetchedOrRun) {
    auto dir = results_with(50, 2, "offline");
    auto html = report_of(dir);
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    fs::remove_all(dir);
}

TEST(Report, TheFailingWindowIsMarkedAndListed) {
    auto dir = results_with(40, 2, "failing");
    // The checker's record: operations by the history line of their invocation.
    std::ofstream(dir / "check.json") << R"({"verdict": "not linearizable", "failing": [
        {"key": "k1", "prefix_length": 3, "state": "1",
         "operations": [{"process": 0, "type": "ok", "f": "get", "value": null,
                         "result": "9", "invoke_line": 5, "complete_line": 6}]}]})";
    auto html = report_of(dir);
    EXPECT_NE(html.find("not linearizable"), std::string::npos);
    EXPECT_NE(html.find("class=\"verdict fail\""), std::string::npos);
    EXPECT_EQ(count_of(html, "<rect class=\"failing\""), 1u);
    EXPECT_NE(html.find("Failing window"), std::string::npos);
    fs::remove_all(dir);
}

TEST(Report, ALargeHistoryIsDrawnPerColumnAndStaysSmall) {
    auto dir = results_with(100'000, 8, "large");
    auto html = report_of(dir);
    EXPECT_EQ(count_of(html, "<rect class=\"op "), 0u) << "columns, not operations";
    EXPECT_GT(count_of(html, "<rect class=\"ok\""), 8u);
    EXPECT_LT(html.size(), 2u << 20) << "the drawing does not grow with the history";
    fs::remove_all(dir);
}

TEST(Report, ADirectoryWithoutAHistoryIsNamed) {
    auto dir = fs::temp_directory_path() / "atomix-test-report-empty";
    fs::create_directories(dir);
    try {
        write_report(dir);
        ADD_FAILURE() << "a report without a history";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("no history.jsonl"), std::string::npos);
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace atomixtest
