// The HTML report in a real browser (Debian's chromium, headless): it loads
// from a file with no console error and needs no network, its DOM holds the
// timeline's marks and the fault windows, and a screenshot can be taken. The
// browser runs in a network namespace of its own with only a loopback that is
// down (unshare -n): the page cannot fetch anything, and neither can the
// browser's own updaters.
#include <gtest/gtest.h>

#include <fstream>

#include "text_search.hpp"

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

// A results directory holding only a history, as one from elsewhere would.
fs::path history_only(const std::string& name, int operations) {
    auto dir = fs::temp_directory_path() / unique_cluster(name);
    fs::create_directories(dir);
    std::ofstream out(dir / "history.jsonl");
    int64_t now = 0;
    for (int i = 0; i < operations; ++i) {
        if (i == operations / 2) {
            out << R"({"process":"nemesis","type":"info","f":"start","value":{"fault":"crash","nodes":1},"time":)"
                << now << "}\n";
        }
        out << R"({"process":)" << i % 3
            << R"(,"type":"invoke","f":"put","key":"k","value":"1","time":)" << now << "}\n";
        now += 2'000'000;
        out << R"({"process":)" << i % 3 << R"(,"type":")" << (i % 7 == 0 ? "info" : "ok")
            << R"(","f":"put","key":"k","value":"1","time":)" << now << "}\n";
    }
    return dir;
}

struct Browser {
    std::string dom;
    std::string log;
};

Browser open_in_browser(const fs::path& page, const fs::path& screenshot) {
    auto net_log = page.parent_path() / "net-log.json";
    std::vector<std::string> common = {"chromium",
                                       "--headless",
                                       "--no-sandbox",
                                       "--disable-gpu",
                                       "--enable-logging=stderr",
                                       "--v=0",
                                       "--log-net-log=" + net_log.string()};
    auto dump = common;
    dump.insert(dump.end(), {"--dump-dom", "file://" + page.string()});
    auto result = run_process({.argv = dump});
    auto shot = common;
    shot.insert(shot.end(), {"--window-size=1300,2000", "--screenshot=" + screenshot.string(),
                             "file://" + page.string()});
    run_process({.argv = shot});
    return {result.out, result.err};
}

TEST(ReportInABrowser, LoadsOfflineWithoutErrorsAndDrawsEveryMark) {
    auto dir = history_only("report-browser", 120);
    auto made = cli({"report", dir.string()});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    auto browser = open_in_browser(dir / "report.html", dir / "report.png");
    ASSERT_FALSE(browser.dom.empty()) << browser.log;
    EXPECT_NE(browser.dom.find("id=\"timeline\""), std::string::npos);
    EXPECT_EQ(count_of(browser.dom, "class=\"op "), 120u) << "one mark per operation";
    EXPECT_EQ(count_of(browser.dom, "class=\"fault\""), 3u) << "the crash in all three charts";
    EXPECT_NE(browser.dom.find("id=\"verdict\""), std::string::npos);
    // Console messages reach the log as "CONSOLE"; none is expected.
    auto console = browser.log.find("CONSOLE");
    EXPECT_EQ(console, std::string::npos)
        << browser.log.substr(console == std::string::npos ? 0 : console, 400);
    // Offline, yet complete: it names nothing to fetch.
    for (const char* fetches : {"src=", "href=", "url(", "@import", "<script", "<link"}) {
        EXPECT_EQ(browser.dom.find(fetches), std::string::npos) << fetches;
    }
    EXPECT_GT(fs::file_size(dir / "report.png"), 10'000u) << "a screenshot was taken";
    fs::remove_all(dir);
}

TEST(ReportInABrowser, AReportWithoutAHistoryIsRefused) {
    auto dir = fs::temp_directory_path() / unique_cluster("report-empty");
    fs::create_directories(dir);
    auto made = cli({"report", dir.string()});
    EXPECT_EQ(made.exit_code, 2);
    EXPECT_NE(made.err.find("no history.jsonl or history.edn"), std::string::npos) << made.err;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace atomixtest::testing
