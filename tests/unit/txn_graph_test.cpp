// The dependency graph's parts on their own: Tarjan's components over a
// million transactions without recursion, and the reduced real-time order,
// whose paths must be exactly "completed before the other was invoked".
#include <gtest/gtest.h>

#include <random>

#include "txn/dependency_graph.hpp"
#include "txn/strongly_connected.hpp"

namespace atomixtest {
namespace {

using namespace txn;

TEST(TxnGraph, AMillionTransactionRingIsOneComponent) {
    const uint32_t n = 1'000'000;
    std::vector<EdgeRecord> edges;
    for (uint32_t v = 0; v < n; ++v) edges.push_back({v, (v + 1) % n, kWw});
    // And a chain beside it, which is no component at all.
    for (uint32_t v = 0; v + 1 < n; ++v) edges.push_back({v, v + 1, kWr});
    auto graph = build_graph(n, std::move(edges));
    EXPECT_EQ(graph.targets.size(), n);  // parallel edges merged
    EXPECT_EQ(graph.edge(5, 6), kWw | kWr);
    StronglyConnected scc(graph);
    auto ring = scc.components(kWw);
    ASSERT_EQ(ring.size(), 1u);
    EXPECT_EQ(ring[0].size(), n);
    EXPECT_TRUE(scc.components(kWr).empty());
}

TEST(TxnGraph, RealtimePathsAreExactlyCompletedBeforeInvoked) {
    std::mt19937_64 random(7);
    for (int round = 0; round < 40; ++round) {
        // Random intervals on one time line: event positions 0, 1, 2, ...
        TxnHistory history;
        const int n = 60;
        std::vector<std::pair<int, uint32_t>> events;  // (time, txn * 2 + completion)
        for (uint32_t t = 0; t < n; ++t) {
            int start = static_cast<int>(random() % 1000);
            int end = start + 1 + static_cast<int>(random() % 120);
            events.push_back({start, t * 2});
            events.push_back({end, t * 2 + 1});
            Txn txn;
            auto roll = random() % 10;
            txn.type = roll == 0 ? EventType::Fail : roll == 1 ? EventType::Info : EventType::Ok;
            history.txns.push_back(txn);
        }
        std::sort(events.begin(), events.end());
        for (uint64_t at = 0; at < events.size(); ++at) {
            auto& txn = history.txns[events[at].second / 2];
            if (events[at].second % 2 == 0) {
                txn.invoked_at = at;
            } else if (txn.type != EventType::Info) {
                txn.completed_at = at;
            }
        }
        // Transactions are kept in invocation order.
        std::sort(history.txns.begin(), history.txns.end(),
                  [](const Txn& a, const Txn& b) { return a.invoked_at < b.invoked_at; });
        std::vector<EdgeRecord> edges;
        add_realtime_edges(history, edges);
        auto graph = build_graph(n, std::move(edges));
        for (uint32_t a = 0; a < n; ++a) {
            std::vector<uint8_t> reached(n, 0);
            std::vector<uint32_t> stack = {a};
            while (!stack.empty()) {
                auto v = stack.back();
                stack.pop_back();
                for (auto e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
                    if (!reached[graph.targets[e]]) {
                        reached[graph.targets[e]] = 1;
                        stack.push_back(graph.targets[e]);
                    }
                }
            }
            for (uint32_t b = 0; b < n; ++b) {
                const auto& ta = history.txns[a];
                const auto& tb = history.txns[b];
                bool before = ta.type == EventType::Ok && tb.type != EventType::Fail &&
                              ta.completed_at < tb.invoked_at;
                ASSERT_EQ(reached[b] != 0, before) << "round " << round << ": " << a << " -> " << b;
            }
        }
    }
}

}  // namespace
}  // namespace atomixtest
