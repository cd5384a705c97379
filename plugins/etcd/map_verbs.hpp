#pragma once

#include <functional>
#include <vector>

#include "atomixtest/client.hpp"

namespace atomixtest::etcd {

std::vector<ClientVerb> map_verbs();
std::vector<ClientVerb> register_verbs();  // value.* and counter.*
std::vector<ClientVerb> txn_verbs();       // txn.append and txn.register

}  // namespace atomixtest::etcd
