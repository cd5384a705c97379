#pragma once

#include <functional>
#include <vector>

#include "atomixtest/client.hpp"

namespace atomixtest::etcd {

std::vector<ClientVerb> map_verbs();

}  // namespace atomixtest::etcd
