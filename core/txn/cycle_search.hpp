// Witness cycles, as Elle finds them: the strongly connected components of
// the dependency graph; in each, for each anomaly class from the most severe
// on, the components of the edges that class may use, and in those a
// breadth-first search from each edge of the kind the class needs for the
// shortest way back. A cycle found is classified by its edges (one rw edge is
// G-single, ...); a class already implied by one found in the component is
// not searched for again.
#pragma once

#include <cstdint>
#include <vector>

#include "txn/anomaly_classes.hpp"
#include "txn/dependency_graph.hpp"

namespace atomixtest::txn {

struct CycleStep {
    uint32_t txn = 0;
    uint8_t bit = 0;  // the dependency from this transaction to the next one
};

struct Cycle {
    AnomalyClass type = AnomalyClass::G0;
    std::vector<CycleStep> steps;  // the last step's dependency leads back to the first
};

// The class of a cycle by its edges, as Elle classifies them.
AnomalyClass classify(const std::vector<CycleStep>& steps);

struct CycleSearchLimits {
    // Edges a component's search for one class may look at, at least: the
    // classes that need an anti-dependency alone (G-single) have no
    // guaranteed witness, so their search is bounded.
    uint64_t floor = 2'000'000;
    uint64_t per_edge = 4;  // ... and this many times the component's edges
};

struct CycleSearchResult {
    std::vector<Cycle> cycles;  // at most one per component and class
    AnomalySet undecided = 0;   // classes a bounded search gave up on
    size_t components = 0;      // strongly connected, of two or more transactions
    size_t largest_component = 0;
};

CycleSearchResult find_cycles(const DependencyGraph& graph, const CycleSearchLimits& limits);

}  // namespace atomixtest::txn
