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
BlockSet isolation_of(int node, const std::vector<int>& all_nodes);
// Every block between two groups of nodes, both directions.
BlockSet blocks_between_groups(const std::vector<int>& a, const std::vector<int>& b);
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
