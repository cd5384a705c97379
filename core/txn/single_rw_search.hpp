// G-single's witness has no guaranteed start: an anti-dependency u -> v
// closes one only when v reaches u by ww and wr edges alone. Trying a
// breadth-first search per rw edge costs the component's size each time (a
// G-single in a sea of G2-item cycles takes thousands). Instead: the
// components of the ww and wr edges, in Tarjan's reverse topological order,
// and 64 rw edges tested per pass over them, each pass propagating a bit per
// edge from the component of its u back to everything that reaches it.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "txn/strongly_connected.hpp"

namespace atomixtest::txn {

// An rw edge u -> v between members of `part` such that v reaches u over ww
// and wr edges within `part`, or none. `local` is scratch of one entry per
// vertex, all kNone, left so. Adds the edges looked at to `visits`; sets
// `exhausted` when it stopped at `budget` without an answer.
std::optional<std::pair<uint32_t, uint32_t>> find_closing_rw_edge(
    const DependencyGraph& graph, StronglyConnected& scc, const std::vector<uint32_t>& part,
    std::vector<uint32_t>& local, uint64_t budget, uint64_t& visits, bool& exhausted);

}  // namespace atomixtest::txn
