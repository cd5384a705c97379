// The `etcd` client plugin: the map primitive over etcd's v3 JSON gateway.
#include "atomixtest/plugin.hpp"
#include "map_verbs.hpp"

namespace atomixtest::etcd {

class EtcdClient : public VerbTableClient {
  public:
    EtcdClient() : VerbTableClient("etcd", map_verbs()) {}
};

}  // namespace atomixtest::etcd

ATOMIXTEST_PLUGIN(Client, "etcd", "etcd v3 through its JSON gateway: map get/put/remove/cas",
                  atomixtest::etcd::EtcdClient);
