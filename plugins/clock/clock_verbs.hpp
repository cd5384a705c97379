// The clock plugin's verbs: their declarations (the params, their defaults
// and help, written once) and what each asks of a node's clock data.
#pragma once

#include <chrono>
#include <vector>

#include "atomixtest/verb.hpp"
#include "clock_page.hpp"

namespace atomixtest::clock {

std::vector<VerbSpec> clock_verbs();

// "-5s" -> -5,000,000,000 ns; "+2m" and "2m" forward.
std::chrono::nanoseconds signed_duration(const std::string& text);
// -5,000,000,000 ns -> "-5s".
std::string format_signed(int64_t ns);

// What each verb does to the data of a node's processes, given the real
// time now (ns): the wall clock jumps, runs at a rate, or gets its second
// offset for the strobe.
void bump(ClockData& data, int64_t offset_ns);
void set_rate(ClockData& data, double rate, int64_t now_ns);
void arm_strobe(ClockData& data, int64_t delta_ns, int64_t period_ns, int64_t until_ns);

}  // namespace atomixtest::clock
