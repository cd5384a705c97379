// Which node can send to which, measured with real packets: every node listens
// on a UDP port inside its own namespace, sends a few datagrams to every other
// node, and records whom it heard from. UDP, unlike a TCP connect, shows one
// direction at a time (a one-way partition lets SYNs through but not replies).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <latch>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "atomixtest/netns.hpp"
#include "cli_harness.hpp"

namespace atomixtest::testing {

using Reachability = std::set<std::pair<int, int>>;  // {from, to} that got through

// netns_of gives a node's namespace path; by default the local backend's.
inline Reachability measure_reachability(const std::string& cluster,
                                         const std::function<std::string(int)>& netns_of = {}) {
    constexpr int kPort = 7999;
    auto nodes = nodes_json(cluster);
    std::vector<int> ids;
    std::vector<std::string> ips, namespaces;
    for (const auto& node : nodes) {
        ids.push_back(node["id"]);
        ips.push_back(node["ip"]);
        int id = node["id"];
        namespaces.push_back(netns_of
                                 ? netns_of(id)
                                 : "/run/netns/atomix-test." + cluster + "." + std::to_string(id));
    }
    std::vector<std::set<int>> heard(ids.size());
    std::latch listening(static_cast<std::ptrdiff_t>(ids.size()));
    for_each_network_namespace(namespaces, [&](size_t i) {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(kPort);
        bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        timeval wait{0, 100'000};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        listening.arrive_and_wait();
        std::string me = std::to_string(ids[i]);
        for (int round = 0; round < 3; ++round) {
            for (size_t j = 0; j < ids.size(); ++j) {
                if (j == i) continue;
                sockaddr_in peer{};
                peer.sin_family = AF_INET;
                peer.sin_port = htons(kPort);
                inet_pton(AF_INET, ips[j].c_str(), &peer.sin_addr);
                sendto(fd, me.data(), me.size(), 0, reinterpret_cast<sockaddr*>(&peer),
                       sizeof peer);
            }
        }
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
        char buffer[32];
        while (std::chrono::steady_clock::now() < until) {
            ssize_t n = recv(fd, buffer, sizeof buffer, 0);
            if (n > 0) heard[i].insert(std::stoi(std::string(buffer, static_cast<size_t>(n))));
        }
        close(fd);
    });
    Reachability reached;
    for (size_t i = 0; i < ids.size(); ++i) {
        for (int from : heard[i]) reached.insert({from, ids[i]});
    }
    return reached;
}

// Every ordered pair of distinct nodes, minus the blocked ones.
inline Reachability all_but(int nodes, const Reachability& blocked) {
    Reachability expected;
    for (int a = 1; a <= nodes; ++a) {
        for (int b = 1; b <= nodes; ++b) {
            if (a != b && !blocked.count({a, b})) expected.insert({a, b});
        }
    }
    return expected;
}

// Both directions between every node of one group and every node of the other.
inline Reachability cut_between(const std::vector<int>& a, const std::vector<int>& b) {
    Reachability cut;
    for (int x : a) {
        for (int y : b) {
            cut.insert({x, y});
            cut.insert({y, x});
        }
    }
    return cut;
}

inline std::string describe(const Reachability& pairs) {
    std::string text;
    for (const auto& [from, to] : pairs) {
        text += std::to_string(from) + "->" + std::to_string(to) + " ";
    }
    return text;
}

}  // namespace atomixtest::testing
