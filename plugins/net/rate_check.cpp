#include "rate_check.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "atomixtest/error.hpp"
#include "atomixtest/rate.hpp"
#include "nft_partition.hpp"
#include "probe/node_tool_rate.hpp"
#include "probe/pair_probe.hpp"
#include "probe/rate_probe.hpp"

namespace atomixtest::net {

namespace {

// Up to this much above the rate, the probe's bytes count as throttled: a
// tenth of a second timed on a busy machine is off by a tenth or two, while
// a rate not in force lets them go at the link's speed, many times more.
constexpr double kTolerance = 1.5;

std::string kilobytes(int64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1024);
    return text;
}

std::string megabits(double bits) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g mbit/s", bits / 1e6);
    return text;
}

// The peer a node's probe goes to: the first of its targets no block cuts.
int probe_peer(int node, const std::vector<int>& candidates, const BlockSet& blocks) {
    for (int peer : candidates) {
        if (peer != node && !blocks.count({node, peer})) return peer;
    }
    return 0;
}

}  // namespace

void check_rate(FaultContext& context, const std::vector<int>& nodes, const std::vector<int>& to,
                const RateLimit& limit) {
    auto blocks = read_blocks(context.backend, context.cluster);
    auto candidates = to.empty() ? context.cluster.node_ids() : to;
    double bytes_per_second = static_cast<double>(limit.bits_per_second) / 8;
    int packet = static_cast<int>(std::clamp(bytes_per_second / 200, 200.0, 1400.0));
    // A tenth of a second's worth past the burst, and twenty packets at least.
    auto tail =
        std::max<int64_t>(static_cast<int64_t>(bytes_per_second / 10), int64_t{20} * packet);
    int64_t total = std::min<int64_t>(limit.burst_bytes + tail, 16 << 20);
    struct Probe {
        int node = 0, peer = 0;
        RateMeasure measure;
    };
    std::vector<Probe> probes;
    for (int node : nodes) {
        if (int peer = probe_peer(node, candidates, blocks)) probes.push_back({node, peer, {}});
    }
    if (!context.backend.reaches_nodes_in_process(context.cluster.name)) {
        std::vector<RateProbePair> pairs;
        for (const auto& probe : probes) {
            pairs.push_back(
                {probe.node, probe.peer, probe_address(context.cluster.node(probe.peer))});
        }
        auto measures = measure_rates_with_node_tool(context.backend, context.cluster.name, pairs,
                                                     total, packet, limit.burst_bytes);
        for (size_t i = 0; i < probes.size(); ++i) probes[i].measure = measures[i];
    } else {
        std::vector<std::thread> threads;
        for (auto& probe : probes) {
            auto from = context.backend.network_namespace(context.cluster.name, probe.node);
            auto to_netns = context.backend.network_namespace(context.cluster.name, probe.peer);
            auto ip = probe_address(context.cluster.node(probe.peer));
            threads.emplace_back([&probe, from, to_netns, ip, total, packet, &limit] {
                probe.measure = measure_rate(from, to_netns, ip, total, packet, limit.burst_bytes);
            });
        }
        for (auto& thread : threads) thread.join();
    }
    for (const auto& probe : probes) {
        double measured = probe.measure.bits_per_second();
        if (measured <= 0) continue;  // too little came through to say
        auto pair = "node " + std::to_string(probe.node) + " -> " + std::to_string(probe.peer);
        if (measured > kTolerance * static_cast<double>(limit.bits_per_second)) {
            throw Error(ErrorKind::Unavailable,
                        "the rate is not in force: " + pair + " carried probes at " +
                            megabits(measured) + ", above the " +
                            format_rate(limit.bits_per_second) + " asked; it was undone");
        }
        context.verified(pair + ": " + kilobytes(probe.measure.sent) + " of probes, the last " +
                         kilobytes(probe.measure.tail) + " in " +
                         std::to_string(probe.measure.tail_took.count() / 1000) + " ms: " +
                         megabits(measured) + " (asked " + format_rate(limit.bits_per_second) +
                         ", burst " + kilobytes(limit.burst_bytes) + ")");
    }
}

}  // namespace atomixtest::net
