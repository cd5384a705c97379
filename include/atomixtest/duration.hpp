// Durations as users write them: "10m30s", "200ms", "1.5s", "1h". A bare number
// is accepted only where the caller names a default unit (the CLI's --latency 200).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace atomixtest {

using Duration = std::chrono::nanoseconds;

// The longest duration accepted anywhere: 30 days. A test runs for hours; a
// longer figure is a typo, and past int64 nanoseconds (292 years) it would
// wrap around.
constexpr Duration kMaxDuration = std::chrono::hours(24 * 30);

// Throws Error(BadInput) naming the text and the accepted forms, or the
// longest duration accepted.
Duration parse_duration(std::string_view text, std::string_view default_unit = {});
std::string format_duration(Duration duration);

// The JSON Schema pattern that matches what parse_duration accepts (no bare numbers).
extern const char* const kDurationPattern;

}  // namespace atomixtest
