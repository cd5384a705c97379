// The dependency graph over transactions: compressed rows of out-edges, each
// edge carrying the bits of every dependency between its two ends (ww, wr,
// rw, process, realtime). Process and real-time order are added only when the
// consistency model asks for them.
#pragma once

#include <cstdint>
#include <vector>

#include "txn/inference.hpp"

namespace atomixtest::txn {

struct DependencyGraph {
    uint32_t vertices = 0;
    std::vector<uint32_t> offsets;  // out-edges of v: [offsets[v], offsets[v + 1])
    std::vector<uint32_t> targets;
    std::vector<uint8_t> bits;
    uint8_t present = 0;  // every bit some edge has

    // The bits of the edge a -> b, 0 when there is none.
    uint8_t edge(uint32_t a, uint32_t b) const;
};

// Session order: each process's ok transactions in order, each linked to the
// process's next transaction.
void add_process_edges(const TxnHistory& history, std::vector<EdgeRecord>& edges);

// Real-time order: T1 -> T2 when T1 completed before T2 was invoked, kept
// linear in size as Elle does: at each invocation, an edge from each completed
// transaction that no later-completed transaction already follows (about as
// many as there are processes); the rest of the order follows by transitivity.
void add_realtime_edges(const TxnHistory& history, std::vector<EdgeRecord>& edges);

// Merges edges between the same two transactions, drops self-edges. Consumes
// the records.
DependencyGraph build_graph(uint32_t vertices, std::vector<EdgeRecord>&& edges);

}  // namespace atomixtest::txn
