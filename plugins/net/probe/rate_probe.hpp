// The proof that a rate is in force: a burst of UDP probe bytes from one
// node to a peer, as fast as the sender's socket lets them go, timed at the
// receiver. Past the bucket's burst, bytes can arrive no faster than the
// rate. Bytes are counted as tbf counts them (with their IP, UDP and
// Ethernet headers), so the rate measured is comparable to the rate asked.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "probe/rate_stream.hpp"

namespace atomixtest::net {

// Sends `total` bytes in datagrams of about `packet` bytes; the first
// `burst` bytes to arrive are the bucket's and are not timed. The sender's
// socket buffer is small, so a shaper holding packets holds the sender too
// rather than dropping what overflows its queue.
RateMeasure measure_rate(const std::string& from_netns, const std::string& to_netns,
                         const std::string& to_ip, int64_t total, int packet, int64_t burst);

}  // namespace atomixtest::net
