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

using Clock = std::chrono::steady_clock;

RateMeasure measure_rate(const std::string& from_netns, const std::string& to_netns,
                         const std::string& to_ip, int64_t total, int packet, int64_t burst) {
    int payload = probe_payload(packet);
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
            int fd = probe_receiver_socket(0);
            sockaddr_in address{};
            socklen_t length = sizeof address;
            if (fd < 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
                receiver_errno = errno;
                if (fd >= 0) close(fd);
                return;
            }
            port = ntohs(address.sin_port);
            std::vector<char> data(65536);
            auto last = Clock::now();
            while (true) {
                ssize_t n = recv(fd, data.data(), data.size(), 0);
                auto now = Clock::now();
                if (n > 0) {
                    arrivals.push_back({now, n + kProbeHeaders});
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
            int fd = probe_sender_socket(payload);
            sockaddr_in peer{};
            peer.sin_family = AF_INET;
            peer.sin_port = htons(port);
            inet_pton(AF_INET, to_ip.c_str(), &peer.sin_addr);
            auto started = Clock::now();
            measure.sent = send_probe_bytes(fd, peer, total, payload);
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
    auto bytes_sent = measure.sent;
    measure = measure_arrivals(arrivals, burst);
    measure.sent = bytes_sent;
    return measure;
}

}  // namespace atomixtest::net
