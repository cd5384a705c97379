// heal, unisolate and unblock: remove blocks. heal with no node removes every
// partition of the cluster; with nodes it must find a partition to remove.
#include <map>

#include "atomixtest/error.hpp"
#include "net_verbs.hpp"
#include "nft_partition.hpp"

namespace atomixtest::net {

namespace {

// `tables`: what the nodes hold, just read (the blocks come from them).
void remove_blocks(FaultContext& context, const BlockSet& blocks,
                   const std::map<int, NodeTables>& tables) {
    if (!blocks.empty()) apply_blocks(context.backend, context.cluster, blocks, false, tables);
}

}  // namespace

NetVerb heal_verb() {
    return {{"heal",
             "remove the partition between local and remote (all of local's, or all)",
             {node_param("local", "heal partitions of this node (absent: every partition)",
                         AbsentNodes::Left),
              node_param("remote", "heal only between local and this node", AbsentNodes::Left)},
             false,
             {{"dependencies", {{"remote", {"local"}}}}},
             "remote needs local: heal A-B names both"},
            [](const Params& params, FaultContext& context) -> std::optional<Undo> {
                auto tables = read_tables(context.backend, context.cluster);
                auto in_force = blocks_in(context.cluster, tables);
                if (!params.contains("local")) {
                    remove_blocks(context, in_force, tables);
                    return std::nullopt;
                }
                int local = static_cast<int>(integer_param(params, "local"));
                BlockSet found;
                if (params.contains("remote")) {
                    int remote = static_cast<int>(integer_param(params, "remote"));
                    found = blocks_between_in(in_force, local, remote);
                } else {
                    found = blocks_touching(in_force, local);
                }
                if (found.empty()) {
                    throw bad_input(
                        "no partition to heal between node " + std::to_string(local) + " and " +
                        (params.contains("remote") ? "node " + params.at("remote").dump()
                                                   : std::string("any node")) +
                        " (in force: " + describe_partitions(in_force).dump() + ")");
                }
                remove_blocks(context, found, tables);
                return std::nullopt;
            }};
}

NetVerb unisolate_verb() {
    return {{"unisolate",
             "reconnect an isolated node to every other node",
             {node_param("node", "the node to reconnect", AbsentNodes::Left, true)},
             false},
            [](const Params& params, FaultContext& context) -> std::optional<Undo> {
                int node = static_cast<int>(integer_param(params, "node"));
                auto tables = read_tables(context.backend, context.cluster);
                auto found = blocks_touching(blocks_in(context.cluster, tables), node);
                if (found.empty()) {
                    throw bad_input("node " + std::to_string(node) + " is not isolated");
                }
                remove_blocks(context, found, tables);
                return std::nullopt;
            }};
}

NetVerb unblock_verb() {
    return {{"unblock",
             "remove exactly the given directed blocks [[from, to], ...] (the undo of a "
             "partition)",
             {{.name = "blocks",
               .type = ParamType::Json,
               .help = "the directed blocks, [[from, to], ...]",
               .required = true,
               .schema = {{"type", "array"},
                          {"items",
                           {{"type", "array"},
                            {"items", {{"type", "integer"}, {"minimum", 1}}},
                            {"minItems", 2},
                            {"maxItems", 2}}}}}},
             false},
            [](const Params& params, FaultContext& context) -> std::optional<Undo> {
                auto wanted = blocks_from_json(params.at("blocks"));
                auto tables = read_tables(context.backend, context.cluster);
                auto in_force = blocks_in(context.cluster, tables);
                BlockSet present;
                for (const auto& block : wanted) {
                    if (in_force.count(block)) present.insert(block);
                }
                remove_blocks(context, present, tables);
                return std::nullopt;
            }};
}

}  // namespace atomixtest::net
