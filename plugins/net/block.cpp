#include "block.hpp"

namespace atomixtest::net {

BlockSet blocks_between(int a, int b, bool both_directions) {
    BlockSet blocks = {{a, b}};
    if (both_directions) blocks.insert({b, a});
    return blocks;
}

BlockSet isolation_of(int node, const std::vector<int>& all_nodes) {
    BlockSet blocks;
    for (int other : all_nodes) {
        if (other == node) continue;
        blocks.insert({node, other});
        blocks.insert({other, node});
    }
    return blocks;
}

BlockSet blocks_between_groups(const std::vector<int>& a, const std::vector<int>& b) {
    BlockSet blocks;
    for (int x : a) {
        for (int y : b) {
            blocks.insert({x, y});
            blocks.insert({y, x});
        }
    }
    return blocks;
}

BlockSet halves_of(const std::vector<int>& nodes) {
    auto middle = nodes.begin() + static_cast<std::ptrdiff_t>(nodes.size() / 2);
    return blocks_between_groups({nodes.begin(), middle}, {middle, nodes.end()});
}

BlockSet bridged_halves(int bridge, const std::vector<int>& nodes) {
    std::vector<int> others;
    for (int node : nodes) {
        if (node != bridge) others.push_back(node);
    }
    return halves_of(others);
}

BlockSet blocks_touching(const BlockSet& blocks, int node) {
    BlockSet touching;
    for (const auto& block : blocks) {
        if (block.from == node || block.to == node) touching.insert(block);
    }
    return touching;
}

BlockSet blocks_between_in(const BlockSet& blocks, int a, int b) {
    BlockSet between;
    for (const auto& block : blocks) {
        if ((block.from == a && block.to == b) || (block.from == b && block.to == a)) {
            between.insert(block);
        }
    }
    return between;
}

nlohmann::json blocks_to_json(const BlockSet& blocks) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& block : blocks) list.push_back({block.from, block.to});
    return list;
}

BlockSet blocks_from_json(const nlohmann::json& json) {
    BlockSet blocks;
    for (const auto& pair : json) blocks.insert({pair.at(0).get<int>(), pair.at(1).get<int>()});
    return blocks;
}

nlohmann::json describe_partitions(const BlockSet& blocks) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& block : blocks) {
        bool reverse = blocks.count({block.to, block.from}) > 0;
        if (reverse && block.from > block.to) continue;  // listed once, as the smaller first
        list.push_back({{"type", "partition"},
                        {"local", block.from},
                        {"remote", block.to},
                        {"direction", reverse ? "both" : "one-way"}});
    }
    return list;
}

}  // namespace atomixtest::net
