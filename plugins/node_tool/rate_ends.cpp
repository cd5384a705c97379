// The two ends of the rate probe where the plugin cannot open sockets in the
// nodes itself (probe/rate_stream.hpp has what both ends share with the
// in-process probe). The two tools start tens of milliseconds apart through
// an API server, so the sender first says hello until the receiver answers
// (or a while has passed: an answer may be cut where the bytes are not), and
// ends with end markers, which leave the shaper after the bytes they follow.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>
#include <vector>

#include "node_tool_commands.hpp"
#include "probe/rate_stream.hpp"

namespace atomixtest::node_tool {

namespace {

using Clock = std::chrono::steady_clock;
using net::Arrival;

// Datagram sizes that are not probe bytes (whose payload is 16 at least).
constexpr size_t kHello = 1;
constexpr size_t kEnd = 2;

// How long the sender says hello without an answer, and how long the
// receiver waits for a first datagram.
constexpr auto kHelloPatience = std::chrono::milliseconds(1500);
constexpr auto kFirstPatience = std::chrono::seconds(5);
// After the end marker, what a reordering shaper still holds; without one,
// how long a silence ends the probe.
constexpr auto kAfterEnd = std::chrono::milliseconds(200);
constexpr auto kSilence = std::chrono::seconds(3);

struct Options {
    int port = 0;
    std::string to;
    int64_t bytes = 0, burst = 0;
    int packet = 0;
};

bool parse(const std::vector<std::string>& args, Options& options) {
    for (size_t i = 0; i + 1 < args.size(); i += 2) {
        const auto& value = args[i + 1];
        if (args[i] == "--port")
            options.port = std::stoi(value);
        else if (args[i] == "--to")
            options.to = value;
        else if (args[i] == "--bytes")
            options.bytes = std::stoll(value);
        else if (args[i] == "--burst")
            options.burst = std::stoll(value);
        else if (args[i] == "--packet")
            options.packet = std::stoi(value);
        else {
            std::cerr << "unknown option " << args[i] << "\n";
            return false;
        }
    }
    if (options.port <= 0 || options.port > 65535) {
        std::cerr << "--port 1..65535 is needed\n";
        return false;
    }
    return true;
}

}  // namespace

int rate_receive(const std::vector<std::string>& args) {
    Options options;
    if (!parse(args, options)) return 2;
    int fd = net::probe_receiver_socket(options.port);
    if (fd < 0) {
        std::cerr << "rate-receive: cannot bind UDP port " << options.port << ": "
                  << std::strerror(errno) << "\n";
        return 1;
    }
    std::vector<Arrival> arrivals;
    std::vector<char> data(65536);
    auto start = Clock::now();
    auto last = start;
    bool ended = false;
    while (true) {
        sockaddr_in from{};
        socklen_t length = sizeof from;
        ssize_t n =
            recvfrom(fd, data.data(), data.size(), 0, reinterpret_cast<sockaddr*>(&from), &length);
        auto now = Clock::now();
        if (n == static_cast<ssize_t>(kHello)) {
            sendto(fd, "r", 1, 0, reinterpret_cast<sockaddr*>(&from), length);
        } else if (n == static_cast<ssize_t>(kEnd)) {
            ended = true;
            last = now;
        } else if (n > 0) {
            arrivals.push_back({now, n + net::kProbeHeaders});
            last = now;
        }
        if (ended && now - last > kAfterEnd) break;
        if (!arrivals.empty() && now - last > kSilence) break;
        if (arrivals.empty() && !ended && now - start > kFirstPatience) break;
    }
    close(fd);
    auto measure = net::measure_arrivals(arrivals, options.burst);
    std::cout << measure.arrived << " " << measure.tail << " " << measure.tail_took.count() << "\n";
    return 0;
}

int rate_send(const std::vector<std::string>& args) {
    Options options;
    if (!parse(args, options)) return 2;
    int payload = net::probe_payload(options.packet);
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(static_cast<uint16_t>(options.port));
    if (inet_pton(AF_INET, options.to.c_str(), &peer.sin_addr) != 1) {
        std::cerr << "rate-send: not an IPv4 address: " << options.to << "\n";
        return 2;
    }
    int fd = net::probe_sender_socket(payload);
    if (fd < 0) {
        std::cerr << "rate-send: no socket: " << std::strerror(errno) << "\n";
        return 1;
    }
    timeval wait{0, 10'000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    char answer = 0;
    for (auto start = Clock::now(); Clock::now() - start < kHelloPatience;) {
        sendto(fd, "h", kHello, 0, reinterpret_cast<sockaddr*>(&peer), sizeof peer);
        if (recv(fd, &answer, 1, 0) == 1) break;
    }
    auto sent = net::send_probe_bytes(fd, peer, options.bytes, payload);
    for (int i = 0; i < 3; ++i) {
        sendto(fd, "ee", kEnd, 0, reinterpret_cast<sockaddr*>(&peer), sizeof peer);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    close(fd);
    std::cout << sent << "\n";
    return 0;
}

}  // namespace atomixtest::node_tool
