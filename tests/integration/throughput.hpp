// The bandwidth a link carries, seen by the receiver: UDP datagrams blasted
// from one node's namespace to another's, and the rate at which they arrive
// once the shaper's burst has passed, counted in the bytes a link carries
// (IP, UDP and Ethernet headers with each payload). A shaper's queue holds
// what it cannot send yet and drops the rest, so arrivals come at its rate
// for as long as its queue lasts.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "atomixtest/netns.hpp"

namespace atomixtest::testing {

struct Throughput {
    int64_t arrived = 0;  // link bytes
    double seconds = 0;   // from the end of the burst to the last arrival
    double bits_per_second = 0;
};

inline Throughput measure_throughput(const std::string& from_netns, const std::string& to_netns,
                                     const std::string& to_ip, int64_t send_bytes,
                                     int64_t burst_bytes, int payload = 1000) {
    constexpr int kHeaders = 42;
    using Clock = std::chrono::steady_clock;
    std::vector<std::pair<Clock::time_point, int64_t>> arrivals;
    std::atomic<uint16_t> port{0};
    std::atomic<bool> done{false};
    for_each_network_namespace({to_netns, from_netns}, [&](size_t role) {
        if (role == 0) {
            int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            int size = 16 << 20;
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            socklen_t length = sizeof address;
            bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
            getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
            timeval wait{0, 50'000};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
            port = ntohs(address.sin_port);
            std::vector<char> buffer(65536);
            auto last = Clock::now();
            while (true) {
                ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
                auto now = Clock::now();
                if (n > 0) {
                    arrivals.emplace_back(now, n + kHeaders);
                    last = now;
                } else if (done && now - last > std::chrono::milliseconds(500)) {
                    break;
                }
            }
            close(fd);
        } else {
            while (port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            int size = 16 << 20;
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
            sockaddr_in peer{};
            peer.sin_family = AF_INET;
            peer.sin_port = htons(port);
            inet_pton(AF_INET, to_ip.c_str(), &peer.sin_addr);
            std::string message(static_cast<size_t>(payload), 'x');
            for (int64_t sent = 0; sent < send_bytes; sent += payload + kHeaders) {
                sendto(fd, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&peer),
                       sizeof peer);
                // Slower than any wire, faster than any rate tested: the
                // queue of a userspace shaper stays well below its bound.
                std::this_thread::sleep_for(std::chrono::microseconds(20));
            }
            close(fd);
            done = true;
        }
    });
    Throughput result;
    int64_t seen = 0;
    size_t first = arrivals.size();
    for (size_t i = 0; i < arrivals.size(); ++i) {
        seen += arrivals[i].second;
        if (seen >= burst_bytes) {
            first = i;
            break;
        }
    }
    for (size_t i = first + 1; i < arrivals.size(); ++i) result.arrived += arrivals[i].second;
    if (first + 1 < arrivals.size()) {
        result.seconds =
            std::chrono::duration<double>(arrivals.back().first - arrivals[first].first).count();
        result.bits_per_second = static_cast<double>(result.arrived) * 8 / result.seconds;
    }
    return result;
}

}  // namespace atomixtest::testing
