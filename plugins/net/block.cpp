#include "block.hpp"

#include <algorithm>
#include <climits>

namespace atomixtest::net {

namespace {

// The index of the first group holding the node (INT_MAX: none).
int first_group(const std::vector<std::vector<int>>& groups, int node) {
    for (size_t i = 0; i < groups.size(); ++i) {
        if (std::find(groups[i].begin(), groups[i].end(), node) != groups[i].end()) {
            return static_cast<int>(i);
        }
    }
    return INT_MAX;
}

bool share_a_group(const std::vector<std::vector<int>>& groups, int a, int b) {
    return std::any_of(groups.begin(), groups.end(), [&](const std::vector<int>& group) {
        return std::find(group.begin(), group.end(), a) != group.end() &&
               std::find(group.begin(), group.end(), b) != group.end();
    });
}

}  // namespace

BlockSet blocks_of_groups(const std::vector<std::vector<int>>& groups,
                          const std::vector<int>& all_nodes, bool one_way) {
    BlockSet blocks;
    for (int from : all_nodes) {
        for (int to : all_nodes) {
            if (from == to || share_a_group(groups, from, to)) continue;
            if (one_way && first_group(groups, from) >= first_group(groups, to)) continue;
            blocks.insert({from, to});
        }
    }
    return blocks;
}

BlockSet majorities_ring(const std::vector<int>& ring) {
    int n = static_cast<int>(ring.size());
    int majority = n / 2 + 1;
    int behind = majority / 2;  // the window starts this many places before the node
    BlockSet blocks;
    for (int at = 0; at < n; ++at) {
        std::vector<int> heard;
        for (int k = 0; k < majority; ++k) heard.push_back(ring[((at - behind + k) % n + n) % n]);
        for (int from : ring) {
            if (std::find(heard.begin(), heard.end(), from) == heard.end()) {
                blocks.insert({from, ring[static_cast<size_t>(at)]});
            }
        }
    }
    return blocks;
}

std::vector<Block> open_pairs(const BlockSet& blocks, const std::vector<int>& nodes) {
    std::vector<Block> open;
    for (int from : nodes) {
        for (int to : nodes) {
            if (from != to && !blocks.count({from, to})) open.push_back({from, to});
        }
    }
    return open;
}

BlockSet blocks_between(int a, int b, bool both_directions) {
    BlockSet blocks = {{a, b}};
    if (both_directions) blocks.insert({b, a});
    return blocks;
}

// The original shapes are groups too: an isolated node is a group alone.
BlockSet isolation_of(int node, const std::vector<int>& all_nodes) {
    std::vector<int> others;
    std::copy_if(all_nodes.begin(), all_nodes.end(), std::back_inserter(others),
                 [&](int id) { return id != node; });
    return blocks_of_groups({{node}, others}, all_nodes);
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
    return blocks_of_groups({{nodes.begin(), middle}, {middle, nodes.end()}}, nodes);
}

// Two halves of the others, with the bridge in both groups.
BlockSet bridged_halves(int bridge, const std::vector<int>& nodes) {
    std::vector<int> others;
    for (int node : nodes) {
        if (node != bridge) others.push_back(node);
    }
    auto middle = others.begin() + static_cast<std::ptrdiff_t>(others.size() / 2);
    std::vector<int> first(others.begin(), middle), second(middle, others.end());
    first.push_back(bridge);
    second.push_back(bridge);
    return blocks_of_groups({first, second}, nodes);
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
