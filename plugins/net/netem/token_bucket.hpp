// tbf's token bucket, for the userspace driver: tokens (bytes) come at the
// rate into a bucket that holds at most the burst; a packet leaves once the
// bucket holds its size, in the order packets came, and one that would wait
// longer than the limit's latency is dropped, as tbf drops what overflows its
// queue. Packets are counted as tbf counts them, with their Ethernet header.
#pragma once

#include <chrono>
#include <optional>

#include "netem_spec.hpp"

namespace atomixtest::net {

class TokenBucket {
  public:
    using Clock = std::chrono::steady_clock;
    constexpr static int64_t kLinkHeader =
        14;  // Ethernet's, which tbf counts and NFQUEUE does not show

    TokenBucket(const RateLimit& limit, Clock::time_point now);

    // When a packet of `ip_bytes` ready at `ready` leaves; nullopt: dropped.
    std::optional<Clock::time_point> departure(Clock::time_point ready, int64_t ip_bytes);

  private:
    double bytes_per_ns_;
    double burst_;
    std::chrono::nanoseconds patience_;
    double tokens_;           // at last_
    Clock::time_point last_;  // the last departure (or the start)
};

}  // namespace atomixtest::net
