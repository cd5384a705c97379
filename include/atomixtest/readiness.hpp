// Waiting for nodes to answer their profile's readiness probe through their
// LOCAL PORT; shared by every backend.
#pragma once

#include <vector>

#include "atomixtest/profile.hpp"

namespace atomixtest {

struct ProbeTarget {
    int node = 0;
    int port = 0;  // on 127.0.0.1
};

// Probes every target until all answer as the probe expects or the probe's
// timeout passes. Returns the ids of the nodes that never became ready.
std::vector<int> wait_until_ready(const ReadinessProbe& probe,
                                  const std::vector<ProbeTarget>& targets);

}  // namespace atomixtest
