#include "token_bucket.hpp"

#include <algorithm>

namespace atomixtest::net {

TokenBucket::TokenBucket(const RateLimit& limit, Clock::time_point now)
    : bytes_per_ns_(static_cast<double>(limit.bits_per_second) / 8e9),
      burst_(static_cast<double>(limit.burst_bytes)),
      patience_(limit.latency),
      tokens_(burst_),
      last_(now) {}

std::optional<TokenBucket::Clock::time_point> TokenBucket::departure(Clock::time_point ready,
                                                                     int64_t ip_bytes) {
    // Packets leave in order: none before the one ahead of it.
    auto at = std::max(ready, last_);
    double tokens =
        std::min(burst_, tokens_ + bytes_per_ns_ * static_cast<double>((at - last_).count()));
    double size = static_cast<double>(ip_bytes + kLinkHeader);
    if (tokens < size) {
        auto wait =
            std::chrono::nanoseconds(static_cast<int64_t>((size - tokens) / bytes_per_ns_) + 1);
        if (at + wait - ready > patience_) return std::nullopt;  // the queue is full
        at += wait;
        tokens = size;
    }
    tokens_ = tokens - size;
    last_ = at;
    return at;
}

}  // namespace atomixtest::net
