// partition: local cannot reach remote (or every other node when remote is
// absent); both directions unless `uni`, then only local's packets to remote
// are dropped and the reverse still flows.
#include "net_verbs.hpp"

namespace atomixtest::net {

NetVerb partition_verb() {
    return {{"partition",
             "partition local from remote (from every other node if remote is absent)",
             {node_param("local", "one side of the partition", AbsentNodes::Left, true),
              node_param("remote", "the other side (absent: every other node)", AbsentNodes::Left),
              {.name = "uni",
               .type = ParamType::Boolean,
               .help = "one direction only: drop local's packets to remote",
               .fallback = false}},
             true},
            [](const Params& params, FaultContext& context) {
                return add_blocks(context, partition_blocks(params, context));
            }};
}

}  // namespace atomixtest::net
