// The two ends of the rate probe (rate_probe.hpp), shared by the probe this
// process runs inside the nodes' namespaces and the node tool's
// `rate-send` / `rate-receive`, which run in nodes this process cannot
// enter: how bytes are sent, how they are counted as tbf counts them, and
// what the arrivals say of the rate.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace atomixtest::net {

// IP, UDP, Ethernet: what tbf counts beside the payload.
constexpr int kProbeHeaders = 20 + 8 + 14;

struct RateMeasure {
    int64_t sent = 0;     // bytes
    int64_t arrived = 0;  // bytes
    int64_t tail = 0;     // bytes timed: the second half of those after the burst
    std::chrono::microseconds tail_took{0};

    // Of the tail; 0 when too little came to say.
    double bits_per_second() const;
};

struct Arrival {
    std::chrono::steady_clock::time_point at;
    int64_t bytes;  // with the headers
};

// The payload of a probe datagram of about `packet` bytes on the wire.
int probe_payload(int packet);

// A receiving socket bound to the port (0: any), with room for a whole
// probe and a 10 ms receive timeout. -1 on failure (errno says why).
int probe_receiver_socket(int port);

// A sending socket whose buffer holds a few datagrams: a shaper holding
// packets holds the sender too, rather than dropping what overflows. -1 on
// failure.
int probe_sender_socket(int payload);

// Sends `total` bytes (headers counted) to `peer`, as fast as the socket
// lets them go; stops early when a send waits longer than the socket's
// patience. Returns the bytes sent.
int64_t send_probe_bytes(int fd, const sockaddr_in& peer, int64_t total, int payload);

// What the arrivals say: the first `burst` bytes are the bucket's and are not
// timed, nor is the first half of the rest (tokens that came while the burst
// was sent still pass at once at its start).
RateMeasure measure_arrivals(const std::vector<Arrival>& arrivals, int64_t burst);

}  // namespace atomixtest::net
