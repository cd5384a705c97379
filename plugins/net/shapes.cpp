// The partition shapes of the original tool beyond a single pair: halves,
// bridge, random, and unipartition/bipartition as named forms of partition.
// A node left out is drawn by the door from the caller's seed, so a run with
// the same seed makes the same choice.
#include "atomixtest/error.hpp"
#include "net_verbs.hpp"

namespace atomixtest::net {

namespace {

std::vector<Param> pair_params(const std::string& remote_help) {
    return {node_param("local", "one side of the partition", AbsentNodes::Left, true),
            node_param("remote", remote_help, AbsentNodes::Left)};
}

// local against remote, or against every other node.
BlockSet pair_blocks(const Params& params, FaultContext& context, bool both) {
    int local = static_cast<int>(integer_param(params, "local"));
    if (params.contains("remote")) {
        int remote = static_cast<int>(integer_param(params, "remote"));
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

void need_nodes(const FaultContext& context, size_t least, const char* shape) {
    if (context.cluster.nodes.size() >= least) return;
    throw bad_input(std::string(shape) + " needs at least " + std::to_string(least) +
                    " nodes, the cluster has " + std::to_string(context.cluster.nodes.size()));
}

std::optional<Undo> isolate(const Params& params, FaultContext& context) {
    return add_blocks(context, isolation_of(static_cast<int>(integer_param(params, "node")),
                                            context.cluster.node_ids()));
}

}  // namespace

BlockSet partition_blocks(const Params& params, FaultContext& context) {
    return pair_blocks(params, context, !boolean_param(params, "uni"));
}

std::vector<NetVerb> shape_verbs() {
    return {
        {{"unipartition",
          "drop local's packets to remote (to every other node if remote is absent); the "
          "reverse still flows",
          pair_params("the node local's packets must not reach (absent: every other node)"), true},
         [](const Params& params, FaultContext& context) {
             return add_blocks(context, pair_blocks(params, context, false));
         }},
        {{"bipartition", "partition local from remote both ways (from every other node if absent)",
          pair_params("the other side (absent: every other node)"), true},
         [](const Params& params, FaultContext& context) {
             return add_blocks(context, pair_blocks(params, context, true));
         }},
        {{"halves",
          "split the cluster in two halves (nodes in id order; the first half is the smaller)",
          {},
          true},
         [](const Params&, FaultContext& context) {
             need_nodes(context, 2, "halves");
             return add_blocks(context, halves_of(context.cluster.node_ids()));
         }},
        {{"bridge",
          "split the other nodes in two halves that cannot talk; the bridge node sees both",
          {node_param("node", "the bridge node", AbsentNodes::Random)},
          true},
         [](const Params& params, FaultContext& context) {
             need_nodes(context, 3, "bridge");
             return add_blocks(context,
                               bridged_halves(static_cast<int>(integer_param(params, "node")),
                                              context.cluster.node_ids()));
         }},
        {{"random",
          "isolate a node drawn at random (from the run's seed)",
          {node_param("node", "the node to isolate", AbsentNodes::Random)},
          true},
         isolate},
        {{"isolate",
          "partition a node from every other node (both directions)",
          {node_param("node", "the node to isolate", AbsentNodes::Random)},
          true},
         isolate},
    };
}

}  // namespace atomixtest::net
