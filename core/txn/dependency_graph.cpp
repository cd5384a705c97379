#include "txn/dependency_graph.hpp"

#include <algorithm>
#include <unordered_map>

namespace atomixtest::txn {

uint8_t DependencyGraph::edge(uint32_t a, uint32_t b) const {
    auto first = targets.begin() + offsets[a], last = targets.begin() + offsets[a + 1];
    auto found = std::lower_bound(first, last, b);
    if (found == last || *found != b) return 0;
    return bits[static_cast<size_t>(found - targets.begin())];
}

void add_process_edges(const TxnHistory& history, std::vector<EdgeRecord>& edges) {
    std::unordered_map<int64_t, uint32_t> last_ok;
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        const auto& txn = history.txns[t];
        if (txn.type == EventType::Fail) continue;
        auto found = last_ok.find(txn.process);
        if (found != last_ok.end()) edges.push_back({found->second, t, kProcess});
        // After an info the process's order says nothing: it may take effect later.
        if (txn.type == EventType::Ok) {
            last_ok[txn.process] = t;
        } else {
            last_ok.erase(txn.process);
        }
    }
}

void add_realtime_edges(const TxnHistory& history, std::vector<EdgeRecord>& edges) {
    // Events in stream order: invocations (by invoked_at) and completions of ok
    // transactions (by completed_at). Transactions are in invocation order.
    std::vector<uint32_t> completions;
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        if (history.txns[t].type == EventType::Ok) completions.push_back(t);
    }
    std::sort(completions.begin(), completions.end(), [&](uint32_t a, uint32_t b) {
        return history.txns[a].completed_at < history.txns[b].completed_at;
    });
    // The frontier: completed transactions no completed transaction follows yet.
    std::vector<uint32_t> frontier;
    std::vector<uint8_t> covered(history.txns.size(), 0);
    // Where each pending transaction's incoming edges start in `edges`.
    std::vector<size_t> first_edge(history.txns.size(), 0);
    size_t live = 0;
    size_t next_completion = 0;
    auto complete = [&](uint32_t t) {
        // Everything t follows is followed by whatever follows t.
        for (size_t e = first_edge[t]; e < edges.size() && edges[e].to == t; ++e) {
            if (!covered[edges[e].from]) {
                covered[edges[e].from] = 1;
                --live;
            }
        }
        frontier.push_back(t);
        ++live;
        if (frontier.size() > 2 * live + 16) {
            frontier.erase(std::remove_if(frontier.begin(), frontier.end(),
                                          [&](uint32_t f) { return covered[f] != 0; }),
                           frontier.end());
        }
    };
    for (uint32_t t = 0; t < history.txns.size(); ++t) {
        const auto& txn = history.txns[t];
        while (next_completion < completions.size() &&
               history.txns[completions[next_completion]].completed_at < txn.invoked_at) {
            complete(completions[next_completion++]);
        }
        if (txn.type == EventType::Fail) continue;
        first_edge[t] = edges.size();
        for (auto from : frontier) {
            if (!covered[from]) edges.push_back({from, t, kRealtime});
        }
    }
}

DependencyGraph build_graph(uint32_t vertices, std::vector<EdgeRecord>&& edges) {
    DependencyGraph graph;
    graph.vertices = vertices;
    graph.offsets.assign(static_cast<size_t>(vertices) + 1, 0);
    for (const auto& edge : edges) {
        if (edge.from != edge.to) ++graph.offsets[edge.from + 1];
    }
    for (uint32_t v = 0; v < vertices; ++v) graph.offsets[v + 1] += graph.offsets[v];
    std::vector<uint32_t> fill(graph.offsets.begin(), graph.offsets.end() - 1);
    std::vector<std::pair<uint32_t, uint8_t>> rows(graph.offsets.back());
    for (const auto& edge : edges) {
        if (edge.from != edge.to) rows[fill[edge.from]++] = {edge.to, edge.bits};
    }
    edges.clear();
    edges.shrink_to_fit();
    // Sort each row by target and merge duplicates, compacting in place.
    uint32_t written = 0;
    for (uint32_t v = 0; v < vertices; ++v) {
        auto first = rows.begin() + graph.offsets[v], last = rows.begin() + graph.offsets[v + 1];
        std::sort(first, last);
        graph.offsets[v] = written;
        for (auto at = first; at != last; ++at) {
            if (written > graph.offsets[v] && rows[written - 1].first == at->first) {
                rows[written - 1].second |= at->second;
            } else {
                rows[written++] = *at;
            }
        }
    }
    graph.offsets[vertices] = written;
    graph.targets.resize(written);
    graph.bits.resize(written);
    for (uint32_t e = 0; e < written; ++e) {
        graph.targets[e] = rows[e].first;
        graph.bits[e] = rows[e].second;
        graph.present |= rows[e].second;
    }
    return graph;
}

}  // namespace atomixtest::txn
