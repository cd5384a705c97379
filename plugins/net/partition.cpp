// partition: local cannot reach remote (or every other node when remote is
// absent); both directions unless `uni`, then only local's packets to remote
// are dropped and the reverse still flows.
#include "actions.hpp"

namespace atomixtest::net {

Action partition_action() {
    return {{"partition",
             "partition local from remote (from every other node if remote is absent)",
             {{"type", "object"},
              {"properties",
               {{"local", node_param("one side of the partition")},
                {"remote", node_param("the other side; absent: every other node")},
                {"uni",
                 {{"type", "boolean"},
                  {"description", "one direction only: drop local's packets to remote"}}}}},
              {"required", {"local"}},
              {"additionalProperties", false}},
             true},
            [](const Params& params, FaultContext& context) {
                return add_blocks(context, partition_blocks(params, context));
            }};
}

}  // namespace atomixtest::net
