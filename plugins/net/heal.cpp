// heal, unisolate and unblock: remove blocks. heal with no node removes every
// partition of the cluster; with nodes it must find a partition to remove.
#include "actions.hpp"
#include "atomixtest/error.hpp"
#include "nft_partition.hpp"

namespace atomixtest::net {

namespace {

void remove_blocks(FaultContext& context, const BlockSet& blocks) {
    if (!blocks.empty()) apply_blocks(context.backend, context.cluster, blocks, false);
}

}  // namespace

Action heal_action() {
    return {{"heal",
             "remove the partition between local and remote (all of local's, or all)",
             {{"type", "object"},
              {"properties",
               {{"local", node_param("heal partitions of this node; absent: every partition")},
                {"remote", node_param("heal only between local and this node")}}},
              {"dependencies", {{"remote", {"local"}}}},
              {"additionalProperties", false}},
             false},
            [](const Params& params, FaultContext& context) -> std::optional<Undo> {
                if (!params.contains("local")) {
                    remove_blocks(context, read_blocks(context.backend, context.cluster));
                    return std::nullopt;
                }
                int local = params.at("local");
                context.cluster.node(local);
                auto in_force = read_blocks(context.backend, context.cluster);
                BlockSet found;
                if (params.contains("remote")) {
                    int remote = params.at("remote");
                    context.cluster.node(remote);
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
                remove_blocks(context, found);
                return std::nullopt;
            }};
}

Action unisolate_action() {
    return {{"unisolate",
             "reconnect an isolated node to every other node",
             {{"type", "object"},
              {"properties", {{"node", node_param("the node to reconnect")}}},
              {"required", {"node"}},
              {"additionalProperties", false}},
             false},
            [](const Params& params, FaultContext& context) -> std::optional<Undo> {
                int node = params.at("node");
                context.cluster.node(node);
                auto found = blocks_touching(read_blocks(context.backend, context.cluster), node);
                if (found.empty()) {
                    throw bad_input("node " + std::to_string(node) + " is not isolated");
                }
                remove_blocks(context, found);
                return std::nullopt;
            }};
}

Action unblock_action() {
    return {{"unblock",
             "remove exactly the given directed blocks [[from, to], ...] (the undo of a "
             "partition)",
             {{"type", "object"},
              {"properties",
               {{"blocks",
                 {{"type", "array"},
                  {"items",
                   {{"type", "array"},
                    {"items", {{"type", "integer"}}},
                    {"minItems", 2},
                    {"maxItems", 2}}}}}}},
              {"required", {"blocks"}},
              {"additionalProperties", false}},
             false},
            [](const Params& params, FaultContext& context) -> std::optional<Undo> {
                auto wanted = blocks_from_json(params.at("blocks"));
                auto in_force = read_blocks(context.backend, context.cluster);
                BlockSet present;
                for (const auto& block : wanted) {
                    if (in_force.count(block)) present.insert(block);
                }
                remove_blocks(context, present);
                return std::nullopt;
            }};
}

}  // namespace atomixtest::net
