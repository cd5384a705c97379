// Availability during and outside faults, from the history's own events.
#include "history/availability.hpp"

#include <gtest/gtest.h>

namespace atomixtest {
namespace {

HistoryEvent event(int64_t process, EventType type, const std::string& f,
                   nlohmann::json value = nullptr) {
    HistoryEvent e;
    e.process = process;
    e.type = type;
    e.f = f;
    e.value = std::move(value);
    return e;
}

TEST(Availability, AnswersCountAndRefusalsDoNotDuringAndOutsideFaults) {
    AvailabilityTally tally;
    auto invoked = event(0, EventType::Invoke, "put", "1");
    invoked.time_ns = 1'000'000;
    tally.add(invoked);
    auto ok = event(0, EventType::Ok, "put", "1");  // outside, answered
    ok.time_ns = 4'000'000;
    tally.add(ok);
    tally.add(event(kNemesisProcess, EventType::Info, "start", {{"fault", "crash"}}));
    tally.add(event(1, EventType::Invoke, "get"));
    tally.add(event(2, EventType::Invoke, "cas", {"1", "2"}));
    tally.add(event(1, EventType::Fail, "get", {{"error", "connection refused"}}));  // refused
    tally.add(event(kNemesisProcess, EventType::Info, "stop", {{"fault", "crash"}}));
    // Invoked during the fault, answered after it: counts for the fault.
    tally.add(event(2, EventType::Fail, "cas", {"1", "2"}));  // a cas answered "no"
    tally.add(event(3, EventType::Invoke, "put", "4"));
    tally.add(event(3, EventType::Info, "put", {{"error", "timed out"}}));
    auto result = tally.result();
    EXPECT_EQ(result.during_faults.invoked, 2u);
    EXPECT_EQ(result.during_faults.answered, 1u);
    EXPECT_EQ(result.outside_faults.invoked, 2u);
    EXPECT_EQ(result.outside_faults.answered, 1u);
    EXPECT_DOUBLE_EQ(result.overall().ratio(), 0.5);
    EXPECT_EQ(result.to_json()["during_faults"]["availability"], 0.5);
    EXPECT_EQ(result.ok_latencies_ns, std::vector<int64_t>{3'000'000}) << "ok operations only";
    EXPECT_EQ(result.to_json()["ok_latency"]["p99_ms"], 3.0);
}

TEST(Availability, NoOperationsMeansNothingWasRefused) {
    EXPECT_DOUBLE_EQ(AvailabilityTally().result().overall().ratio(), 1.0);
}

}  // namespace
}  // namespace atomixtest
