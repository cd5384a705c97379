#include "nft_partition.hpp"

#include <nlohmann/json.hpp>

#include "atomixtest/error.hpp"

namespace atomixtest::net {

namespace {

std::string table_setup(const std::string& cluster) {
    std::string t = std::string("inet ") + kTable;
    // Declared with `add`, so running it again changes nothing; the chains are
    // flushed and refilled so they always hold exactly these two rules.
    return "add table " + t + " { comment \"atomix-test cluster=" + cluster + "\"; }\n" +
           "add set " + t + " blocked_out { type ipv4_addr; }\n" +
           "add set " + t + " blocked_in { type ipv4_addr; }\n" +
           "add chain " + t + " output { type filter hook output priority -10; policy accept; }\n" +
           "add chain " + t + " input { type filter hook input priority -10; policy accept; }\n" +
           "flush chain " + t + " output\n" + "flush chain " + t + " input\n" + "add rule " + t +
           " output ip daddr @blocked_out drop\n" + "add rule " + t +
           " input ip saddr @blocked_in drop\n";
}

}  // namespace

std::map<int, std::string> nft_scripts(const ClusterInfo& cluster, const BlockSet& blocks,
                                       bool add) {
    std::map<int, std::string> scripts;
    std::string verb = add ? "add" : "delete";
    std::string t = std::string("inet ") + kTable;
    for (const auto& block : blocks) {
        const auto& from = cluster.node(block.from);
        const auto& to = cluster.node(block.to);
        scripts[block.from] += verb + " element " + t + " blocked_out { " + to.ip + " }\n";
        scripts[block.to] += verb + " element " + t + " blocked_in { " + from.ip + " }\n";
    }
    if (add) {
        for (auto& [node, script] : scripts) script = table_setup(cluster.name) + script;
    }
    return scripts;
}

BlockSet read_blocks(Backend& backend, const ClusterInfo& cluster) {
    std::vector<NodeCommand> commands;
    for (const auto& node : cluster.nodes) {
        commands.push_back({node.id, {"nft", "-j", "list", "table", "inet", kTable}, ""});
    }
    std::map<std::string, int> node_by_ip;
    for (const auto& node : cluster.nodes) node_by_ip[node.ip] = node.id;
    BlockSet blocks;
    for (const auto& result : backend.run_in_nodes(cluster.name, commands)) {
        if (result.exit_code != 0) continue;  // no table: no block on this node
        auto json = nlohmann::json::parse(result.out, nullptr, false);
        if (json.is_discarded()) continue;
        for (const auto& item : json.value("nftables", nlohmann::json::array())) {
            if (!item.contains("set")) continue;
            const auto& set = item["set"];
            bool out = set.value("name", "") == "blocked_out";
            for (const auto& element : set.value("elem", nlohmann::json::array())) {
                if (!element.is_string()) continue;
                auto peer = node_by_ip.find(element.get<std::string>());
                if (peer == node_by_ip.end()) continue;
                blocks.insert(out ? Block{result.node, peer->second}
                                  : Block{peer->second, result.node});
            }
        }
    }
    return blocks;
}

void apply_blocks(Backend& backend, const ClusterInfo& cluster, const BlockSet& blocks, bool add) {
    auto scripts = nft_scripts(cluster, blocks, add);
    std::vector<NodeCommand> commands;
    for (const auto& [node, script] : scripts) commands.push_back({node, {"nft", "-f", "-"}, script});
    auto results = backend.run_in_nodes(cluster.name, commands);
    std::string failure;
    std::vector<NodeCommand> rollback;
    auto undo_scripts = nft_scripts(cluster, blocks, !add);
    for (const auto& result : results) {
        if (result.exit_code != 0) {
            failure += "\n  node " + std::to_string(result.node) + ": " +
                       (result.err.empty() ? "nft exited " + std::to_string(result.exit_code)
                                           : result.err);
        } else {
            rollback.push_back({result.node, {"nft", "-f", "-"}, undo_scripts[result.node]});
        }
    }
    if (failure.empty()) return;
    if (!rollback.empty()) backend.run_in_nodes(cluster.name, rollback);
    throw Error(ErrorKind::Environment,
                std::string("could not ") + (add ? "apply" : "remove") +
                    " the partition rules (nothing was changed):" + failure);
}

void clear_blocks(Backend& backend, const ClusterInfo& cluster) {
    std::vector<NodeCommand> commands;
    for (const auto& node : cluster.nodes) {
        // `add` first so that the delete never fails on a node without the table.
        commands.push_back({node.id,
                            {"nft", "-f", "-"},
                            std::string("add table inet ") + kTable + "\ndelete table inet " +
                                kTable + "\n"});
    }
    backend.run_in_nodes(cluster.name, commands);
}

}  // namespace atomixtest::net
