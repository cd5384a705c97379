// A partition is a set of directed blocks: Block{from, to} drops every packet
// node `from` sends to node `to`. A bidirectional partition is two blocks, an
// isolation is the blocks to and from every other node.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

namespace atomixtest::net {

struct Block {
    int from = 0;
    int to = 0;
    auto operator<=>(const Block&) const = default;
};

using BlockSet = std::set<Block>;

BlockSet blocks_between(int a, int b, bool both_directions);
// Two nodes talk if and only if they share a group: every other pair is cut.
// Groups may intersect (a node in two groups is a bridge between them); a
// node in no group talks to nobody. With `one_way`, only packets from a node
// to a node whose first group comes later are dropped (a node in no group
// comes after every group), so the later groups still reach the earlier.
BlockSet blocks_of_groups(const std::vector<std::vector<int>>& groups,
                          const std::vector<int>& all_nodes, bool one_way = false);
// Jepsen's majorities ring over the nodes in ring order: each node hears a
// majority (itself and the nodes around it) and no two hear the same one. A
// node hears the window of a majority's size centred on it; packets from
// outside its window are dropped. On 5 nodes each hears its two neighbours,
// both ways; where the window cannot be centred (an even majority, as on 3
// or 7 nodes) some links are cut one way only.
BlockSet majorities_ring(const std::vector<int>& ring);
BlockSet isolation_of(int node, const std::vector<int>& all_nodes);
// Every block between two groups of nodes, both directions.
BlockSet blocks_between_groups(const std::vector<int>& a, const std::vector<int>& b);
// Every pair (from, to) of distinct nodes that no block cuts.
std::vector<Block> open_pairs(const BlockSet& blocks, const std::vector<int>& nodes);
// The cluster split in two: the first half (rounded down) of the ids in the
// order given, and the rest.
BlockSet halves_of(const std::vector<int>& nodes);
// Halves of every node but the bridge; the bridge keeps seeing both sides.
BlockSet bridged_halves(int bridge, const std::vector<int>& nodes);
BlockSet blocks_touching(const BlockSet& blocks, int node);
BlockSet blocks_between_in(const BlockSet& blocks, int a, int b);

nlohmann::json blocks_to_json(const BlockSet& blocks);
BlockSet blocks_from_json(const nlohmann::json& json);

// The partitions in force as people read them: pairs blocked both ways, then
// single directions.
nlohmann::json describe_partitions(const BlockSet& blocks);

}  // namespace atomixtest::net
