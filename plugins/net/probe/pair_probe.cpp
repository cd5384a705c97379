#include "probe/pair_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <map>
#include <mutex>

#include "atomixtest/netns.hpp"
#include "probe/node_tool_probe.hpp"

namespace atomixtest::net {

namespace {

using Clock = std::chrono::steady_clock;

struct Endpoint {
    int id = 0;
    std::string ip;
    std::string netns;
    std::vector<int> sends_to;
    int fd = -1;
    uint16_t port = 0;
};

// A socket of the node's namespace on a port the kernel picks, so no port of
// the system under test is ever in the way.
void open_socket(Endpoint& endpoint) {
    endpoint.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (endpoint.fd < 0) return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    socklen_t length = sizeof address;
    if (bind(endpoint.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(endpoint.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        close(endpoint.fd);
        endpoint.fd = -1;
        return;
    }
    endpoint.port = ntohs(address.sin_port);
    timeval wait{0, 1000};
    setsockopt(endpoint.fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
}

void send_to(const Endpoint& from, const Endpoint& to) {
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(to.port);
    inet_pton(AF_INET, to.ip.c_str(), &peer.sin_addr);
    int32_t word = from.id;
    // Twice: a netem drop in force on the sender must not pass for a cut.
    for (int copy = 0; copy < 2; ++copy) {
        sendto(from.fd, &word, sizeof word, 0, reinterpret_cast<const sockaddr*>(&peer),
               sizeof peer);
    }
}

}  // namespace

std::string probe_address(const NodeInfo& node) {
    return node.own_ip.empty() ? node.ip : node.own_ip;
}

PairProbe probe_pairs(Backend& backend, const ClusterInfo& cluster, const BlockSet& cut,
                      const std::vector<Block>& open, std::chrono::milliseconds patience) {
    if (!backend.reaches_nodes_in_process(cluster.name)) {
        return probe_pairs_with_node_tool(backend, cluster, cut, open);
    }
    std::map<int, Endpoint> by_id;
    auto involve = [&](const Block& pair) {
        for (int id : {pair.from, pair.to}) {
            auto& endpoint = by_id[id];
            endpoint.id = id;
        }
        by_id[pair.from].sends_to.push_back(pair.to);
    };
    for (const auto& pair : cut) involve(pair);
    for (const auto& pair : open) involve(pair);
    std::vector<Endpoint*> endpoints;
    std::vector<std::string> namespaces;
    for (auto& [id, endpoint] : by_id) {
        endpoint.ip = probe_address(cluster.node(id));
        endpoint.netns = backend.network_namespace(cluster.name, id);
        endpoints.push_back(&endpoint);
        namespaces.push_back(endpoint.netns);
    }
    std::set<Block> open_set(open.begin(), open.end());
    PairProbe result;
    std::mutex mutex;
    std::atomic<size_t> open_heard{0};
    std::atomic<int64_t> stop_at{0};
    std::barrier ready(static_cast<std::ptrdiff_t>(endpoints.size()));
    auto start = Clock::now();
    auto since_start = [&] {
        return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    };
    stop_at = std::chrono::duration_cast<std::chrono::microseconds>(patience).count();
    if (open.empty()) stop_at = 20'000;  // nothing to wait for: a cut pair is heard within it
    for_each_network_namespace(namespaces, [&](size_t i) {
        auto& me = *endpoints[i];
        open_socket(me);
        ready.arrive_and_wait();  // every port known before anyone sends
        if (me.fd < 0) return;
        for (int peer : me.sends_to) send_to(me, by_id.at(peer));
        while (since_start() < stop_at.load()) {
            int32_t word = 0;
            if (recv(me.fd, &word, sizeof word, 0) != sizeof word) continue;
            Block heard{word, me.id};
            std::lock_guard lock(mutex);
            if (!result.arrived.insert(heard).second || !open_set.count(heard)) continue;
            if (++open_heard == open_set.size()) {
                // A cut pair's datagram would have come as fast as the open ones.
                auto took = since_start();
                result.took = std::chrono::microseconds(took);
                stop_at = std::min<int64_t>(stop_at.load(), took + std::max<int64_t>(5000, took));
            }
        }
        close(me.fd);
    });
    if (result.took.count() == 0) result.took = std::chrono::microseconds(since_start());
    return result;
}

}  // namespace atomixtest::net
