// The partition's proof where the plugin cannot open sockets in the nodes
// itself: every node of a probe runs this at once, on a port the plugin chose.
// Each sends its id to its peers again and again through the window (the
// nodes' tools start up to tens of milliseconds apart through an API
// server), and says whom it heard.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <set>

#include "node_tool_commands.hpp"

namespace atomixtest::node_tool {

int probe(const std::vector<std::string>& args) {
    int port = 0, id = 0, window_ms = 1000;
    std::vector<std::string> peers;
    for (size_t i = 0; i + 1 < args.size(); i += 2) {
        if (args[i] == "--port")
            port = std::stoi(args[i + 1]);
        else if (args[i] == "--id")
            id = std::stoi(args[i + 1]);
        else if (args[i] == "--window-ms")
            window_ms = std::stoi(args[i + 1]);
        else if (args[i] == "--to")
            peers.push_back(args[i + 1]);
        else {
            std::cerr << "probe: unknown option " << args[i] << "\n";
            return 2;
        }
    }
    if (port <= 0 || port > 65535) {
        std::cerr << "probe: --port 1..65535 is needed\n";
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in own{};
    own.sin_family = AF_INET;
    own.sin_port = htons(static_cast<uint16_t>(port));
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&own), sizeof own) != 0) {
        std::cerr << "probe: cannot bind UDP port " << port << "\n";
        return 1;
    }
    timeval wait{0, 5000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    std::vector<sockaddr_in> targets;
    for (const auto& ip : peers) {
        sockaddr_in peer{};
        peer.sin_family = AF_INET;
        peer.sin_port = htons(static_cast<uint16_t>(port));
        if (inet_pton(AF_INET, ip.c_str(), &peer.sin_addr) != 1) {
            std::cerr << "probe: not an IPv4 address: " << ip << "\n";
            return 2;
        }
        targets.push_back(peer);
    }
    std::set<int32_t> heard;
    auto start = std::chrono::steady_clock::now();
    auto next_send = start;
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(window_ms)) {
        if (std::chrono::steady_clock::now() >= next_send) {
            int32_t word = id;
            for (const auto& peer : targets) {
                sendto(fd, &word, sizeof word, 0, reinterpret_cast<const sockaddr*>(&peer),
                       sizeof peer);
            }
            next_send += std::chrono::milliseconds(20);
        }
        int32_t word = 0;
        if (recv(fd, &word, sizeof word, 0) == sizeof word) heard.insert(word);
    }
    close(fd);
    for (int32_t from : heard) std::cout << from << "\n";
    return 0;
}

}  // namespace atomixtest::node_tool
