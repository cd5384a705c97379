// The `net` fault plugin: partitions of every shape (nftables in each node's
// namespace) and netem (tc's qdisc, or NFQUEUE in userspace). Its verbs live
// one family per file beside this one.
#include <map>

#include "atomixtest/error.hpp"
#include "atomixtest/plugin.hpp"
#include "net_verbs.hpp"
#include "nft_partition.hpp"

namespace atomixtest::net {

class NetFaultPlugin : public FaultPlugin {
  public:
    NetFaultPlugin() {
        for (auto make : {unisolate_verb, partition_verb, ring_verb, heal_verb, unblock_verb}) {
            auto verb = make();
            verbs_.emplace(verb.spec.name, verb);
        }
        for (auto& verb : shape_verbs()) verbs_.emplace(verb.spec.name, verb);
        for (auto& verb : netem_verbs()) verbs_.emplace(verb.spec.name, verb);
    }

    std::vector<VerbSpec> verbs() const override {
        std::vector<VerbSpec> specs;
        for (const auto& [name, verb] : verbs_) specs.push_back(verb.spec);
        return specs;
    }

    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext& context) override {
        auto it = verbs_.find(verb);
        if (it == verbs_.end()) throw not_found("the net plugin has no verb " + verb);
        return it->second.run(params, context);
    }

    nlohmann::json in_force(FaultContext& context) override {
        auto faults = describe_partitions(read_blocks(context.backend, context.cluster));
        for (auto& netem : netem_in_force(context)) faults.push_back(netem);
        return faults;
    }

    void clear(FaultContext& context) override {
        clear_blocks(context.backend, context.cluster);
        verbs_.at("restore").run({{"node", context.cluster.node_ids()}}, context);
    }

  private:
    std::map<std::string, NetVerb> verbs_;
};

}  // namespace atomixtest::net

ATOMIXTEST_PLUGIN(Fault, "net", "network partitions (nftables inside each node's namespace)",
                  atomixtest::net::NetFaultPlugin);
