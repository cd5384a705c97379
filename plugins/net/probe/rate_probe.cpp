#include "probe/rate_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

#include "atomixtest/error.hpp"
#include "atomixtest/netns.hpp"

namespace atomixtest::net {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kHeaders = 20 + 8 + 14;  // IP, UDP, Ethernet: what tbf counts beside the payload

struct Arrival {
    Clock::time_point at;
    int64_t bytes;
};

}  // namespace

double RateMeasure::bits_per_second() const {
    if (tail <= 0 || tail_took.count() <= 0) return 0;
    return static_cast<double>(tail) * 8e6 / static_cast<double>(tail_took.count());
}

RateMeasure measure_rate(const std::string& from_netns, const std::string& to_netns,
                         const std::string& to_ip, int64_t total, int packet, int64_t burst) {
    int payload = std::max(16, packet - kHeaders);
    RateMeasure measure;
    std::vector<Arrival> arrivals;
    std::atomic<uint16_t> port{0};
    std::atomic<bool> sent{false};
    std::atomic<int64_t> quiet_after_us{0};
    // A receiver that cannot listen ends the probe at once, rather than
    // leave the sender waiting for a port or measure nothing as "no rate".
    std::atomic<int> receiver_errno{0};
    for_each_network_namespace({to_netns, from_netns}, [&](size_t role) {
        if (role == 0) {
            int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            socklen_t length = sizeof address;
            int buffer = 8 << 20;
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
            if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
                getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
                receiver_errno = errno;
                if (fd >= 0) close(fd);
                return;
            }
            timeval wait{0, 10'000};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
            port = ntohs(address.sin_port);
            std::vector<char> data(65536);
            auto last = Clock::now();
            while (true) {
                ssize_t n = recv(fd, data.data(), data.size(), 0);
                auto now = Clock::now();
                if (n > 0) {
                    arrivals.push_back({now, n + kHeaders});
                    last = now;
                    continue;
                }
                // Done once the sender is and nothing came for a while.
                auto quiet = std::chrono::microseconds(quiet_after_us.load());
                if (sent && now - last > quiet) break;
            }
            close(fd);
        } else {
            while (port == 0 && receiver_errno == 0)
                std::this_thread::sleep_for(std::chrono::microseconds(100));
            if (receiver_errno != 0) return;
            int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            int buffer = 4 * (payload + kHeaders);
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
            timeval patience{2, 0};  // a shaper that never lets go must not hang the check
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &patience, sizeof patience);
            sockaddr_in peer{};
            peer.sin_family = AF_INET;
            peer.sin_port = htons(port);
            inet_pton(AF_INET, to_ip.c_str(), &peer.sin_addr);
            std::vector<char> message(static_cast<size_t>(payload), 'r');
            auto started = Clock::now();
            for (int64_t done = 0; done < total; done += payload + kHeaders) {
                if (sendto(fd, message.data(), message.size(), 0,
                           reinterpret_cast<sockaddr*>(&peer), sizeof peer) < 0 &&
                    errno == EAGAIN) {
                    break;
                }
                measure.sent += payload + kHeaders;
            }
            close(fd);
            // What the shaper still holds drains at the rate: wait for it a
            // while after the last send, longer when sending took long.
            auto took =
                std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
            quiet_after_us = std::max<int64_t>(200'000, took.count() / 4);
            sent = true;
        }
    });
    if (receiver_errno != 0) {
        throw Error(ErrorKind::Unavailable, "the rate probe cannot listen in " + to_netns + ": " +
                                                std::strerror(receiver_errno));
    }
    // The burst's bytes, then the tail; only the tail's second half is timed:
    // tokens that came while the burst was being sent still pass at once at
    // the start of the tail.
    size_t tail_start = arrivals.size();
    int64_t seen = 0;
    for (size_t i = 0; i < arrivals.size(); ++i) {
        measure.arrived += arrivals[i].bytes;
        if (tail_start == arrivals.size() && (seen += arrivals[i].bytes) >= burst) tail_start = i;
    }
    size_t timed_from = tail_start + (arrivals.size() - tail_start) / 2;
    if (timed_from + 1 < arrivals.size()) {
        for (size_t i = timed_from + 1; i < arrivals.size(); ++i) measure.tail += arrivals[i].bytes;
        measure.tail_took = std::chrono::duration_cast<std::chrono::microseconds>(
            arrivals.back().at - arrivals[timed_from].at);
    }
    return measure;
}

}  // namespace atomixtest::net
