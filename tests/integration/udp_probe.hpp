// Probe traffic between two nodes, observed at the receiver: numbered UDP
// datagrams from one node's namespace to another's, and what arrived (how
// many, in which order, how many twice), plus the receiver's count of UDP
// checksum errors, so corruption shows as the kernel sees it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "atomixtest/netns.hpp"

namespace atomixtest::testing {

struct ProbeResult {
    int sent = 0;
    std::vector<int> arrived;        // sequence numbers, in arrival order
    long checksum_errors = 0;        // at the receiver, during the probe
    std::vector<double> latency_ms;  // one way, per arrival (one clock: same machine)
    int damaged = 0;                 // arrivals whose filler bytes were changed

    int distinct() const {
        std::vector<int> sorted = arrived;
        std::sort(sorted.begin(), sorted.end());
        return static_cast<int>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
    }
    int duplicates() const { return static_cast<int>(arrived.size()) - distinct(); }
    int out_of_order() const {
        int count = 0, highest = -1;
        for (int seq : arrived) {
            if (seq < highest) ++count;
            highest = std::max(highest, seq);
        }
        return count;
    }
};

// Udp InCsumErrors from the calling thread's namespace (thread-self: /proc/self/net is the main
// thread's).
inline long udp_checksum_errors() {
    std::ifstream snmp("/proc/thread-self/net/snmp");
    std::string header, values, line;
    while (std::getline(snmp, line)) {
        if (line.rfind("Udp:", 0) != 0) continue;
        if (header.empty()) {
            header = line;
        } else {
            values = line;
            break;
        }
    }
    std::istringstream names(header), numbers(values);
    std::string name, number;
    while (names >> name && numbers >> number) {
        if (name == "InCsumErrors") return std::stol(number);
    }
    return 0;
}

inline ProbeResult udp_probe(const std::string& from_netns, const std::string& to_netns,
                             const std::string& to_ip, int count,
                             std::chrono::microseconds gap = std::chrono::microseconds(200),
                             int payload = 64) {
    constexpr int kPort = 7998;
    ProbeResult result;
    std::atomic<bool> receiving{false};
    long errors_before = 0;
    for_each_network_namespace({to_netns, from_netns}, [&](size_t role) {
        if (role == 0) {
            int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_port = htons(kPort);
            bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
            int size = 8 << 20;
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
            timeval wait{1, 0};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
            errors_before = udp_checksum_errors();
            receiving = true;
            std::vector<char> buffer(65536);
            while (true) {
                ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
                if (n <= 0) break;  // a second of silence: the sender is done
                if (std::any_of(buffer.begin() + 16, buffer.begin() + n,
                                [](char c) { return c != 'x'; }) ||
                    std::string(buffer.data(), 8).find_first_not_of("0123456789") !=
                        std::string::npos) {
                    ++result.damaged;
                    continue;
                }
                result.arrived.push_back(std::stoi(std::string(buffer.data(), 8)));
                int64_t sent_ns = 0;
                std::memcpy(&sent_ns, buffer.data() + 8, sizeof sent_ns);
                auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now().time_since_epoch())
                                  .count();
                result.latency_ms.push_back(static_cast<double>(now_ns - sent_ns) / 1e6);
            }
            result.checksum_errors = udp_checksum_errors() - errors_before;
            close(fd);
        } else {
            while (!receiving) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            sockaddr_in peer{};
            peer.sin_family = AF_INET;
            peer.sin_port = htons(kPort);
            inet_pton(AF_INET, to_ip.c_str(), &peer.sin_addr);
            // Packets held by a delay stay charged to this socket's send
            // buffer; a small one would stall the sender and skew the timing.
            int send_buffer = 8 << 20;
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
            std::string message(static_cast<size_t>(std::max(payload, 16)), 'x');
            for (int seq = 0; seq < count; ++seq) {
                auto text = std::to_string(100000000 + seq).substr(1);  // 8 digits
                message.replace(0, 8, text);
                int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count();
                std::memcpy(message.data() + 8, &now_ns, sizeof now_ns);
                sendto(fd, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&peer),
                       sizeof peer);
                if (gap.count() > 0) std::this_thread::sleep_for(gap);
            }
            result.sent = count;
            close(fd);
        }
    });
    return result;
}

// Mean time to open a TCP connection from one namespace to ip:port (a SYN out,
// a SYN-ACK back: one round trip).
inline double mean_connect_ms(const std::string& from_netns, const std::string& ip, int port,
                              int tries) {
    double total = 0;
    for_each_network_namespace({from_netns}, [&](size_t) {
        for (int i = 0; i < tries; ++i) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in peer{};
            peer.sin_family = AF_INET;
            peer.sin_port = htons(static_cast<uint16_t>(port));
            inet_pton(AF_INET, ip.c_str(), &peer.sin_addr);
            auto start = std::chrono::steady_clock::now();
            connect(fd, reinterpret_cast<sockaddr*>(&peer), sizeof peer);
            total +=
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
            close(fd);
        }
    });
    return total / tries;
}

}  // namespace atomixtest::testing
