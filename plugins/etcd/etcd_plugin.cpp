// The `etcd` client plugin: map, value and counter over etcd's v3 JSON gateway.
#include "atomixtest/plugin.hpp"
#include "map_verbs.hpp"

namespace atomixtest::etcd {

class EtcdClient : public VerbTableClient {
  public:
    EtcdClient() : VerbTableClient("etcd", all_verbs()) {}

  private:
    static std::vector<ClientVerb> all_verbs() {
        auto verbs = map_verbs();
        auto registers = register_verbs();
        verbs.insert(verbs.end(), registers.begin(), registers.end());
        auto transactions = txn_verbs();
        verbs.insert(verbs.end(), transactions.begin(), transactions.end());
        return verbs;
    }
};

}  // namespace atomixtest::etcd

ATOMIXTEST_PLUGIN(
    Client, "etcd",
    "etcd v3 through its JSON gateway: map, value (register), counter and transactions",
    atomixtest::etcd::EtcdClient);
