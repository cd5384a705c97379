// isolate: the node can neither send to nor receive from any other node.
#include "actions.hpp"

namespace atomixtest::net {

Action isolate_action() {
    return {{"isolate",
             "partition a node from every other node (both directions)",
             {{"type", "object"},
              {"properties", {{"node", node_param("the node to isolate")}}},
              {"required", {"node"}},
              {"additionalProperties", false}},
             true},
            [](const Params& params, FaultContext& context) {
                return add_blocks(context,
                                  isolation_of(params.at("node"), context.cluster.node_ids()));
            }};
}

}  // namespace atomixtest::net
