// Tarjan's strongly connected components, iterative (a history of a million
// transactions would overflow the stack of a recursive one), over the edges
// whose bits meet a mask and the vertices of a subset.
#pragma once

#include <cstdint>
#include <vector>

#include "txn/dependency_graph.hpp"

namespace atomixtest::txn {

class StronglyConnected {
  public:
    explicit StronglyConnected(const DependencyGraph& graph);

    // The components of two or more vertices (the graph has no self-edges),
    // each in no particular order.
    std::vector<std::vector<uint32_t>> components(const std::vector<uint32_t>& vertices,
                                                  uint8_t mask);
    // Every vertex of the graph.
    std::vector<std::vector<uint32_t>> components(uint8_t mask);

    // Every vertex of the subset labelled with its component (singletons
    // too), numbered as Tarjan finds them: a component reachable from another
    // has the smaller number (the numbers are a reverse topological order).
    // Returns the number of components; `label` is indexed like `vertices`.
    uint32_t label(const std::vector<uint32_t>& vertices, uint8_t mask,
                   std::vector<uint32_t>& label);

  private:
    template <typename OnComponent>
    void tarjan(const std::vector<uint32_t>& vertices, uint8_t mask, OnComponent on_component);

    const DependencyGraph& graph_;
    std::vector<uint32_t> local_;  // vertex -> its place in the subset, or kNone
};

}  // namespace atomixtest::txn
