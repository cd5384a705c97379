// partition, of any shape: local against remote (or every other node when
// remote is absent), or groups, where two nodes talk if and only if they
// share a group; both directions unless `uni`. The pair is the special case
// the original tool had; halves, bridge and isolate are groups too (shapes.cpp).
#include <algorithm>

#include "atomixtest/error.hpp"
#include "net_verbs.hpp"

namespace atomixtest::net {

namespace {

BlockSet group_blocks(const Params& params, FaultContext& context) {
    auto groups = node_groups_param(params, "groups");
    return blocks_of_groups(groups, context.cluster.node_ids(), boolean_param(params, "uni"));
}

}  // namespace

NetVerb partition_verb() {
    return {{"partition",
             "partition local from remote (from every other node if remote is absent), or cut "
             "the cluster into groups: two nodes talk if and only if they share a group",
             {node_param("local", "one side of the partition", AbsentNodes::Left),
              node_param("remote", "the other side (absent: every other node)", AbsentNodes::Left),
              {.name = "groups",
               .type = ParamType::NodeGroups,
               .help = "the groups, [[1, 2], [2, 3]]: they may share nodes (2 talks to both "
                       "sides, 1 and 3 cannot talk); a node in no group talks to nobody"},
              {.name = "uni",
               .type = ParamType::Boolean,
               .help = "one direction only: drop local's packets to remote; with groups, a "
                       "node's packets to the groups after its first",
               .fallback = false}},
             true,
             // One or the other: anyOf and not, since the validator lets a
             // oneOf pass when both of its branches do.
             {{"anyOf", {{{"required", {"local"}}}, {{"required", {"groups"}}}}},
              {"not", {{"required", {"local", "groups"}}}},
              {"dependencies", {{"remote", {"local"}}}}},
             "either local (and remote) or groups: partition 1 2, or groups [[1, 2], [2, 3]]"},
            [](const Params& params, FaultContext& context) {
                if (params.contains("groups")) {
                    return add_blocks(context, group_blocks(params, context));
                }
                return add_blocks(context, partition_blocks(params, context));
            }};
}

NetVerb ring_verb() {
    return {{"ring",
             "Jepsen's majorities ring: every node hears a majority (itself and the nodes "
             "around it), no two the same; on 5 nodes each talks to its two neighbours only",
             {{.name = "order",
               .type = ParamType::Json,
               .help = "the nodes around the ring, each once (absent: id order)",
               .schema = {{"type", "array"},
                          {"uniqueItems", true},
                          {"items", {{"type", "integer"}, {"minimum", 1}}}}}},
             true},
            [](const Params& params, FaultContext& context) {
                auto ids = context.cluster.node_ids();
                std::vector<int> ring = ids;
                if (params.contains("order")) ring = params.at("order").get<std::vector<int>>();
                auto sorted = ring;
                std::sort(sorted.begin(), sorted.end());
                if (sorted != ids) {
                    throw bad_input("ring: order must name every node of the cluster once (" +
                                    nlohmann::json(ids).dump() + "), got " +
                                    nlohmann::json(ring).dump());
                }
                if (ring.size() < 3) {
                    throw bad_input("ring needs at least 3 nodes, the cluster has " +
                                    std::to_string(ring.size()));
                }
                return add_blocks(context, majorities_ring(ring));
            }};
}

}  // namespace atomixtest::net
