// Bandwidths as tc(8) writes them, so that `rate: 1mbit` means what it means
// to anyone who has shaped a link: bit (or a bare number), kbit, mbit, gbit
// are bits per second in powers of 1000 (kibit, mibit, gibit in powers of
// 1024); bps, kbps, mbps, gbps are *bytes* per second. Case does not matter.
#pragma once

#include <cstdint>
#include <string>

namespace atomixtest {

// The highest rate accepted: 100 gbit, above any link a cluster here has.
constexpr int64_t kMaxRate = 100'000'000'000;

// Bits per second, above 0. Throws BadInput naming `what` and the accepted forms.
int64_t parse_rate(const std::string& text, const std::string& what);

// The rate in tc's words, exact: "1mbit", "1500kbit", "8200bit".
std::string format_rate(int64_t bits_per_second);

// The JSON Schema pattern matching what parse_rate accepts as text.
extern const char* const kRatePattern;

}  // namespace atomixtest
