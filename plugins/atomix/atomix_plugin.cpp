// The `atomix` client plugin: Atomix 3 primitives (atomic map, counter, value,
// lock, set) through a node's REST API.
#include "atomixtest/plugin.hpp"
#include "verbs.hpp"

namespace atomixtest::atomix {

namespace {

std::vector<ClientVerb> all_verbs() {
    std::vector<ClientVerb> verbs;
    for (auto part :
         {map_verbs(), counter_verbs(), value_verbs(), lock_verbs(), set_verbs(), txn_verbs()}) {
        verbs.insert(verbs.end(), part.begin(), part.end());
    }
    return verbs;
}

}  // namespace

class AtomixClient : public VerbTableClient {
  public:
    AtomixClient() : VerbTableClient("atomix", all_verbs()) {}
};

}  // namespace atomixtest::atomix

ATOMIXTEST_PLUGIN(
    Client, "atomix",
    "Atomix 3 over its REST API: atomic map, counter, value, lock, set and transactions",
    atomixtest::atomix::AtomixClient);
