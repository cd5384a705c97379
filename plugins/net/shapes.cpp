// The partition shapes of the original tool beyond a single pair: halves,
// bridge, random, and unipartition/bipartition as named forms of partition.
// A node left out is drawn from the caller's seeded generator, so a run with
// the same seed makes the same choice.
#include "actions.hpp"
#include "atomixtest/error.hpp"

namespace atomixtest::net {

namespace {

int node_or_random(const Params& params, FaultContext& context) {
    if (params.contains("node")) return params.at("node");
    auto ids = context.cluster.node_ids();
    std::uniform_int_distribution<size_t> pick(0, ids.size() - 1);
    return ids[pick(context.random)];
}

nlohmann::json optional_node_schema(const std::string& description) {
    return {{"type", "object"},
            {"properties", {{"node", node_param(description + "; absent: a random node")}}},
            {"additionalProperties", false}};
}

nlohmann::json pair_schema(const std::string& remote_description) {
    return {{"type", "object"},
            {"properties",
             {{"local", node_param("one side of the partition")},
              {"remote", node_param(remote_description)}}},
            {"required", {"local"}},
            {"additionalProperties", false}};
}

// local against remote, or against every other node.
BlockSet pair_blocks(const Params& params, FaultContext& context, bool both) {
    int local = params.at("local");
    context.cluster.node(local);
    if (params.contains("remote")) {
        int remote = params.at("remote");
        context.cluster.node(remote);
        if (remote == local) {
            throw bad_input("cannot partition node " + std::to_string(local) + " from itself");
        }
        return blocks_between(local, remote, both);
    }
    BlockSet blocks;
    for (int other : context.cluster.node_ids()) {
        if (other != local) blocks.merge(blocks_between(local, other, both));
    }
    return blocks;
}

}  // namespace

BlockSet partition_blocks(const Params& params, FaultContext& context) {
    return pair_blocks(params, context, !params.value("uni", false));
}

std::vector<Action> shape_actions() {
    return {
        {{"unipartition",
          "drop local's packets to remote (to every other node if remote is absent); the "
          "reverse still flows",
          pair_schema("the node local's packets must not reach; absent: every other node"), true},
         [](const Params& params, FaultContext& context) {
             return add_blocks(context, pair_blocks(params, context, false));
         }},
        {{"bipartition", "partition local from remote both ways (from every other node if absent)",
          pair_schema("the other side; absent: every other node"), true},
         [](const Params& params, FaultContext& context) {
             return add_blocks(context, pair_blocks(params, context, true));
         }},
        {{"halves",
          "split the cluster in two halves (nodes in id order; the first half is the smaller)",
          {{"type", "object"}, {"additionalProperties", false}},
          true},
         [](const Params&, FaultContext& context) {
             if (context.cluster.nodes.size() < 2) {
                 throw bad_input("halves needs at least 2 nodes, the cluster has " +
                                 std::to_string(context.cluster.nodes.size()));
             }
             return add_blocks(context, halves_of(context.cluster.node_ids()));
         }},
        {{"bridge",
          "split the other nodes in two halves that cannot talk; the bridge node sees both",
          optional_node_schema("the bridge node"), true},
         [](const Params& params, FaultContext& context) {
             if (context.cluster.nodes.size() < 3) {
                 throw bad_input("bridge needs at least 3 nodes, the cluster has " +
                                 std::to_string(context.cluster.nodes.size()));
             }
             int bridge = node_or_random(params, context);
             context.cluster.node(bridge);
             return add_blocks(context, bridged_halves(bridge, context.cluster.node_ids()));
         }},
        {{"random",
          "isolate a node drawn at random (from the run's seed)",
          {{"type", "object"}, {"additionalProperties", false}},
          true},
         [](const Params& params, FaultContext& context) {
             return add_blocks(context, isolation_of(node_or_random(params, context),
                                                     context.cluster.node_ids()));
         }},
        {{"isolate", "partition a node from every other node (both directions)",
          optional_node_schema("the node to isolate"), true},
         [](const Params& params, FaultContext& context) {
             int node = node_or_random(params, context);
             context.cluster.node(node);
             return add_blocks(context, isolation_of(node, context.cluster.node_ids()));
         }},
    };
}

}  // namespace atomixtest::net
