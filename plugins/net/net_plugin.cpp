// The `net` fault plugin: partitions of every shape (nftables in each node's
// namespace) and netem (tc's qdisc, or NFQUEUE in userspace). Its actions live one per file beside
// this one.
#include <map>

#include "actions.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/plugin.hpp"
#include "nft_partition.hpp"

namespace atomixtest::net {

class NetFaultPlugin : public FaultPlugin {
  public:
    NetFaultPlugin() {
        for (auto make : {unisolate_action, partition_action, heal_action, unblock_action}) {
            auto action = make();
            actions_.emplace(action.spec.name, action);
        }
        for (auto& action : shape_actions()) actions_.emplace(action.spec.name, action);
        for (auto& action : netem_actions()) actions_.emplace(action.spec.name, action);
    }

    std::vector<VerbSpec> verbs() const override {
        std::vector<VerbSpec> specs;
        for (const auto& [name, action] : actions_) specs.push_back(action.spec);
        return specs;
    }

    std::optional<Undo> apply(const std::string& verb, const Params& params,
                              FaultContext& context) override {
        auto it = actions_.find(verb);
        if (it == actions_.end()) throw not_found("the net plugin has no verb " + verb);
        return it->second.run(params, context);
    }

    nlohmann::json in_force(FaultContext& context) override {
        auto faults = describe_partitions(read_blocks(context.backend, context.cluster));
        for (auto& netem : netem_in_force(context)) faults.push_back(netem);
        return faults;
    }

    void clear(FaultContext& context) override {
        clear_blocks(context.backend, context.cluster);
        actions_.at("restore").run(nlohmann::json::object(), context);
    }

  private:
    std::map<std::string, Action> actions_;
};

}  // namespace atomixtest::net

ATOMIXTEST_PLUGIN(Fault, "net", "network partitions (nftables inside each node's namespace)",
                  atomixtest::net::NetFaultPlugin);
