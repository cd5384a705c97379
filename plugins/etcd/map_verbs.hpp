#pragma once

#include <functional>
#include <vector>

#include "atomixtest/client.hpp"

namespace atomixtest::etcd {

struct MapVerb {
    VerbSpec spec;
    std::function<nlohmann::json(const Params&, const Endpoint&)> run;
};

std::vector<MapVerb> map_verbs();

}  // namespace atomixtest::etcd
