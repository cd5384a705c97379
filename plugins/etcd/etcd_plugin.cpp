// The `etcd` client plugin: the map primitive over etcd's v3 JSON gateway.
#include <map>

#include "atomixtest/error.hpp"
#include "atomixtest/plugin.hpp"
#include "map_verbs.hpp"

namespace atomixtest::etcd {

class EtcdClient : public ClientPlugin {
  public:
    EtcdClient() {
        for (auto& verb : map_verbs()) verbs_.emplace(verb.spec.name, verb);
    }

    std::vector<VerbSpec> verbs() const override {
        std::vector<VerbSpec> specs;
        for (const auto& [name, verb] : verbs_) specs.push_back(verb.spec);
        return specs;
    }

    nlohmann::json invoke(const std::string& verb, const Params& params,
                          const Endpoint& endpoint) override {
        auto it = verbs_.find(verb);
        if (it == verbs_.end()) throw not_found("the etcd client has no verb " + verb);
        return it->second.run(params, endpoint);
    }

  private:
    std::map<std::string, MapVerb> verbs_;
};

}  // namespace atomixtest::etcd

ATOMIXTEST_PLUGIN(Client, "etcd", "etcd v3 through its JSON gateway: map get/put/remove/cas",
                  atomixtest::etcd::EtcdClient);
