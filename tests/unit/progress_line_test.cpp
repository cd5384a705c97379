#include "entropy/progress_line.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace atomixtest {
namespace {

TEST(ProgressLine, SaysTheCountsTheRateTheFaultsAndTheTimeLeft) {
    WorkloadCounts counts{.invoked = 40, .ok = 30, .fail = 8, .info = 2};
    auto text =
        progress_text(std::chrono::seconds(4), std::chrono::seconds(60), counts, "crash (nodes 2)");
    EXPECT_EQ(text, "[    4s/60s] 30 ok, 8 fail, 2 info, 10 ops/s | crash (nodes 2) | 56s left");
}

TEST(ProgressLine, NoFaultAndNeverANegativeTimeLeft) {
    auto text = progress_text(std::chrono::seconds(61), std::chrono::seconds(60), {}, "");
    EXPECT_NE(text.find("| no fault | 0s left"), std::string::npos) << text;
}

TEST(ProgressLine, EachStyleWritesWhatItSays) {
    std::ostringstream lines, in_place, none;
    for (const auto& text : {"one", "two"}) {
        print_progress(lines, ProgressStyle::Lines, text);
        print_progress(in_place, ProgressStyle::InPlace, text);
        print_progress(none, ProgressStyle::None, text);
    }
    end_progress(lines, ProgressStyle::Lines);
    end_progress(in_place, ProgressStyle::InPlace);
    end_progress(none, ProgressStyle::None);
    EXPECT_EQ(lines.str(), "one\ntwo\n");
    EXPECT_EQ(in_place.str(), "\rone\x1b[K\rtwo\x1b[K\n");
    EXPECT_EQ(none.str(), "");
}

}  // namespace
}  // namespace atomixtest
