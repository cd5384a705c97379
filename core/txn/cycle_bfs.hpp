// The breadth-first search for one witness: from an edge u -> v of the kind
// a class needs, the shortest way from v back to u over the edges it may use,
// with a small automaton counting anti-dependency (rw) edges where the class
// constrains them. States are (transaction, automaton state) pairs, so the
// way back may pass a transaction twice; the caller splits such a walk into
// simple cycles.
#pragma once

#include <cstdint>
#include <vector>

#include "txn/cycle_search.hpp"

namespace atomixtest::txn {

enum class RwRule : uint8_t {
    Any,          // no constraint
    ExactlyOne,   // the cycle has exactly one rw edge
    Nonadjacent,  // two or more rw edges, no two in a row (around the cycle too)
};

struct WitnessSpec {
    AnomalyClass target;
    uint8_t start;  // the first edge has one of these bits
    uint8_t path;   // the rest may use these
    RwRule rule;
};

class WitnessBfs {
  public:
    // Searches within `members` (a strongly connected set of the graph);
    // `local` is scratch of one entry per vertex, all kNone, left so.
    WitnessBfs(const DependencyGraph& graph, const std::vector<uint32_t>& members,
               const WitnessSpec& spec, std::vector<uint32_t>& local);
    ~WitnessBfs();

    // The closed walk through u -> v (by start_bit) found, shortest, shorter
    // than `shorter_than` steps; empty when none. Adds the edges looked at to
    // `visits`.
    std::vector<CycleStep> search(uint32_t u, uint32_t v, uint8_t start_bit, size_t shorter_than,
                                  uint64_t& visits);
    bool member(uint32_t vertex) const { return local_[vertex] != kNone; }

  private:
    uint32_t next_state(uint32_t state, uint8_t bit) const;  // kNone: not allowed
    bool accepts(uint32_t state, uint8_t start_bit) const;

    const DependencyGraph& graph_;
    const std::vector<uint32_t>& members_;
    WitnessSpec spec_;
    uint32_t states_;
    std::vector<uint32_t>& local_;  // vertex -> index in members, or kNone
    std::vector<uint32_t> seen_;    // per (member, state): the search's stamp
    std::vector<uint32_t> parent_;
    std::vector<uint8_t> via_;
    uint32_t stamp_ = 0;
};

}  // namespace atomixtest::txn
