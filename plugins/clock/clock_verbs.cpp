#include "clock_verbs.hpp"

#include <cmath>
#include <cstdlib>

#include "atomixtest/duration.hpp"
#include "atomixtest/error.hpp"

namespace atomixtest::clock {

namespace {

Param nodes(AbsentNodes absent, const std::string& help) {
    return param("node", ParamType::Nodes, help).when_absent(absent);
}

std::string signed_pattern() {
    return std::string("^[+-]?") + (kDurationPattern + 1);  // the SDK's, after its ^
}

// The strobe's period: at least a millisecond, the daemon's resolution.
Param strobe_period() {
    auto period = param("period", ParamType::Duration, "how long each side lasts")
                      .default_value("10ms")
                      .bare_unit("ms")
                      .no_longer_than("duration");
    period.minimum = 1;
    return period;
}

}  // namespace

std::vector<VerbSpec> clock_verbs() {
    const std::string whose = "the nodes whose clock changes";
    return {
        {"bump",
         "jump the wall clock of a node's processes by offset (negative: back); the host and "
         "the other nodes keep theirs",
         {nodes(AbsentNodes::Random, whose),
          param("offset", ParamType::Json, "how far the clock jumps: -5s back, 2m forward")
              .require()
              .shaped({{"type", "string"}, {"pattern", signed_pattern()}})},
         true},
        {"strobe",
         "flip the wall clock of a node's processes forward by delta and back, every period, "
         "for duration (then it is where it was)",
         {nodes(AbsentNodes::Random, whose),
          param("delta", ParamType::Duration, "how far the clock flips forward")
              .default_value("200ms")
              .bare_unit("ms"),
          strobe_period(),
          param("duration", ParamType::Duration, "how long the clock flips")
              .default_value("5s")
              .bare_unit("s")},
         true},
        {"rate",
         "make the wall clock of a node's processes run at rate times real time from now on "
         "(1.5: fast, 0.5: slow)",
         {nodes(AbsentNodes::Random, whose),
          param("rate", ParamType::Number, "how fast the clock runs").require().range(0.01, 100)},
         true},
        {"reset",
         "put back the clock of a node's processes (of every node if absent)",
         {nodes(AbsentNodes::All, "the nodes whose clock is put back")}},
    };
}

std::chrono::nanoseconds signed_duration(const std::string& text) {
    bool back = !text.empty() && text[0] == '-';
    bool sign = !text.empty() && (text[0] == '-' || text[0] == '+');
    auto magnitude = parse_duration(sign ? text.substr(1) : text);
    return back ? -magnitude : magnitude;
}

std::string format_signed(int64_t ns) {
    auto magnitude = format_duration(std::chrono::nanoseconds(std::llabs(ns)));
    return (ns < 0 ? "-" : "+") + magnitude;
}

void bump(ClockData& data, int64_t offset_ns) {
    data.offsets[0] += offset_ns;
    data.offsets[1] += offset_ns;
    data.bump_ns += offset_ns;
}

// The drift of the rate so far goes into the offsets, so that the clock
// goes on from where it is, at the new rate, without a jump.
void set_rate(ClockData& data, double rate, int64_t now_ns) {
    auto rate_alone = data;
    rate_alone.offsets[0] = rate_alone.offsets[1] = 0;
    auto drift = adjusted_ns(rate_alone, now_ns) - now_ns;
    data.offsets[0] += drift;
    data.offsets[1] += drift;
    data.base_ns = now_ns;
    data.rate_fp = static_cast<int64_t>(std::llround(rate * static_cast<double>(kRateOne)));
    data.rate = rate;
}

void arm_strobe(ClockData& data, int64_t delta_ns, int64_t period_ns, int64_t until_ns) {
    data.offsets[1] = data.offsets[0] + delta_ns;
    data.selector = 1;  // the daemon flips it back first
    data.strobe_delta_ns = delta_ns;
    data.strobe_period_ns = period_ns;
    data.strobe_until_ns = until_ns;
}

}  // namespace atomixtest::clock
