// The atomix client's verbs, one file per primitive, each over its REST
// resource (see rest_call.hpp for how failures are typed).
#pragma once

#include <vector>

#include "atomixtest/client.hpp"

namespace atomixtest::atomix {

std::vector<ClientVerb> map_verbs();
std::vector<ClientVerb> counter_verbs();
std::vector<ClientVerb> value_verbs();
std::vector<ClientVerb> lock_verbs();
std::vector<ClientVerb> set_verbs();
std::vector<ClientVerb> txn_verbs();  // txn.append, txn.register: the agent's transactions

}  // namespace atomixtest::atomix
