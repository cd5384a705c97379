#include "nft_partition.hpp"

#include <nlohmann/json.hpp>

#include "atomixtest/error.hpp"
#include "atomixtest/netns.hpp"
#include "nft_session.hpp"

namespace atomixtest::net {

namespace {

std::string table_setup(const std::string& cluster) {
    std::string t = std::string("inet ") + kTable;
    // Run only where the table is missing. Declared with `add` and the chains
    // flushed first, so a half-made table from an earlier failure is completed
    // rather than doubled.
    return "add table " + t + " { comment \"atomix-test cluster=" + cluster + "\"; }\n" +
           "add set " + t + " blocked_out { type ipv4_addr; }\n" + "add set " + t +
           " blocked_in { type ipv4_addr; }\n" + "add chain " + t +
           " output { type filter hook output priority -10; policy accept; }\n" + "add chain " + t +
           " input { type filter hook input priority -10; policy accept; }\n" + "flush chain " + t +
           " output\n" + "flush chain " + t + " input\n" + "add rule " + t +
           " output ip daddr @blocked_out drop\n" + "add rule " + t +
           " input ip saddr @blocked_in drop\n";
}

// Where this process cannot enter the nodes: the nft of the agent's image,
// run in each node. A listing is nft's command line, not a script: `-j -f`
// reads its script as JSON.
std::map<int, NftOutcome> run_nft_through_backend(Backend& backend, const ClusterInfo& cluster,
                                                  const std::map<int, std::string>& scripts,
                                                  bool json_output) {
    std::vector<NodeCommand> commands;
    for (const auto& [node, script] : scripts) {
        if (json_output) {
            commands.push_back({node, {"nft", "-j", "list", "table", "inet", kTable}, ""});
        } else {
            commands.push_back({node, {"nft", "-f", "-"}, script});
        }
    }
    std::map<int, NftOutcome> outcomes;
    for (auto& result : backend.run_in_nodes(cluster.name, commands)) {
        outcomes[result.node] = {result.exit_code == 0, std::move(result.out),
                                 std::move(result.err)};
    }
    return outcomes;
}

// Runs each node's script inside that node's namespace; outcomes by node.
std::map<int, NftOutcome> run_in_nodes(Backend& backend, const ClusterInfo& cluster,
                                       const std::map<int, std::string>& scripts,
                                       bool json_output = false) {
    if (!backend.reaches_nodes_in_process(cluster.name)) {
        return run_nft_through_backend(backend, cluster, scripts, json_output);
    }
    std::vector<int> nodes;
    std::vector<std::string> namespaces;
    for (const auto& [node, script] : scripts) {
        nodes.push_back(node);
        namespaces.push_back(backend.network_namespace(cluster.name, node));
    }
    std::vector<NftOutcome> results(nodes.size());
    for_each_network_namespace(
        namespaces, [&](size_t i) { results[i] = run_nft(scripts.at(nodes[i]), json_output); });
    std::map<int, NftOutcome> outcomes;
    for (size_t i = 0; i < nodes.size(); ++i) outcomes[nodes[i]] = std::move(results[i]);
    return outcomes;
}

}  // namespace

std::map<int, NodeTables> read_tables(Backend& backend, const ClusterInfo& cluster) {
    std::map<int, std::string> scripts;
    for (const auto& node : cluster.nodes) {
        scripts[node.id] = std::string("list table inet ") + kTable + "\n";
    }
    std::map<int, NodeTables> rules;
    for (const auto& [node, outcome] : run_in_nodes(backend, cluster, scripts, true)) {
        auto& node_rules = rules[node];
        if (!outcome.ok) continue;  // no table
        auto json = nlohmann::json::parse(outcome.output, nullptr, false);
        if (json.is_discarded()) continue;
        node_rules.has_table = true;
        for (const auto& item : json.value("nftables", nlohmann::json::array())) {
            if (!item.contains("set")) continue;
            const auto& set = item["set"];
            auto& addresses = set.value("name", "") == "blocked_out" ? node_rules.blocked_out
                                                                     : node_rules.blocked_in;
            for (const auto& element : set.value("elem", nlohmann::json::array())) {
                if (element.is_string()) addresses.insert(element.get<std::string>());
            }
        }
    }
    return rules;
}

std::map<int, std::string> nft_scripts(const ClusterInfo& cluster, const BlockSet& blocks, bool add,
                                       const std::map<int, NodeTables>& tables) {
    std::map<int, std::string> scripts;
    std::string t = std::string("inet ") + kTable;
    auto element = [&](int node, const char* set, const std::string& ip) {
        const auto& present = tables.count(node) ? tables.at(node) : NodeTables{};
        const auto& elements =
            std::string(set) == "blocked_out" ? present.blocked_out : present.blocked_in;
        // Delete only what is there (one half of a block may be gone already);
        // adding an element that exists is harmless.
        if (!add && !elements.count(ip)) return;
        scripts[node] +=
            std::string(add ? "add" : "delete") + " element " + t + " " + set + " { " + ip + " }\n";
    };
    // Both addresses of a node with two (a ClusterIP its peers send to, the
    // pod's own that its packets carry): either may be on a packet between them.
    for (const auto& block : blocks) {
        for (const auto& ip : addresses_of(cluster.node(block.to))) {
            element(block.from, "blocked_out", ip);
        }
        for (const auto& ip : addresses_of(cluster.node(block.from))) {
            element(block.to, "blocked_in", ip);
        }
    }
    if (add) {
        for (auto& [node, script] : scripts) {
            bool has_table = tables.count(node) && tables.at(node).has_table;
            if (!has_table) script = table_setup(cluster.name) + script;
        }
    }
    return scripts;
}

namespace {

std::map<int, NodeTables> elements_missing(const ClusterInfo& cluster, const BlockSet& blocks,
                                           std::map<int, NodeTables> tables) {
    std::map<int, NodeTables> missing;
    for (const auto& block : blocks) {
        for (const auto& to_ip : addresses_of(cluster.node(block.to))) {
            if (!tables[block.from].blocked_out.count(to_ip))
                missing[block.from].blocked_out.insert(to_ip);
        }
        for (const auto& from_ip : addresses_of(cluster.node(block.from))) {
            if (!tables[block.to].blocked_in.count(from_ip))
                missing[block.to].blocked_in.insert(from_ip);
        }
    }
    return missing;
}

}  // namespace

BlockSet read_blocks(Backend& backend, const ClusterInfo& cluster) {
    return blocks_in(cluster, read_tables(backend, cluster));
}

BlockSet blocks_in(const ClusterInfo& cluster, const std::map<int, NodeTables>& all_tables) {
    std::map<std::string, int> node_by_ip;
    for (const auto& node : cluster.nodes) {
        for (const auto& ip : addresses_of(node)) node_by_ip[ip] = node.id;
    }
    BlockSet blocks;
    for (const auto& [node, tables] : all_tables) {
        // Either half of a block counts: it is in force while one half holds.
        for (const auto& ip : tables.blocked_out) {
            if (node_by_ip.count(ip)) blocks.insert({node, node_by_ip[ip]});
        }
        for (const auto& ip : tables.blocked_in) {
            if (node_by_ip.count(ip)) blocks.insert({node_by_ip[ip], node});
        }
    }
    return blocks;
}

void apply_blocks(Backend& backend, const ClusterInfo& cluster, const BlockSet& blocks, bool add) {
    apply_blocks(backend, cluster, blocks, add, read_tables(backend, cluster));
}

void apply_blocks(Backend& backend, const ClusterInfo& cluster, const BlockSet& blocks, bool add,
                  const std::map<int, NodeTables>& tables) {
    auto outcomes = run_in_nodes(backend, cluster, nft_scripts(cluster, blocks, add, tables));
    std::string failure;
    std::map<int, std::string> rollback;
    // Undo puts back exactly what this change touched on the nodes it reached:
    // after an add, the elements that were not there before.
    auto undo_scripts = nft_scripts(cluster, blocks, !add,
                                    add ? elements_missing(cluster, blocks, tables) : tables);
    for (const auto& [node, outcome] : outcomes) {
        if (!outcome.ok) {
            failure += "\n  node " + std::to_string(node) + ": " + outcome.error;
        } else if (undo_scripts.count(node)) {
            rollback[node] = undo_scripts[node];
        }
    }
    if (failure.empty()) return;
    if (!rollback.empty()) run_in_nodes(backend, cluster, rollback);
    throw Error(ErrorKind::Environment,
                std::string("could not ") + (add ? "apply" : "remove") +
                    " the partition rules (nothing was changed):" + failure);
}

void clear_blocks(Backend& backend, const ClusterInfo& cluster) {
    std::map<int, std::string> scripts;
    for (const auto& node : cluster.nodes) {
        // `add` first so that the delete never fails on a node without the table.
        scripts[node.id] =
            std::string("add table inet ") + kTable + "\ndelete table inet " + kTable + "\n";
    }
    run_in_nodes(backend, cluster, scripts);
}

}  // namespace atomixtest::net
