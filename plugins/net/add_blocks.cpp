#include "net_verbs.hpp"
#include "nft_partition.hpp"

namespace atomixtest::net {

std::optional<Undo> add_blocks(FaultContext& context, const BlockSet& wanted) {
    for (const auto& block : wanted) {
        context.cluster.node(block.from);  // NotFound before anything is applied
        context.cluster.node(block.to);
    }
    auto in_force = read_blocks(context.backend, context.cluster);
    BlockSet added;
    for (const auto& block : wanted) {
        if (!in_force.count(block)) added.insert(block);
    }
    if (!added.empty()) apply_blocks(context.backend, context.cluster, added, true);
    return Undo{"unblock", {{"blocks", blocks_to_json(added)}}};
}

Param node_param(const std::string& name, const std::string& help, AbsentNodes absent,
                 bool required) {
    return {.name = name,
            .type = ParamType::Node,
            .help = help,
            .required = required,
            .absent = absent};
}

}  // namespace atomixtest::net
