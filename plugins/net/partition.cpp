// partition: local cannot reach remote (or every other node when remote is
// absent); both directions unless `uni`, then only local's packets to remote
// are dropped and the reverse still flows.
#include "actions.hpp"
#include "atomixtest/error.hpp"

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
                int local = params.at("local");
                bool both = !params.value("uni", false);
                BlockSet wanted;
                std::vector<int> remotes;
                if (params.contains("remote")) {
                    remotes.push_back(params.at("remote"));
                } else {
                    remotes = context.cluster.node_ids();
                }
                for (int remote : remotes) {
                    if (remote == local && params.contains("remote")) {
                        throw bad_input("cannot partition node " + std::to_string(local) +
                                        " from itself");
                    }
                    if (remote != local) wanted.merge(blocks_between(local, remote, both));
                }
                return add_blocks(context, wanted);
            }};
}

}  // namespace atomixtest::net
